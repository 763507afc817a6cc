import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
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
import { reviewMessages } from '../../shared/api/review.ts';
import { createApi } from '../app.ts';
import { upsertEnterprises } from '../db/enterprises-store.ts';
import { developmentVerifier } from '../face-verification/development-verifier.ts';
import { REMEDIES_NOTICE } from './decision-text.ts';

const north = testEnterprise('1', '济南泉城建设工程监理有限公司', '山东省');
const south = testEnterprise('2', '广州珠江工程监理有限公司', '广东省');

describe('staff review and employer confirmation over HTTP', () => {
  let fixture: TestStorage;
  let api: ReturnType<typeof createApi>;
  let reviewer: SignedInStaff;
  let admin: SignedInStaff;
  let northEmployer: SignedInStaff;
  let southEmployer: SignedInStaff;
  let token: string;
  let people: TestApplicant[];
  let sequence = 1;

  const request = (path: string, init: RequestInit & { auth?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.auth?.startsWith('Bearer ')) headers.set('authorization', init.auth);
    else if (init.auth) headers.set('cookie', init.auth);
    return api.request(path, { ...init, headers });
  };
  const post = (path: string, body: unknown, auth?: string) =>
    request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), ...(auth ? { auth } : {}) });
  const json = async (response: Response) => (await response.json()) as Record<string, unknown> & { error?: string };

  /** A person submits an application naming `enterprise`; its id. */
  async function submit(enterprise = north, specialties: [string, string] = ['01', '13']): Promise<{ id: string; person: TestApplicant }> {
    sequence += 2;
    const person = await testApplicant(fixture.storage, sequence, `申请人${[...String(sequence)].map((digit) => '零一二三四五六七八九'[Number(digit)]).join('')}`);
    const response = await request('/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(applicationOf(person, enterprise, specialties)),
      auth: person.cookie,
    });
    assert.equal(response.status, 201, JSON.stringify(await response.clone().json()));
    return { id: String((await json(response)).id), person };
  }

  const decide = (id: string, body: Record<string, unknown>, auth = reviewer.cookie) =>
    post(`/staff/submissions/${id}/decisions`, { version: 1, ...body }, auth);
  const confirm = (id: string, body: Record<string, unknown> = { confirmed: true }, auth = northEmployer.cookie) =>
    post(`/employer/submissions/${id}/confirmation`, body, auth);

  async function confirmed(enterprise = north) {
    const submitted = await submit(enterprise);
    const employer = enterprise === north ? northEmployer : southEmployer;
    assert.equal((await confirm(submitted.id, { confirmed: true }, employer.cookie)).status, 200);
    return submitted;
  }

  const auditOf = (id: string) =>
    fixture.storage.db.selectFrom('audit_log').selectAll().where('subject', '=', `submission:${id}`).orderBy('at').execute();

  before(async () => {
    fixture = await openTestStorage();
    await upsertEnterprises(fixture.storage.db, [north, south]);
    api = createApi({ storage: fixture.storage, faceVerifier: developmentVerifier });
    reviewer = await signedInStaff(fixture.storage, 'reviewer');
    admin = await signedInStaff(fixture.storage, 'admin');
    northEmployer = await signedInStaff(fixture.storage, 'employer', north.uscc);
    southEmployer = await signedInStaff(fixture.storage, 'employer', south.uscc);
    token = await bearerToken(fixture.storage, '山东省住建厅');
    people = [];
  });
  after(() => fixture.cleanup());

  it('refuses anonymous calls and applicant cookies on every staff and employer route (401)', async () => {
    const { id, person } = await submit();
    people.push(person);
    const routes: [string, string][] = [
      ['GET', '/staff/submissions'],
      ['GET', `/staff/submissions/${id}`],
      ['GET', `/staff/submissions/${id}/attachments/photo`],
      ['POST', `/staff/submissions/${id}/decisions`],
      ['GET', '/staff/submissions.csv'],
      ['GET', '/employer/submissions'],
      ['POST', `/employer/submissions/${id}/confirmation`],
    ];
    for (const [method, path] of routes) {
      for (const auth of [undefined, person.cookie]) {
        const init = method === 'POST' ? { method, headers: { 'content-type': 'application/json' }, body: '{"confirmed":true,"decision":"accept","version":1}' } : { method };
        const response = await request(path, { ...init, ...(auth ? { auth } : {}) });
        assert.equal(response.status, 401, `${method} ${path} ${auth ? 'applicant' : 'anonymous'}`);
        assert.equal((await json(response)).error, '请先登录');
      }
    }
  });

  it('keeps each role to its routes: employers cannot decide, reviewers cannot confirm, tokens only read (403)', async () => {
    const { id } = await submit();
    const forbidden: [string, string, string][] = [
      ['GET', '/staff/submissions', northEmployer.cookie],
      ['GET', `/staff/submissions/${id}`, northEmployer.cookie],
      ['GET', `/staff/submissions/${id}/attachments/photo`, northEmployer.cookie],
      ['POST', `/staff/submissions/${id}/decisions`, northEmployer.cookie],
      ['GET', '/staff/submissions.csv', northEmployer.cookie],
      ['GET', '/employer/submissions', reviewer.cookie],
      ['POST', `/employer/submissions/${id}/confirmation`, admin.cookie],
      ['GET', '/staff/submissions', token],
      ['POST', `/staff/submissions/${id}/decisions`, token],
      ['GET', '/staff/submissions.csv', token],
      ['POST', `/employer/submissions/${id}/confirmation`, token],
    ];
    for (const [method, path, auth] of forbidden) {
      const init = method === 'POST' ? { method, headers: { 'content-type': 'application/json' }, body: '{"confirmed":true,"decision":"accept","version":1}' } : { method };
      const response = await request(path, { ...init, auth });
      assert.equal(response.status, 403, `${method} ${path}`);
    }
    // The refused writes changed nothing.
    assert.equal((await json(await request(`/staff/submissions/${id}`, { auth: reviewer.cookie }))).status, 'submitted');
    // A token reads the detail and the pictures.
    assert.equal((await request(`/staff/submissions/${id}`, { auth: token })).status, 200);
    assert.equal((await request(`/staff/submissions/${id}/attachments/signature`, { auth: token })).status, 200);
  });

  it('shows an employer only its own applications; another employer’s is answered like a missing one (404)', async () => {
    const mine = await submit(north);
    const theirs = await submit(south);
    const list = (await json(await request('/employer/submissions', { auth: northEmployer.cookie }))).submissions as { id: string; canConfirm: boolean }[];
    assert.ok(list.some((item) => item.id === mine.id && item.canConfirm));
    assert.ok(!list.some((item) => item.id === theirs.id));
    const other = await confirm(theirs.id);
    assert.equal(other.status, 404);
    assert.equal((await json(other)).error, reviewMessages.notFound);
    assert.equal((await confirm(randomUUID())).status, 404);
    assert.equal((await confirm('../../etc')).status, 404);
    assert.equal((await json(await request(`/staff/submissions/${theirs.id}`, { auth: reviewer.cookie }))).status, 'submitted');
  });

  it('employer confirmation: confirm once, decline only with a reason, nothing twice (409)', async () => {
    const a = await submit();
    const yes = await confirm(a.id);
    assert.equal(yes.status, 200);
    assert.deepEqual({ ...(await json(yes)), at: undefined }, { id: a.id, status: 'employer_confirmed', statusLabel: '单位已确认', version: 1, at: undefined });
    assert.equal((await confirm(a.id)).status, 409);
    assert.equal((await confirm(a.id, { confirmed: false, reason: '非本单位职工' })).status, 409);

    const b = await submit();
    assert.equal((await confirm(b.id, { confirmed: false })).status, 422);
    assert.equal((await confirm(b.id, { confirmed: false, reason: '   ' })).status, 422);
    const no = await confirm(b.id, { confirmed: false, reason: '非本单位职工' });
    assert.equal((await json(no)).status, 'employer_declined');
    // The reviewer cannot take it further.
    assert.equal((await decide(b.id, { decision: 'accept' })).status, 409);
  });

  it('takes an application from 受理 to 准予注册, each step once, in the history, the feed and the audit', async () => {
    const { id } = await confirmed();
    // Steps out of order are refused.
    for (const decision of ['start_review', 'publicise', 'approve']) assert.equal((await decide(id, { decision })).status, 409, decision);
    for (const decision of ['accept', 'start_review', 'publicise']) {
      const response = await decide(id, { decision }, decision === 'publicise' ? admin.cookie : reviewer.cookie);
      assert.equal(response.status, 200, decision);
    }
    const approved = await json(await decide(id, { decision: 'approve' }));
    assert.equal(approved.status, 'approved');
    assert.equal(approved.statusLabel, '准予注册');
    assert.equal(approved.text, undefined);
    for (const decision of ['approve', 'reject', 'accept']) assert.equal((await decide(id, { decision, reason: '理由' })).status, 409, decision);

    const detail = await json(await request(`/staff/submissions/${id}`, { auth: reviewer.cookie }));
    const history = detail.history as { status: string; kind: string; actor: string }[];
    assert.deepEqual(
      history.map((entry) => entry.status),
      ['submitted', 'employer_confirmed', 'accepted', 'under_review', 'publicised', 'approved'],
    );
    assert.equal(history[2]!.actor, `staff:${reviewer.id}`);
    assert.equal(history[4]!.actor, `staff:${admin.id}`);
    assert.deepEqual(
      (detail.deadlines as { kind: string; current: boolean }[]).map(({ kind, current }) => [kind, current]),
      [['correction', false], ['review', false], ['publicity', false]],
    );
    assert.deepEqual(detail.availableDecisions, []);

    const audit = await auditOf(id);
    assert.deepEqual(
      audit.map((entry) => entry.action).filter((action) => action.startsWith('submission.decision') || action.startsWith('submission.confirmation')),
      [
        'submission.confirmation.confirm',
        'submission.decision.accept',
        'submission.decision.start_review',
        'submission.decision.publicise',
        'submission.decision.approve',
      ],
    );
    const accept = audit.find((entry) => entry.action === 'submission.decision.accept')!;
    assert.equal(accept.actor, `staff:${reviewer.id}`);
    assert.equal(accept.actor_role, 'reviewer');
    const confirmation = audit.find((entry) => entry.action === 'submission.confirmation.confirm')!;
    assert.equal(confirmation.organisation, north.uscc);
    assert.ok(audit.some((entry) => entry.action === 'submission.read' && entry.actor === `staff:${reviewer.id}`));
  });

  it('states the right to 行政复议 and 行政诉讼 in 不予受理 and 不予注册, which need a reason', async () => {
    const refused = await confirmed();
    assert.equal((await decide(refused.id, { decision: 'not_accept' })).status, 422);
    const notAccepted = await json(await decide(refused.id, { decision: 'not_accept', reason: '申请人不具备注册条件。' }));
    assert.equal(notAccepted.status, 'not_accepted');
    assert.equal(notAccepted.text, `不予受理。理由：申请人不具备注册条件。${REMEDIES_NOTICE}`);
    assert.match(String(notAccepted.text), /行政复议.*行政诉讼/);

    const rejected = await confirmed();
    for (const decision of ['accept', 'start_review']) assert.equal((await decide(rejected.id, { decision })).status, 200);
    const rejection = await json(await decide(rejected.id, { decision: 'reject', reason: '业绩材料不实' }));
    assert.equal(rejection.status, 'rejected');
    assert.ok(String(rejection.text).includes(REMEDIES_NOTICE));
    const history = (await json(await request(`/staff/submissions/${rejected.id}`, { auth: reviewer.cookie }))).history as { reason?: string }[];
    assert.equal(history.at(-1)!.reason, rejection.text);
  });

  it('asks 补正 with every note at once, within the 5 working days only', async () => {
    const { id } = await confirmed();
    assert.equal((await decide(id, { decision: 'request_correction' })).status, 422);
    assert.equal((await decide(id, { decision: 'request_correction', corrections: [] })).status, 422);
    assert.equal((await decide(id, { decision: 'request_correction', corrections: [{ field: 'nonsense', note: '重拍' }] })).status, 400);
    const twice = [
      { field: 'photo', note: '照片背景应为白色' },
      { field: 'photo', note: '重拍' },
    ];
    assert.equal((await decide(id, { decision: 'request_correction', corrections: twice })).status, 400);
    const corrections = [
      { field: 'photo', note: '照片背景应为白色' },
      { field: 'school', note: '请填写毕业证书上的校名' },
    ];
    const asked = await json(await decide(id, { decision: 'request_correction', corrections }));
    assert.equal(asked.status, 'correction_requested');
    const history = (await json(await request(`/staff/submissions/${id}`, { auth: reviewer.cookie }))).history as { corrections?: unknown }[];
    assert.deepEqual(history.at(-1)!.corrections, corrections);
    // Asked once: the reviewer waits for the resubmission.
    assert.equal((await decide(id, { decision: 'request_correction', corrections })).status, 409);
    assert.equal((await decide(id, { decision: 'accept' })).status, 409);

    // Received a month ago: past §32's limit the application counts as accepted.
    const late = await confirmed();
    const monthAgo = new Date(Date.now() - 30 * 24 * 3600_000).toISOString();
    await fixture.storage.db.updateTable('submissions').set({ created_at: monthAgo }).where('id', '=', late.id).execute();
    await fixture.storage.db.updateTable('submission_events').set({ at: monthAgo }).where('submission_id', '=', late.id).where('kind', '=', 'submitted').execute();
    const tooLate = await decide(late.id, { decision: 'request_correction', corrections });
    assert.equal(tooLate.status, 409);
    assert.equal((await json(tooLate)).error, reviewMessages.correctionTooLate);
    const deadline = ((await json(await request(`/staff/submissions/${late.id}`, { auth: reviewer.cookie }))).deadlines as { kind: string; workingDaysLeft: number }[])[0]!;
    assert.equal(deadline.kind, 'correction');
    assert.ok(deadline.workingDaysLeft < 0);
    assert.equal((await decide(late.id, { decision: 'accept' })).status, 200);
  });

  it('refuses a decision on a version that is not the current one, and guessed ids (404)', async () => {
    const { id } = await confirmed();
    const stale = await decide(id, { decision: 'accept', version: 2 });
    assert.equal(stale.status, 409);
    assert.equal((await json(stale)).error, reviewMessages.stale);
    assert.equal((await decide(id, { decision: 'accept', version: 0 })).status, 400);
    assert.equal((await decide(id, { decision: 'fast_track' })).status, 400);
    for (const guess of [randomUUID(), 'x']) {
      assert.equal((await decide(guess, { decision: 'accept' })).status, 404);
      assert.equal((await request(`/staff/submissions/${guess}`, { auth: reviewer.cookie })).status, 404);
      assert.equal((await request(`/staff/submissions/${guess}/attachments/photo`, { auth: reviewer.cookie })).status, 404);
    }
    assert.equal((await json(await request(`/staff/submissions/${id}`, { auth: reviewer.cookie }))).status, 'employer_confirmed');
  });

  it('serves the photo and signature of each version to staff, as stored', async () => {
    const { id, person } = await submit();
    const photo = await request(`/staff/submissions/${id}/attachments/photo`, { auth: reviewer.cookie });
    assert.equal(photo.status, 200);
    assert.equal(photo.headers.get('content-type'), 'image/jpeg');
    assert.equal(photo.headers.get('cache-control'), 'no-store');
    assert.deepEqual(new Uint8Array(await photo.arrayBuffer()), person.photo.bytes);
    const signature = await request(`/staff/submissions/${id}/attachments/signature?version=1`, { auth: reviewer.cookie });
    assert.deepEqual(new Uint8Array(await signature.arrayBuffer()), person.signature.bytes);
    assert.equal((await request(`/staff/submissions/${id}/attachments/signature?version=2`, { auth: reviewer.cookie })).status, 404);
    assert.equal((await request(`/staff/submissions/${id}/attachments/face`, { auth: reviewer.cookie })).status, 404);
    const detail = await json(await request(`/staff/submissions/${id}`, { auth: reviewer.cookie }));
    assert.deepEqual(detail.attachments, {
      photo: `/api/staff/submissions/${id}/attachments/photo?version=1`,
      signature: `/api/staff/submissions/${id}/attachments/signature?version=1`,
    });
    assert.equal((detail.versions as unknown[]).length, 1);
    assert.ok((await auditOf(id)).some((entry) => entry.action === 'submission.attachment.photo'));
  });
  it('lists the queue with filters, counts per status and a cursor; exports the same as Excel-safe CSV', async () => {
    const mark = testEnterprise('3', '=CMD()监理有限公司', '江苏省');
    await upsertEnterprises(fixture.storage.db, [mark]);
    const first = await submit(mark, ['02', '13']);
    const second = await submit(mark, ['01', '02']);
    await submit(mark, ['01', '13']);
    const employer = await signedInStaff(fixture.storage, 'employer', mark.uscc);
    assert.equal((await confirm(second.id, { confirmed: true }, employer.cookie)).status, 200);

    const queue = async (query: string, auth = reviewer.cookie) => json(await request(`/staff/submissions?${query}`, { auth }));
    const all = await queue('province=江苏省');
    assert.deepEqual((all.submissions as { id: string }[]).map((item) => item.id).slice(0, 2), [first.id, second.id]);
    assert.deepEqual(all.counts, { submitted: 2, employer_confirmed: 1 });
    assert.equal(all.nextCursor, null);
    const item = (all.submissions as Record<string, unknown>[])[0]!;
    assert.equal(item.idNumber, first.person.idNumber);
    assert.deepEqual(item.enterprise, { uscc: mark.uscc, name: mark.name, province: '江苏省' });
    assert.equal((item.deadline as { kind: string; workingDaysLeft: number }).kind, 'correction');

    const confirmedOnly = await queue('province=江苏省&status=employer_confirmed');
    assert.deepEqual((confirmedOnly.submissions as { id: string }[]).map((entry) => entry.id), [second.id]);
    assert.deepEqual(confirmedOnly.counts, { submitted: 2, employer_confirmed: 1 }, 'counts ignore the status filter');
    assert.equal(((await queue('province=江苏省&specialty=02')).submissions as unknown[]).length, 2);
    assert.equal(((await queue(`enterprise=${mark.uscc}`)).submissions as unknown[]).length, 3);
    assert.equal(((await queue('enterprise=CMD')).submissions as unknown[]).length, 3);
    assert.equal(((await queue('enterprise=%25')).submissions as unknown[]).length, 0, 'a % in the filter is only a character');
    assert.equal(((await queue('province=江苏省&to=2000-01-01')).submissions as unknown[]).length, 0);

    const page1 = await queue('province=江苏省&limit=2');
    assert.equal((page1.submissions as unknown[]).length, 2);
    const page2 = await queue(`province=江苏省&limit=2&cursor=${page1.nextCursor}`);
    assert.equal((page2.submissions as unknown[]).length, 1);
    assert.equal(page2.nextCursor, null);
    const tampered = await request(`/staff/submissions?cursor=${String(page1.nextCursor).slice(3)}`, { auth: reviewer.cookie });
    assert.equal(tampered.status, 400);
    assert.equal((await request('/staff/submissions?status=done', { auth: reviewer.cookie })).status, 400);
    assert.equal((await request('/staff/submissions?from=2026-02-30', { auth: reviewer.cookie })).status, 400);

    const csv = await request('/staff/submissions.csv?province=江苏省', { auth: admin.cookie });
    assert.equal(csv.status, 200);
    assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.match(csv.headers.get('content-disposition') ?? '', /^attachment; filename="submissions-\d{4}-\d{2}-\d{2}\.csv"; filename\*=UTF-8''/);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).split('\r\n');
    assert.equal(lines.length, 5, 'heading, three rows, and the empty rest after the last CRLF');
    assert.ok(lines[0]!.startsWith('"受理回执编号","提交时间"'));
    assert.ok(lines[1]!.includes(`"=""${first.person.idNumber}"""`), 'ID number as a text formula');
    assert.ok(lines[1]!.includes(`"=""${mark.uscc}"""`), 'USCC as a text formula');
    assert.ok(lines[1]!.includes(`"'=CMD()监理有限公司"`), 'the enterprise name neutralised');

    const actions = await fixture.storage.db.selectFrom('audit_log').select(['action', 'actor']).where('subject', '=', 'staff').execute();
    assert.ok(actions.some((entry) => entry.action === 'submissions.list' && entry.actor === `staff:${reviewer.id}`));
    assert.ok(actions.some((entry) => entry.action === 'submissions.export' && entry.actor === `staff:${admin.id}`));
    assert.ok(actions.some((entry) => entry.action === 'submissions.list' && entry.actor === `staff:${northEmployer.id}`));
  });
});
