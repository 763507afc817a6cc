import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import type { SubmissionDetail, SubmissionList, SubmissionReceipt, VersionReceipt } from '../../shared/api/submissions.ts';
import { COMMITMENT_VERSION } from '../../shared/commitment.ts';
import { verifyReceipt } from '../../shared/receipt-signature.ts';
import type { SubmissionStatus } from '../../shared/submission-status.ts';
import { usccCheckChar } from '../../shared/uscc.ts';
import { openTestStorage, type TestStorage, testIdNumber } from '../../test/support/route-fixtures.ts';
import { SESSION_COOKIE } from '../accounts/session.ts';
import { sha256Hex } from '../crypto/sha256.ts';
import { createAccount } from '../db/accounts-store.ts';
import { putAttachment } from '../db/attachments-store.ts';
import type { Storage } from '../db/database.ts';
import { upsertEnterprises } from '../db/enterprises-store.ts';
import { recordFaceVerification } from '../db/face-verifications-store.ts';
import { createSession } from '../db/sessions-store.ts';
import { listSubmissionVersions } from '../db/submission-versions-store.ts';
import { findSubmissionById, moveSubmissionStatus } from '../db/submissions-store.ts';
import { historyOf, recordEvent } from '../feed/submission-events.ts';
import { loadReceiptSigner } from '../receipts/receipt-signer.ts';
import { submissionRoutes } from './submission-routes.ts';

const USCC = `91310115MA1K3B7X2${usccCheckChar('91310115MA1K3B7X2')}`;
const ENTERPRISE = { uscc: USCC, name: '上海示例工程监理有限公司', legalRepresentative: '李四', province: '上海市', city: '浦东新区' };
const OTHER_USCC = `91110108MA01ABCD1${usccCheckChar('91110108MA01ABCD1')}`;
const OTHER = { uscc: OTHER_USCC, name: '北京示例监理有限公司', legalRepresentative: '赵六', province: '北京市', city: '海淀区' };

describe('resubmission after 补正 and withdrawal', () => {
  let testStorage: TestStorage;
  let storage: Storage;
  let app: Hono;
  let publicKey: string;
  let sequence = 301; // odd: male, as the application says

  async function person(name: string) {
    sequence += 2;
    const account = await createAccount(storage.db, { name, idNumber: testIdNumber(sequence), mobile: '13800138000', passwordHash: 'x' });
    const token = randomBytes(32).toString('base64url');
    await createSession(storage.db, { token, accountId: account.id, expiresAt: new Date(Date.now() + 3600_000) });
    await recordFaceVerification(storage.db, { accountId: account.id, result: 'pass', provider: 'test', reference: randomUUID() });
    const upload = async (kind: 'photo' | 'signature') => {
      const bytes = randomBytes(64);
      return (await putAttachment(storage.db, { accountId: account.id, id: sha256Hex(bytes), kind, mime: 'image/jpeg', bytes })).attachment.id;
    };
    const cookie = `${SESSION_COOKIE}=${token}`;
    const application = (overrides: Record<string, unknown> = {}) => ({
      name,
      sex: 'male',
      idType: 'resident-id',
      idNumber: account.idNumber,
      birthDate: '1990-01-01',
      mobile: '13800138000',
      ethnicity: '01',
      education: '21',
      degree: '400',
      school: '同济大学',
      major: '土木工程',
      graduationDate: '2012-07-01',
      enterprise: { ...ENTERPRISE },
      specialty1: '01',
      specialty2: '13',
      photo: photoId,
      signature: signatureId,
      commitment: { version: COMMITMENT_VERSION, choice: 'accept', acceptedAt: new Date().toISOString() },
      ...overrides,
    });
    const photoId = await upload('photo');
    const signatureId = await upload('signature');
    return { account, cookie, application, upload };
  }
  type Person = Awaited<ReturnType<typeof person>>;

  const send = (p: Person, path: string, body?: unknown, key?: string) =>
    app.request(`/api/submissions${path}`, {
      method: body === undefined && key === undefined ? 'GET' : 'POST',
      headers: { cookie: p.cookie, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const withdraw = (p: Person, id: string) => app.request(`/api/submissions/${id}/withdrawal`, { method: 'POST', headers: { cookie: p.cookie } });

  async function submitted(p: Person, key = randomUUID(), body = p.application()): Promise<SubmissionReceipt> {
    const res = await send(p, '', body, key);
    assert.equal(res.status, 201, await res.clone().text());
    return (await res.json()) as SubmissionReceipt;
  }

  /** The reviewer's 补正 request, as the decision route makes it: the status and its event together. */
  async function askCorrection(id: string, notes = [{ field: 'photo', note: '照片背景应为白色' }]) {
    const submission = await findSubmissionById(storage.db, id);
    assert.ok(submission);
    await storage.db.transaction().execute(async (trx) => {
      const from = { status: submission.status, version: submission.version };
      for (const status of ['employer_confirmed', 'correction_requested'] as SubmissionStatus[]) {
        if (from.status === status) continue;
        assert.ok(await moveSubmissionStatus(trx, id, from, status));
        from.status = status;
      }
      await recordEvent(trx, { submissionId: id, version: submission.version, status: 'correction_requested', kind: 'status', actor: 'staff:r', detail: { corrections: notes }, at: new Date() });
    });
  }

  before(async () => {
    testStorage = await openTestStorage();
    storage = testStorage.storage;
    app = new Hono().route('/api/submissions', submissionRoutes(storage));
    publicKey = (await loadReceiptSigner(storage.db)).publicKey;
    await upsertEnterprises(storage.db, [ENTERPRISE, OTHER]);
  });
  after(() => testStorage.cleanup());

  it('stores the first submission as version 1 with a submitted event', async () => {
    const p = await person('张三');
    const receipt = await submitted(p);
    const versions = await listSubmissionVersions(storage.db, receipt.id);
    assert.deepEqual(versions.map((v) => [v.version, v.bodySha256, v.receiptSignature?.signature]), [[1, receipt.bodySha256, receipt.receipt.signature]]);
    assert.deepEqual((await historyOf(storage.db, receipt.id)).map((e) => [e.kind, e.status, e.version]), [['submitted', 'submitted', 1]]);
  });

  it('shows the notes while 补正 is asked, and takes the corrected version once per key with a new signed receipt', async () => {
    const p = await person('李四');
    const firstKey = randomUUID();
    const firstBody = p.application();
    const first = await submitted(p, firstKey, firstBody);
    const early = await send(p, `/${first.id}/versions`, p.application(), randomUUID());
    assert.equal(early.status, 409);
    assert.deepEqual(await early.json(), { error: '该申请当前无需补正，不能重新提交' });

    await askCorrection(first.id);
    const list = (await (await send(p, '')).json()) as SubmissionList;
    assert.deepEqual(list.submissions[0]?.corrections, [{ field: 'photo', note: '照片背景应为白色' }]);
    assert.equal(list.submissions[0]?.statusLabel, '需补正');

    const key = randomUUID();
    const corrected = p.application({ photo: await p.upload('photo') });
    const res = await send(p, `/${first.id}/versions`, corrected, key);
    assert.equal(res.status, 201);
    const answer = (await res.json()) as VersionReceipt;
    assert.equal(answer.version, 2);
    assert.equal(answer.receiptNumber, first.receiptNumber);
    assert.equal(answer.status, 'employer_confirmed');
    assert.notEqual(answer.bodySha256, first.bodySha256);
    assert.equal(await verifyReceipt(answer.receipt, publicKey), true);
    assert.equal(await verifyReceipt(first.receipt, publicKey), true, 'the first receipt stays valid');

    const replay = await send(p, `/${first.id}/versions`, corrected, key);
    assert.equal(replay.status, 200);
    assert.deepEqual(await replay.json(), answer);
    // The same key on the first-submission route, or for another body, is not this answer.
    assert.equal((await send(p, '', corrected, key)).status, 422);
    assert.equal((await send(p, `/${first.id}/versions`, p.application(), key)).status, 422);
    assert.equal((await listSubmissionVersions(storage.db, first.id)).length, 2);

    const detail = (await (await send(p, `/${first.id}`)).json()) as SubmissionDetail;
    assert.equal(detail.version, 2);
    assert.equal(detail.corrections, undefined);
    assert.deepEqual(detail.receipt, answer.receipt);
    assert.deepEqual((await historyOf(storage.db, first.id)).map((e) => [e.kind, e.status, e.version]), [
      ['submitted', 'submitted', 1],
      ['status', 'correction_requested', 1],
      ['resubmitted', 'employer_confirmed', 2],
    ]);
    // The first key still answers with the first version's receipt.
    const firstAgain = await send(p, '', firstBody, firstKey);
    assert.equal(firstAgain.status, 200);
    assert.deepEqual(await firstAgain.json(), first);
    // 补正 is done: a second resubmission under a new key is refused.
    assert.equal((await send(p, `/${first.id}/versions`, corrected, randomUUID())).status, 409);
  });

  it('answers 404 for another person’s application and refuses another enterprise', async () => {
    const owner = await person('王五');
    const stranger = await person('赵六');
    const first = await submitted(owner);
    await askCorrection(first.id);
    const foreign = await send(stranger, `/${first.id}/versions`, stranger.application(), randomUUID());
    assert.equal(foreign.status, 404);
    assert.equal((await withdraw(stranger, first.id)).status, 404);
    const moved = await send(owner, `/${first.id}/versions`, owner.application({ enterprise: { ...OTHER } }), randomUUID());
    assert.equal(moved.status, 422);
    assert.deepEqual(((await moved.json()) as { issues: unknown[] }).issues, [{ field: 'enterprise.name', message: '补正时不能更换受聘企业' }]);
    assert.equal((await findSubmissionById(storage.db, first.id))?.version, 1);
  });

  it('withdraws before 受理 only, once, with a withdrawn event', async () => {
    const p = await person('孙七');
    const first = await submitted(p);
    const res = await withdraw(p, first.id);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { status: string; statusLabel: string }).statusLabel, '已撤回');
    assert.equal((await withdraw(p, first.id)).status, 200, 'a retry of a lost answer');
    assert.deepEqual((await historyOf(storage.db, first.id)).map((e) => e.kind), ['submitted', 'withdrawn']);

    const accepted = await submitted(p);
    const row = await findSubmissionById(storage.db, accepted.id);
    assert.ok(row && (await moveSubmissionStatus(storage.db, accepted.id, row, 'accepted')));
    const late = await withdraw(p, accepted.id);
    assert.equal(late.status, 409);
    assert.deepEqual(await late.json(), { error: '该申请已受理或已办结，不能撤回' });
  });
});
