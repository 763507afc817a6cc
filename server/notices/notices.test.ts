import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { applicationOf, signedInStaff, type SignedInStaff, testApplicant, testEnterprise } from '../../test/support/review-fixtures.ts';
import { openTestStorage, type TestStorage } from '../../test/support/route-fixtures.ts';
import { isoDateOf } from '../../shared/calendar-date.ts';
import { addWorkingDays } from '../../shared/review/working-days.ts';
import { createApi } from '../app.ts';
import { upsertEnterprises } from '../db/enterprises-store.ts';
import { listDevelopmentSms } from '../db/notices-store.ts';
import { developmentVerifier } from '../face-verification/development-verifier.ts';
import { developmentSmsProvider } from './development-sms-provider.ts';
import { listNoticesFor } from './notice-outbox.ts';
import { CORRECTION_REPLY_WORKING_DAYS } from './notice-text.ts';
import { sendDueNotices } from './notice-sender.ts';
import type { SmsProvider } from './sms-provider.ts';
import { logger } from '../observability/logger.ts';

const enterprise = testEnterprise('7', '青岛海滨工程建设监理有限公司', '山东省');

describe('notices of an application, from receipt to decision (real SQLite, through the API)', () => {
  let fixture: TestStorage;
  let api: ReturnType<typeof createApi>;
  let reviewer: SignedInStaff;
  let employer: SignedInStaff;
  let sequence = 40;

  const post = (path: string, body: unknown, cookie: string, key?: string) =>
    api.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
    });

  async function submitted() {
    sequence += 1;
    const person = await testApplicant(fixture.storage, sequence, '欧阳明远');
    const application = applicationOf(person, enterprise);
    const response = await post('/submissions', application, person.cookie, randomUUID());
    assert.equal(response.status, 201);
    const { id, receiptNumber } = (await response.json()) as { id: string; receiptNumber: string };
    return { person, application, id, receiptNumber };
  }
  const decide = async (id: string, body: Record<string, unknown>, version = 1) => {
    const response = await post(`/staff/submissions/${id}/decisions`, { version, ...body }, reviewer.cookie);
    assert.equal(response.status, 200, JSON.stringify(await response.clone().json()));
  };
  const confirm = async (id: string) =>
    assert.equal((await post(`/employer/submissions/${id}/confirmation`, { confirmed: true }, employer.cookie)).status, 200);
  const statusOf = async (id: string) =>
    (await fixture.storage.db.selectFrom('submissions').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

  before(async () => {
    fixture = await openTestStorage();
    await upsertEnterprises(fixture.storage.db, [enterprise]);
    api = createApi({ storage: fixture.storage, faceVerifier: developmentVerifier });
    reviewer = await signedInStaff(fixture.storage, 'reviewer');
    employer = await signedInStaff(fixture.storage, 'employer', enterprise.uscc);
  });
  after(() => fixture.cleanup());

  it('tells of receipt, of 补正 with its deadline, of the resubmission and of each decision: 申请编号 and status only', async () => {
    const { person, application, id, receiptNumber } = await submitted();
    await confirm(id);
    const corrections = [{ field: 'school', note: '请按毕业证书填写同济大学的全称' }];
    const askedAt = new Date();
    await decide(id, { decision: 'request_correction', corrections });
    const resubmitted = await post(`/submissions/${id}/versions`, application, person.cookie, randomUUID());
    assert.equal(resubmitted.status, 201);
    await decide(id, { decision: 'accept' }, 2);
    await decide(id, { decision: 'start_review' }, 2);
    await decide(id, { decision: 'reject', reason: '从业经历不满足要求' }, 2);

    const notices = await listNoticesFor(fixture.storage.db, person.accountId);
    assert.deepEqual(
      notices.map((notice) => notice.event),
      ['received', 'correction_requested', 'received', 'decision', 'decision'],
      'the employer\'s confirmation and 开始审查 send nothing',
    );
    for (const notice of notices) {
      assert.equal(notice.submissionId, id);
      assert.equal(notice.state, 'pending');
      assert.ok(notice.text.includes(receiptNumber), notice.text);
    }
    const due = addWorkingDays(isoDateOf(askedAt), CORRECTION_REPLY_WORKING_DAYS);
    assert.ok(notices[1]?.text.includes(due), notices[1]?.text);
    assert.ok(notices[1]?.text.includes(`${CORRECTION_REPLY_WORKING_DAYS} 个工作日`));
    assert.ok(notices[3]?.text.includes('已受理'));
    assert.ok(notices[4]?.text.includes('不予注册'));

    const personal = [
      person.name,
      person.idNumber,
      person.idNumber.slice(-6),
      person.idNumber.slice(6, 14),
      application.mobile,
      application.mobile.slice(-4),
      application.birthDate,
      application.school,
      application.major,
      enterprise.name,
      enterprise.uscc,
      enterprise.legalRepresentative,
      corrections[0]?.note ?? '',
      '从业经历不满足要求',
    ];
    for (const notice of notices) {
      for (const value of personal) assert.ok(!notice.text.includes(value), `「${notice.text}」 contains 「${value}」`);
    }

    await sendDueNotices(fixture.storage.db, developmentSmsProvider(fixture.storage.db, () => undefined));
    const inbox = await listDevelopmentSms(fixture.storage.db, application.mobile);
    assert.deepEqual(
      inbox.map((sms) => sms.text).sort(),
      notices.map((notice) => notice.text).sort(),
    );
    assert.ok((await listNoticesFor(fixture.storage.db, person.accountId)).every((notice) => notice.state === 'sent' && notice.sentAt));
  });

  it('tells of a withdrawal', async () => {
    const { person, id } = await submitted();
    const response = await api.request(`/submissions/${id}/withdrawal`, { method: 'POST', headers: { cookie: person.cookie } });
    assert.equal(response.status, 200);
    const notices = await listNoticesFor(fixture.storage.db, person.accountId);
    assert.deepEqual(
      notices.map((notice) => notice.event),
      ['received', 'decision'],
    );
    assert.ok(notices[1]?.text.includes('已撤回'));
  });

  it('keeps a decision whatever the provider does: it fails, the decision stands and its notice waits', async () => {
    const { person, id } = await submitted();
    await confirm(id);
    await decide(id, { decision: 'accept' });
    const broken: SmsProvider = {
      name: 'broken',
      send: () => Promise.reject(new Error('gateway down')),
    };
    const errors: unknown[] = [];
    const original = logger.error;
    logger.error = ((...args: unknown[]) => errors.push(args)) as typeof logger.error;
    try {
      await sendDueNotices(fixture.storage.db, broken);
    } finally {
      logger.error = original;
    }
    assert.ok(errors.length > 0);
    assert.equal(await statusOf(id), 'accepted');
    const notices = await listNoticesFor(fixture.storage.db, person.accountId);
    assert.deepEqual(
      notices.map((notice) => [notice.event, notice.state]),
      [
        ['received', 'pending'],
        ['decision', 'pending'],
      ],
    );
  });
});
