import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import { openTestStorage, type TestStorage } from '../../test/support/route-fixtures.ts';
import {
  applicationOf,
  bearerToken,
  type SignedInStaff,
  signedInStaff,
  type TestApplicant,
  testApplicant,
  testEnterprise,
} from '../../test/support/review-fixtures.ts';
import { type ClosureAnswer, type MyData, myDataSchema } from '../../shared/api/my-data.ts';
import * as v from 'valibot';
import { SESSION_COOKIE } from '../accounts/session.ts';
import { authenticate } from '../accounts/sign-in.ts';
import { registerAccount } from '../accounts/registration.ts';
import { createApi } from '../app.ts';
import { listAuditForSubject } from '../db/audit-log-store.ts';
import { upsertEnterprises } from '../db/enterprises-store.ts';
import { recordFaceVerification } from '../db/face-verifications-store.ts';
import { createSession } from '../db/sessions-store.ts';
import { developmentVerifier } from '../face-verification/development-verifier.ts';
import { myDataRoutes } from './my-data-routes.ts';

const enterprise = testEnterprise('8', '烟台港城工程监理有限公司', '山东省');
const MINUTE = 60_000;

describe('我的信息 and 注销账号 over HTTP', () => {
  let fixture: TestStorage;
  let api: ReturnType<typeof createApi>;
  let reviewer: SignedInStaff;
  let employer: SignedInStaff;
  let token: string;
  let sequence = 701;

  const request = (path: string, auth: string | undefined, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (auth?.startsWith('Bearer ')) headers.set('authorization', auth);
    else if (auth) headers.set('cookie', auth);
    return api.request(path, { ...init, headers });
  };
  const post = (path: string, auth: string, body?: unknown) =>
    request(path, auth, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  async function myData(person: TestApplicant): Promise<MyData> {
    const response = await request('/me/data', person.cookie);
    assert.equal(response.status, 200, await response.clone().text());
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const parsed = v.safeParse(myDataSchema, await response.json());
    assert.ok(parsed.success, 'the answer matches its documented schema');
    return parsed.output;
  }

  async function submitted(person: TestApplicant): Promise<{ id: string; receiptNumber: string }> {
    const response = await post('/submissions', person.cookie, applicationOf(person, enterprise));
    assert.equal(response.status, 201, await response.clone().text());
    return (await response.json()) as { id: string; receiptNumber: string };
  }

  async function person(name = '周文博'): Promise<TestApplicant> {
    sequence += 2;
    return testApplicant(fixture.storage, sequence, name);
  }

  /** The closure route with its own clock, to age the face check. */
  const closeAt = (person: TestApplicant, now: Date) =>
    new Hono()
      .route('/api/me', myDataRoutes(fixture.storage, { clock: () => now }))
      .request('/api/me/closure', { method: 'POST', headers: { cookie: person.cookie } });

  before(async () => {
    fixture = await openTestStorage();
    await upsertEnterprises(fixture.storage.db, [enterprise]);
    api = createApi({ storage: fixture.storage, faceVerifier: developmentVerifier });
    reviewer = await signedInStaff(fixture.storage, 'reviewer');
    employer = await signedInStaff(fixture.storage, 'employer', enterprise.uscc);
    token = await bearerToken(fixture.storage, '山东省注册管理系统');
  });
  after(() => fixture.cleanup());

  it('answers 401 without a session, and to a staff cookie or a machine token', async () => {
    assert.equal((await request('/me/data', undefined)).status, 401);
    assert.equal((await request('/me/data', reviewer.cookie)).status, 401);
    assert.equal((await request('/me/data', token)).status, 401);
    assert.equal((await request('/me/closure', employer.cookie, { method: 'POST' })).status, 401);
  });

  it('shows the account, every version with its body, the steps, face checks by verdict and time, and the notices', async () => {
    const me = await person();
    await recordFaceVerification(fixture.storage.db, { accountId: me.accountId, result: 'fail', provider: 'test', reference: 'ref-secret-1' });
    const { id, receiptNumber } = await submitted(me);
    const data = await myData(me);

    assert.deepEqual(
      { name: data.account.name, idNumber: data.account.idNumber, mobile: data.account.mobile },
      { name: me.name, idNumber: me.idNumber, mobile: '13800138000' },
    );
    assert.equal(data.applications.length, 1);
    const [application] = data.applications;
    assert.equal(application?.receiptNumber, receiptNumber);
    assert.equal(application?.statusLabel, '已提交，待单位确认');
    assert.equal(application?.versions.length, 1);
    assert.equal(application?.versions[0]?.application.idNumber, me.idNumber);
    assert.deepEqual(application?.history.map((step) => step.status), ['submitted']);
    assert.deepEqual(
      data.faceChecks.map((check) => check.result).sort(),
      ['fail', 'pass'],
    );
    for (const check of data.faceChecks) assert.deepEqual(Object.keys(check).sort(), ['at', 'result']);
    assert.ok(!JSON.stringify(data).includes('ref-secret-1'), "the verifier's reference stays out");
    assert.ok(data.notices.some((notice) => notice.submissionId === id && notice.text.includes(receiptNumber)), 'the received notice');
    assert.deepEqual(data.accessLog, []);
  });

  it("lists each read and decision by staff, the employer and a machine client, by role only, and never another person's", async () => {
    const me = await person('吴海燕');
    const other = await person('郑国强');
    const { id, receiptNumber } = await submitted(me);
    const theirs = await submitted(other);

    assert.equal((await post(`/employer/submissions/${id}/confirmation`, employer.cookie, { confirmed: true })).status, 200);
    assert.equal((await request(`/staff/submissions/${id}`, reviewer.cookie)).status, 200);
    assert.equal((await request(`/staff/submissions/${id}`, token)).status, 200);
    assert.equal((await post(`/staff/submissions/${id}/decisions`, reviewer.cookie, { version: 1, decision: 'accept' })).status, 200);
    assert.equal((await request(`/staff/submissions/${theirs.id}`, reviewer.cookie)).status, 200);

    const data = await myData(me);
    assert.deepEqual(
      data.accessLog.map(({ role, roleLabel, organisation, action, actionLabel, receiptNumber: number }) => ({
        role,
        roleLabel,
        organisation,
        action,
        actionLabel,
        number,
      })),
      [
        { role: 'reviewer', roleLabel: '审查人员', organisation: null, action: 'submission.decision.accept', actionLabel: '作出决定：受理', number: receiptNumber },
        { role: 'token', roleLabel: '对接系统', organisation: '山东省注册管理系统', action: 'submission.read', actionLabel: '查看了申请', number: receiptNumber },
        { role: 'reviewer', roleLabel: '审查人员', organisation: null, action: 'submission.read', actionLabel: '查看了申请', number: receiptNumber },
        { role: 'employer', roleLabel: '受聘单位', organisation: enterprise.uscc, action: 'submission.confirmation.confirm', actionLabel: '确认了聘用关系', number: receiptNumber },
      ],
    );
    const text = JSON.stringify(data);
    assert.ok(!text.includes(reviewer.id) && !text.includes(employer.id), 'no staff id');
    assert.ok(!text.includes('reviewer-') && !text.includes('employer-'), 'no staff user name');
    assert.ok(!text.includes(theirs.receiptNumber) && !text.includes(other.idNumber), "nothing of the other person's");
    assert.ok(!data.accessLog.some((entry) => entry.submissionId === theirs.id));
    assert.deepEqual(data.applications[0]?.history.map((step) => step.statusLabel), ['已提交，待单位确认', '单位已确认', '已受理']);

    const otherData = await myData(other);
    assert.equal(otherData.accessLog.length, 1, 'only the read of their own application');
    assert.ok(!JSON.stringify(otherData).includes(receiptNumber));
  });

  it("writes the person's own read to the audit", async () => {
    const me = await person();
    await myData(me);
    const entries = await listAuditForSubject(fixture.storage.db, `account:${me.accountId}`);
    assert.deepEqual(
      entries.map(({ actor, actorRole, action }) => ({ actor, actorRole, action })),
      [{ actor: `account:${me.accountId}`, actorRole: 'applicant', action: 'account.data-read' }],
    );
  });

  it('refuses to close while an application is in progress (409), naming it', async () => {
    const me = await person();
    const { receiptNumber } = await submitted(me);
    const response = await post('/me/closure', me.cookie);
    assert.equal(response.status, 409);
    const { error } = (await response.json()) as { error: string };
    assert.match(error, new RegExp(`${receiptNumber}（已提交，待单位确认）.*办结或撤回后才能注销账号`));
    assert.equal((await request('/me/data', me.cookie)).status, 200, 'still signed in');
  });

  it('asks for a face check no older than 10 minutes (403), the boundary included', async () => {
    const me = await person();
    const checkedAt = new Date(Date.now() - 20 * MINUTE);
    await fixture.storage.db.deleteFrom('face_verifications').where('account_id', '=', me.accountId).execute();
    await recordFaceVerification(fixture.storage.db, { accountId: me.accountId, result: 'pass', provider: 'test', reference: randomUUID(), now: checkedAt });
    const late = await closeAt(me, new Date(checkedAt.getTime() + 10 * MINUTE + 1));
    assert.equal(late.status, 403);
    assert.equal(((await late.json()) as { error: string }).error, '注销账号前请先完成人脸识别（10 分钟内有效）');
    await recordFaceVerification(fixture.storage.db, { accountId: me.accountId, result: 'fail', provider: 'test', reference: randomUUID(), now: new Date(checkedAt.getTime() + MINUTE) });
    assert.equal((await closeAt(me, new Date(checkedAt.getTime() + 11 * MINUTE))).status, 403, 'a failed check does not count');
    assert.equal((await closeAt(me, new Date(checkedAt.getTime() + 10 * MINUTE))).status, 200);
  });

  it('closes: every session ends, nobody signs in or is found by the ID number, the decided application and the audit stay', async () => {
    const me = await person('冯晓东');
    const { id, receiptNumber } = await submitted(me);
    assert.equal((await request(`/staff/submissions/${id}`, reviewer.cookie)).status, 200);
    assert.equal((await post(`/submissions/${id}/withdrawal`, me.cookie)).status, 200);
    const secondToken = randomBytes(32).toString('base64url');
    await createSession(fixture.storage.db, { token: secondToken, accountId: me.accountId, expiresAt: new Date(Date.now() + 3600_000) });
    const secondDevice = `${SESSION_COOKIE}=${secondToken}`;
    assert.equal((await request('/me/data', secondDevice)).status, 200);
    await fixture.storage.db
      .insertInto('drafts')
      .values({ id: randomUUID(), account_id: me.accountId, revision: 1, body: '{}', updated_at: new Date().toISOString() })
      .execute();
    const auditBefore = await listAuditForSubject(fixture.storage.db, `submission:${id}`);

    const response = await post('/me/closure', me.cookie);
    assert.equal(response.status, 200, await response.clone().text());
    const answer = (await response.json()) as ClosureAnswer;
    assert.equal(answer.keptApplications, 1);
    assert.match(answer.kept, /依照法律法规的要求继续保存/);
    assert.match(response.headers.get('set-cookie') ?? '', /jl_session=;/);

    assert.equal((await request('/me/data', me.cookie)).status, 401, 'the session is over');
    assert.equal((await request('/me/data', secondDevice)).status, 401, 'so is the other device’s');
    const db = fixture.storage.db;
    assert.deepEqual(await db.selectFrom('sessions').select('id').where('account_id', '=', me.accountId).execute(), []);
    assert.deepEqual(await db.selectFrom('drafts').select('id').where('account_id', '=', me.accountId).execute(), []);
    const row = await db.selectFrom('accounts').selectAll().where('id', '=', me.accountId).executeTakeFirstOrThrow();
    assert.deepEqual({ password: row.password_hash, mobile: row.mobile, name: row.name }, { password: '', mobile: '', name: '' });
    assert.equal(await authenticate(fixture.storage, me.idNumber, 'not-used-here'), undefined);
    assert.ok((await db.selectFrom('closed_accounts').selectAll().where('account_id', '=', me.accountId).executeTakeFirst())?.closed_at);

    // The decided application stays with its photo and signature; the audit only grew.
    const kept = await db.selectFrom('submissions').select(['receipt_number', 'status']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(kept, { receipt_number: receiptNumber, status: 'withdrawn' });
    const attachments = await db.selectFrom('attachments').select('source_sha256').where('account_id', '=', me.accountId).execute();
    assert.deepEqual(attachments.map((a) => a.source_sha256).sort(), [me.photo.id, me.signature.id].sort());
    assert.deepEqual(await listAuditForSubject(db, `submission:${id}`), auditBefore);
    const closing = await listAuditForSubject(db, `account:${me.accountId}`);
    assert.deepEqual(closing.map((entry) => entry.action), ['account.data-read', 'account.close'], 'the read from the other device, then the closing');

    // The same person may register again, afresh.
    const again = await registerAccount(fixture.storage, { name: me.name, idNumber: me.idNumber, mobile: '13900139000', password: 'Anew-pass-2024' });
    assert.ok(again.ok);
    assert.notEqual(again.account.id, me.accountId);
  });

  it('closes an account with no applications, and drops its uploads', async () => {
    const me = await person();
    assert.equal((await post('/me/closure', me.cookie)).status, 200);
    const attachments = await fixture.storage.db.selectFrom('attachments').select('source_sha256').where('account_id', '=', me.accountId).execute();
    assert.deepEqual(attachments, []);
  });
});
