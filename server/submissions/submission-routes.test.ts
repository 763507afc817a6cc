import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import { COMMITMENT_VERSION, commitmentPlainText } from '../../shared/commitment.ts';
import { residentIdCheckChar } from '../../shared/resident-id.ts';
import { usccCheckChar } from '../../shared/uscc.ts';
import { SESSION_COOKIE } from '../accounts/session.ts';
import type { Account } from '../accounts/account.ts';
import { createAccount } from '../db/accounts-store.ts';
import { sha256Hex } from '../crypto/sha256.ts';
import { putAttachment } from '../db/attachments-store.ts';
import { listAuditForSubject } from '../db/audit-log-store.ts';
import type { Storage } from '../db/database.ts';
import { upsertEnterprises } from '../db/enterprises-store.ts';
import { recordFaceVerification } from '../db/face-verifications-store.ts';
import { createSession } from '../db/sessions-store.ts';
import { claimIdempotencyKey } from '../db/idempotency-store.ts';
import { findSubmissionById, insertSubmission } from '../db/submissions-store.ts';
import { canonicalJson } from '../../shared/canonical-json.ts';
import { openTestStorage, type TestStorage } from '../../test/support/route-fixtures.ts';
import { type SignedReceipt, verifyReceipt } from '../../shared/receipt-signature.ts';
import { loadReceiptSigner, type ReceiptSigner } from '../receipts/receipt-signer.ts';
import { RECEIPT_NUMBER_PATTERN } from './receipt-number.ts';
import { submissionBody } from './submission.ts';
import { type SubmissionRoutesOptions, submissionRoutes } from './submission-routes.ts';

const USCC_BODY = '91310115MA1K3B7X2';
const USCC = USCC_BODY + usccCheckChar(USCC_BODY);
const ENTERPRISE = {
  uscc: USCC,
  name: '上海示例工程监理有限公司',
  legalRepresentative: '李四',
  province: '上海市',
  city: '浦东新区',
};

/** A made-up but valid resident ID; `sequence` keeps the people apart (odd last digit = male). */
function residentId(birth: string, sequence: string): string {
  const first17 = `110105${birth.replaceAll('-', '')}${sequence}`;
  return first17 + residentIdCheckChar(first17);
}

interface Person {
  account: Account;
  cookie: string;
  photo: string;
  signature: string;
}

describe('/api/submissions on SQLite', () => {
  let testStorage: TestStorage;
  let storage: Storage;
  let app: Hono;
  let zhang: Person;
  let wang: Person;
  let sequence = 100;
  let signer: ReceiptSigner;

  async function person(name: string, { faceVerified = true, birth = '1980-01-01', faceAt = new Date() } = {}): Promise<Person> {
    sequence += 2;
    const account = await createAccount(storage.db, {
      name,
      idNumber: residentId(birth, String(sequence + 1)),
      mobile: '13800138000',
      passwordHash: 'not-used-here',
    });
    const token = randomBytes(32).toString('base64url');
    await createSession(storage.db, { token, accountId: account.id, expiresAt: new Date(Date.now() + 3600_000) });
    if (faceVerified) {
      await recordFaceVerification(storage.db, { accountId: account.id, result: 'pass', provider: 'test', reference: randomUUID(), now: faceAt });
    }
    // Stored as the upload route would: under the hash of the uploaded bytes (here the same bytes).
    const upload = async (kind: 'photo' | 'signature') => {
      const bytes = randomBytes(64);
      const put = await putAttachment(storage.db, { accountId: account.id, id: sha256Hex(bytes), kind, mime: 'image/jpeg', bytes });
      return put.attachment.id;
    };
    return { account, cookie: `${SESSION_COOKIE}=${token}`, photo: await upload('photo'), signature: await upload('signature') };
  }

  function applicationOf(p: Person, overrides: Record<string, unknown> = {}) {
    return {
      name: p.account.name,
      sex: 'male',
      idType: 'resident-id',
      idNumber: p.account.idNumber,
      birthDate: '1980-01-01',
      mobile: '13800138000',
      ethnicity: '01',
      education: '21',
      degree: '400',
      school: '同济大学',
      major: '土木工程',
      graduationDate: '2002-07-01',
      enterprise: { ...ENTERPRISE },
      specialty1: '01',
      specialty2: '13',
      photo: p.photo,
      signature: p.signature,
      commitment: { version: COMMITMENT_VERSION, choice: 'accept', acceptedAt: new Date().toISOString() },
      ...overrides,
    };
  }

  /** `key: null` sends no Idempotency-Key header. */
  function post(p: Person | undefined, body: unknown, key: string | null = randomUUID(), raw = false) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (p) headers.cookie = p.cookie;
    if (key !== null) headers['idempotency-key'] = key;
    return app.request('/api/submissions', {
      method: 'POST',
      headers,
      body: raw ? (body as string) : JSON.stringify(body),
    });
  }

  const get = (p: Person, path = '') => app.request(`/api/submissions${path}`, { headers: { cookie: p.cookie } });

  function mount(options?: SubmissionRoutesOptions): Hono {
    return new Hono().route('/api/submissions', submissionRoutes(storage, options));
  }

  const idempotencyRow = (key: string) =>
    storage.db.selectFrom('idempotency_keys').selectAll().where('key', '=', key).executeTakeFirst();

  async function countRows(accountId: string): Promise<number> {
    const row = await storage.db
      .selectFrom('submissions')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  before(async () => {
    testStorage = await openTestStorage();
    storage = testStorage.storage;
    app = mount();
    // The routes' default signer: the key kept in this database.
    signer = await loadReceiptSigner(storage.db);
    await upsertEnterprises(storage.db, [ENTERPRISE]);
    zhang = await person('张三');
    wang = await person('王五');
  });

  after(async () => {
    await testStorage.cleanup();
  });

  it('asks for a session first', async () => {
    const res = await post(undefined, applicationOf(zhang));
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  it('needs an Idempotency-Key that is a UUID', async () => {
    const missing = await post(zhang, applicationOf(zhang), null);
    assert.equal(missing.status, 400);
    assert.deepEqual(await missing.json(), { error: '缺少 Idempotency-Key 请求头' });
    const bad = await post(zhang, applicationOf(zhang), 'not-a-uuid');
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: string }).error, 'Idempotency-Key 请求头应为 UUID');
    assert.equal(await countRows(zhang.account.id), 0);
  });

  it('rejects an invalid body with field issues, stores nothing and echoes no value', async () => {
    const secretMobile = '12345';
    const res = await post(zhang, applicationOf(zhang, { mobile: secretMobile, specialty2: '01', photo: undefined }));
    assert.equal(res.status, 400);
    const text = await res.text();
    assert.ok(!text.includes(secretMobile));
    const body = JSON.parse(text) as { error: string; issues: { field: string; message: string }[] };
    assert.equal(body.error, '提交的信息有误，请按提示修改');
    const fields = body.issues.map((i) => i.field);
    assert.ok(fields.includes('mobile'));
    assert.ok(fields.includes('photo'));
    assert.equal(await countRows(zhang.account.id), 0);

    const notJson = await post(zhang, '{"name":', randomUUID(), true);
    assert.equal(notJson.status, 400);
    assert.equal(await countRows(zhang.account.id), 0);
  });

  it('requires a passed face verification within 24 hours', async () => {
    const li = await person('李四', { faceVerified: false });
    const none = await post(li, applicationOf(li));
    assert.equal(none.status, 403);
    assert.deepEqual(await none.json(), { error: '请先完成人脸识别' });

    await recordFaceVerification(storage.db, {
      accountId: li.account.id,
      result: 'pass',
      provider: 'test',
      reference: 'old',
      now: new Date(Date.now() - 25 * 3600_000),
    });
    await recordFaceVerification(storage.db, { accountId: li.account.id, result: 'fail', provider: 'test', reference: 'x' });
    assert.equal((await post(li, applicationOf(li))).status, 403);
    assert.equal(await countRows(li.account.id), 0);
  });

  it('rejects an enterprise outside the directory or under another name (422)', async () => {
    const otherBody = '91110108MA0000009';
    const unknown = await post(
      zhang,
      applicationOf(zhang, { enterprise: { ...ENTERPRISE, uscc: otherBody + usccCheckChar(otherBody) } }),
    );
    assert.equal(unknown.status, 422);
    assert.deepEqual(((await unknown.json()) as { issues: unknown }).issues, [
      { field: 'enterprise.name', message: '所选企业不在企业库中，请重新选择' },
    ]);
    const renamed = await post(zhang, applicationOf(zhang, { enterprise: { ...ENTERPRISE, name: '上海另一家监理有限公司' } }));
    assert.equal(renamed.status, 422);
    assert.equal(await countRows(zhang.account.id), 0);
  });

  it("rejects someone else's, missing or wrong-kind attachments (422)", async () => {
    const res = await post(zhang, applicationOf(zhang, { photo: wang.photo, signature: zhang.photo }));
    assert.equal(res.status, 422);
    assert.deepEqual(((await res.json()) as { issues: unknown }).issues, [
      { field: 'photo', message: '请重新上传一寸免冠照片' },
      { field: 'signature', message: '请重新上传签名' },
    ]);
    const missing = await post(zhang, applicationOf(zhang, { photo: 'f'.repeat(64) }));
    assert.equal(missing.status, 422);
    assert.equal(await countRows(zhang.account.id), 0);
  });

  it("rejects an application in another person's name (422)", async () => {
    const res = await post(zhang, applicationOf(zhang, { name: wang.account.name, idNumber: wang.account.idNumber }));
    assert.equal(res.status, 422);
    assert.deepEqual(((await res.json()) as { issues: unknown }).issues, [
      { field: 'idNumber', message: '证件号码与登录账号不一致' },
      { field: 'name', message: '姓名与登录账号不一致' },
    ]);
    assert.equal(await countRows(zhang.account.id), 0);
  });

  describe('exactly once', () => {
    const key = randomUUID();
    let application: ReturnType<typeof applicationOf>;
    let firstText: string;

    it('accepts the first time with 201, a receipt, the commitment hash and an audit entry', async () => {
      application = applicationOf(zhang);
      const res = await post(zhang, application, key);
      assert.equal(res.status, 201);
      firstText = await res.text();
      const receipt = JSON.parse(firstText) as Record<string, string> & { receipt: SignedReceipt };
      assert.deepEqual(Object.keys(receipt).sort(), ['bodySha256', 'id', 'receipt', 'receiptNumber', 'status', 'submittedAt']);
      assert.match(receipt.receiptNumber!, RECEIPT_NUMBER_PATTERN);
      assert.equal(receipt.status, 'submitted');
      assert.equal(res.headers.get('location'), `/api/submissions/${receipt.id}`);

      // The signed receipt states the same facts, under the published key, and its signature holds.
      const { signature, ...signed } = receipt.receipt;
      assert.deepEqual(signed, {
        receiptNumber: receipt.receiptNumber,
        submissionId: receipt.id,
        submittedAt: receipt.submittedAt,
        bodySha256: receipt.bodySha256,
        keyId: signer.keyId,
      });
      assert.ok(await verifyReceipt(receipt.receipt, signer.publicKey));
      assert.ok(!(await verifyReceipt({ ...receipt.receipt, submittedAt: new Date(0).toISOString() }, signer.publicKey)));
      assert.equal((await idempotencyRow(key))?.state, 'done');

      const stored = await findSubmissionById(storage.db, receipt.id!);
      assert.ok(stored);
      assert.equal(stored.bodyJson, canonicalJson(JSON.parse(stored.bodyJson)));
      assert.equal(stored.bodySha256, sha256Hex(stored.bodyJson));
      assert.equal(receipt.bodySha256, stored.bodySha256);
      const expectedCommitment = commitmentPlainText({
        name: zhang.account.name,
        idNumber: zhang.account.idNumber,
        mobile: '13800138000',
        employer: ENTERPRISE.name,
      });
      assert.deepEqual(stored.commitment, {
        version: COMMITMENT_VERSION,
        sha256: sha256Hex(expectedCommitment),
        acceptedAt: application.commitment.acceptedAt,
      });
      const audit = await listAuditForSubject(storage.db, `submission:${receipt.id}`);
      assert.deepEqual(
        audit.map((e) => [e.actor, e.action]),
        [[`account:${zhang.account.id}`, 'submission.submit']],
      );
    });

    it('replays the same key and body (keys in any order, key in any case) with 200 and the same JSON', async () => {
      const reordered = Object.fromEntries(Object.entries(application).reverse());
      const res = await post(zhang, reordered, key.toUpperCase());
      assert.equal(res.status, 200);
      assert.equal(await res.text(), firstText);
      assert.equal(await countRows(zhang.account.id), 1);
    });

    it('refuses the same key with another body, or from another account (422)', async () => {
      const other = await post(zhang, { ...application, school: '清华大学' }, key);
      assert.equal(other.status, 422);
      assert.deepEqual(await other.json(), { error: '该 Idempotency-Key 已用于另一份申请' });
      const foreign = await post(wang, applicationOf(wang), key);
      assert.equal(foreign.status, 422);
      assert.deepEqual(await foreign.json(), { error: '该 Idempotency-Key 已用于另一份申请' });
      assert.equal(await countRows(zhang.account.id), 1);
      assert.equal(await countRows(wang.account.id), 0);
    });

    it('shows the same signed receipt on GET as on every replay', async () => {
      const first = JSON.parse(firstText) as { id: string; receipt: SignedReceipt };
      const detail = (await (await get(zhang, `/${first.id}`)).json()) as { receipt: SignedReceipt };
      assert.deepEqual(detail.receipt, first.receipt);
    });

    it('keeps one row when 20 identical requests arrive at once; the others replay or hear it is in flight', async () => {
      const zhao = await person('赵六');
      const parallelKey = randomUUID();
      const body = applicationOf(zhao);
      const responses = await Promise.all(Array.from({ length: 20 }, () => post(zhao, body, parallelKey)));
      const statuses = responses.map((r) => r.status);
      assert.equal(statuses.filter((s) => s === 201).length, 1);
      assert.ok(statuses.every((s) => s === 201 || s === 200 || s === 409), String(statuses));
      const answered = responses.filter((r) => r.status !== 409);
      const texts = new Set(await Promise.all(answered.map((r) => r.text())));
      assert.equal(texts.size, 1, 'every 201/200 is the same answer');
      for (const busy of responses.filter((r) => r.status === 409)) {
        assert.equal(busy.headers.get('retry-after'), '2');
        assert.deepEqual(await busy.json(), { error: '该申请正在提交中，请稍后查看结果' });
      }
      const after = await post(zhao, body, parallelKey);
      assert.equal(after.status, 200);
      assert.ok(texts.has(await after.text()));
      assert.equal(await countRows(zhao.account.id), 1);
    });

    it('answers 409 with Retry-After while the key is claimed by a live request, and takes over an expired claim', async () => {
      const sun = await person('孙八');
      const busyKey = randomUUID();
      const body = applicationOf(sun);
      // A request of another instance (or one that died) holds the key; its lock runs 30 s.
      const t0 = new Date();
      await claimIdempotencyKey(storage.db, {
        key: busyKey,
        accountId: sun.account.id,
        bodySha256: 'f'.repeat(64),
        lockMs: 30_000,
        now: t0,
      });
      const busy = await post(sun, body, busyKey);
      assert.equal(busy.status, 409);
      assert.equal(busy.headers.get('retry-after'), '2');
      assert.deepEqual(await busy.json(), { error: '该申请正在提交中，请稍后查看结果' });
      assert.equal(await countRows(sun.account.id), 0);

      // 31 s later the holder is taken for dead: the retry takes the key over and is accepted.
      const later = mount({ now: () => new Date(t0.getTime() + 31_000) });
      const taken = await later.request('/api/submissions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: sun.cookie, 'idempotency-key': busyKey },
        body: JSON.stringify(body),
      });
      assert.equal(taken.status, 201);
      assert.equal(await countRows(sun.account.id), 1);
      assert.equal((await idempotencyRow(busyKey))?.state, 'done');
    });
  });

  it('judges a retry by the rules of the day of its first acceptance, a new key by today’s', async () => {
    // Turns 66 (over the age limit) on 2026-06-16, China time.
    const acceptedAt = new Date('2026-06-15T04:00:00Z');
    const nextDay = new Date('2026-06-16T04:00:00Z');
    const feng = await person('冯二', { birth: '1960-06-16', faceAt: acceptedAt });
    const body = applicationOf(feng, { birthDate: '1960-06-16' });
    const key = randomUUID();
    const send = (at: Date, idempotencyKey: string) =>
      mount({ now: () => at }).request('/api/submissions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: feng.cookie, 'idempotency-key': idempotencyKey },
        body: JSON.stringify(body),
      });
    const first = await send(acceptedAt, key);
    assert.equal(first.status, 201);
    const replay = await send(nextDay, key);
    assert.equal(replay.status, 200);
    assert.equal(await replay.text(), await first.text());

    const fresh = await send(nextDay, randomUUID());
    assert.equal(fresh.status, 400);
    const { issues } = (await fresh.json()) as { issues: { field: string }[] };
    assert.deepEqual(
      issues.map((i) => i.field),
      ['birthDate'],
    );
    assert.equal(await countRows(feng.account.id), 1);
  });

  it('releases the key when the checks refuse, so the fixed application goes through under it', async () => {
    const zhou = await person('周九', { faceVerified: false });
    const key = randomUUID();
    const noFace = await post(zhou, applicationOf(zhou), key);
    assert.equal(noFace.status, 403);
    assert.equal(await idempotencyRow(key), undefined);

    await recordFaceVerification(storage.db, { accountId: zhou.account.id, result: 'pass', provider: 'test', reference: randomUUID() });
    const wrongPhoto = await post(zhou, applicationOf(zhou, { photo: 'e'.repeat(64) }), key);
    assert.equal(wrongPhoto.status, 422);
    assert.equal(await idempotencyRow(key), undefined);

    const fixed = await post(zhou, applicationOf(zhou), key);
    assert.equal(fixed.status, 201);
    assert.equal(await countRows(zhou.account.id), 1);
  });

  it('releases the key when storing fails, so a retry need not wait for the lock', async () => {
    const wu = await person('吴十');
    const key = randomUUID();
    const body = applicationOf(wu);
    const broken = mount({
      receiptSigner: {
        ...signer,
        sign() {
          throw new Error('signing failed');
        },
      },
    });
    const app500 = new Hono().route('/', broken);
    app500.onError((_err, c) => c.json({ error: 'x' }, 500));
    const failed = await app500.request('/api/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: wu.cookie, 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    assert.equal(failed.status, 500);
    assert.equal(await idempotencyRow(key), undefined);
    assert.equal(await countRows(wu.account.id), 0);
    assert.equal((await post(wu, body, key)).status, 201);
  });

  it('signs and replays a submission stored before receipts were signed', async () => {
    const zheng = await person('郑一');
    const body = applicationOf(zheng);
    const key = randomUUID();
    // As an older server stored it: no idempotency row, no signature.
    const { submission } = await insertSubmission(storage.db, {
      receiptNumber: 'JL20250101000042',
      accountId: zheng.account.id,
      idempotencyKey: key,
      body: submissionBody(body),
    });
    const replay = await post(zheng, body, key);
    assert.equal(replay.status, 200);
    const answer = (await replay.json()) as { id: string; receipt: SignedReceipt };
    assert.equal(answer.id, submission.id);
    assert.ok(await verifyReceipt(answer.receipt, signer.publicKey));
    const detail = (await (await get(zheng, `/${submission.id}`)).json()) as { receipt: SignedReceipt };
    assert.deepEqual(detail.receipt, answer.receipt);
    assert.equal((await idempotencyRow(key))?.state, 'done');
    assert.equal((await post(wang, applicationOf(wang), key)).status, 422);
  });

  it('draws another receipt number when one is taken', async () => {
    const taken = 'JL20260101000001';
    const drawn: string[] = [];
    let calls = 0;
    const clashing = mount({ receiptNumber: () => (calls++ < 2 ? taken : `JL20260101${String(calls).padStart(6, '9')}`) });
    const qian = await person('钱七');
    const send = (p: Person) =>
      clashing.request('/api/submissions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: p.cookie, 'idempotency-key': randomUUID() },
        body: JSON.stringify(applicationOf(p)),
      });
    const first = await send(wang);
    drawn.push(((await first.json()) as { receiptNumber: string }).receiptNumber);
    const second = await send(qian);
    assert.equal(second.status, 201);
    drawn.push(((await second.json()) as { receiptNumber: string }).receiptNumber);
    assert.equal(drawn[0], taken);
    assert.notEqual(drawn[1], taken);
  });

  it('lists only the signed-in account’s submissions, newest first, with Chinese status labels', async () => {
    const res = await get(zhang);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const { submissions } = (await res.json()) as { submissions: Record<string, string | number>[] };
    assert.equal(submissions.length, 1);
    assert.deepEqual(Object.keys(submissions[0]!).sort(), ['id', 'receiptNumber', 'status', 'statusLabel', 'submittedAt', 'version']);
    assert.equal(submissions[0]!.version, 1);
    assert.equal(submissions[0]!.statusLabel, '已提交，待单位确认');

    const second = await post(zhang, applicationOf(zhang, { specialty2: '02' }));
    assert.equal(second.status, 201);
    const newest = ((await second.json()) as { id: string }).id;
    const again = (await (await get(zhang)).json()) as { submissions: { id: string }[] };
    assert.equal(again.submissions.length, 2);
    assert.equal(again.submissions[0]!.id, newest);
  });

  it('shows one submission with its body to its owner only', async () => {
    const { submissions } = (await (await get(zhang)).json()) as { submissions: { id: string; receiptNumber: string }[] };
    const id = submissions[0]!.id;
    const own = await get(zhang, `/${id}`);
    assert.equal(own.status, 200);
    const detail = (await own.json()) as {
      receiptNumber: string;
      statusLabel: string;
      application: { idNumber: string; enterprise: { name: string } };
      commitment: { version: string };
    };
    assert.equal(detail.receiptNumber, submissions[0]!.receiptNumber);
    assert.equal(detail.statusLabel, '已提交，待单位确认');
    assert.equal(detail.application.idNumber, zhang.account.idNumber);
    assert.equal(detail.application.enterprise.name, ENTERPRISE.name);
    assert.equal(detail.commitment.version, COMMITMENT_VERSION);

    const foreign = await get(wang, `/${id}`);
    assert.equal(foreign.status, 404);
    assert.deepEqual(await foreign.json(), { error: '未找到该申请' });
    assert.equal((await get(zhang, `/${randomUUID()}`)).status, 404);
  });
});
