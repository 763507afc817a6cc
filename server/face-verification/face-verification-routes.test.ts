import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import { sql } from 'kysely';
import sharp from 'sharp';
import { sessionRoutes } from '../accounts/session-routes.ts';
import { openTestStorage, type TestStorage, testIdNumber } from '../../test/support/route-fixtures.ts';
import type { Account } from '../accounts/account.ts';
import { createAccount } from '../db/accounts-store.ts';
import { listAuditForSubject } from '../db/audit-log-store.ts';
import type { Storage } from '../db/database.ts';
import { createSession } from '../db/sessions-store.ts';
import { developmentVerifier } from './development-verifier.ts';
import { faceVerificationRoutes } from './face-verification-routes.ts';
import type { FaceVerificationInput, FaceVerifier } from './verifier.ts';
import { logger } from '../observability/logger.ts';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function appWith(storage: Storage, verifier: FaceVerifier = developmentVerifier) {
  return new Hono()
    .route('/api/session', sessionRoutes(storage))
    .route('/api/face-verifications', faceVerificationRoutes(storage, verifier));
}

function form(fields: { consent?: string; image?: { bytes: Uint8Array; type: string; name: string } }): FormData {
  const body = new FormData();
  if (fields.consent !== undefined) body.set('consent', fields.consent);
  if (fields.image) body.set('image', new File([Buffer.from(fields.image.bytes)], fields.image.name, { type: fields.image.type }));
  return body;
}

describe('/api/face-verifications', () => {
  let fixture: TestStorage;
  let png: Uint8Array;
  let jpeg: Uint8Array;
  let counter = 0;

  before(async () => {
    fixture = await openTestStorage();
    const blank = sharp({ create: { width: 64, height: 64, channels: 3, background: '#fff' } });
    png = new Uint8Array(await blank.clone().png().toBuffer());
    jpeg = new Uint8Array(await blank.clone().jpeg().toBuffer());
  });
  after(() => fixture.cleanup());

  /** A fresh account with a session, so no test sees another's verifications. */
  async function signedIn(): Promise<{ account: Account; cookie: string }> {
    counter += 1;
    const account = await createAccount(fixture.storage.db, {
      name: '张三',
      idNumber: testIdNumber(500 + counter),
      mobile: '13800138000',
      passwordHash: 'unused',
    });
    const token = randomBytes(32).toString('base64url');
    await createSession(fixture.storage.db, { token, accountId: account.id, expiresAt: new Date(Date.now() + 3_600_000) });
    return { account, cookie: `jl_session=${token}` };
  }

  function post(app: Hono, body: FormData | string, cookie?: string, type?: string) {
    const headers: Record<string, string> = {};
    if (cookie) headers.cookie = cookie;
    if (type) headers['content-type'] = type;
    return app.request('/api/face-verifications', { method: 'POST', body, headers });
  }

  async function rowsOf(accountId: string) {
    return fixture.storage.db.selectFrom('face_verifications').selectAll().where('account_id', '=', accountId).execute();
  }

  it('answers 401 without a session', async () => {
    const app = appWith(fixture.storage);
    const response = await post(app, form({ consent: 'yes', image: { bytes: png, type: 'image/png', name: 'face.png' } }));
    assert.equal(response.status, 401);
    assert.deepEqual(await response.json(), { error: '请先登录' });
  });

  it('answers 400 without consent, and stores nothing', async () => {
    const app = appWith(fixture.storage);
    const { account, cookie } = await signedIn();
    for (const consent of [undefined, 'no', '']) {
      const response = await post(app, form({ consent, image: { bytes: png, type: 'image/png', name: 'face.png' } }), cookie);
      assert.equal(response.status, 400);
      assert.deepEqual(await response.json(), { error: '请先勾选授权项' });
    }
    assert.deepEqual(await rowsOf(account.id), []);
  });

  it('answers 400 when the image is missing, 415 for a body that is not multipart', async () => {
    const app = appWith(fixture.storage);
    const { cookie } = await signedIn();
    const missing = await post(app, form({ consent: 'yes' }), cookie);
    assert.equal(missing.status, 400);
    assert.deepEqual(await missing.json(), { error: '请上传人脸图片' });
    const json = await post(app, JSON.stringify({ consent: 'yes' }), cookie, 'application/json');
    assert.equal(json.status, 415);
  });

  it('answers 415 for a PDF or GIF, whatever its name and declared type', async () => {
    const app = appWith(fixture.storage);
    const { account, cookie } = await signedIn();
    const pdf = new TextEncoder().encode('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n');
    const gif = new Uint8Array([...new TextEncoder().encode('GIF89a'), 1, 0, 1, 0, 0, 0, 0]);
    for (const bytes of [pdf, gif]) {
      const response = await post(app, form({ consent: 'yes', image: { bytes, type: 'image/png', name: 'face.png' } }), cookie);
      assert.equal(response.status, 415);
      assert.deepEqual(await response.json(), { error: '仅支持 jpg、jpeg、png 格式的图片' });
    }
    assert.deepEqual(await rowsOf(account.id), []);
  });

  it('answers 413 for an image over 2 MB, and for a body far over it', async () => {
    const app = appWith(fixture.storage);
    const { cookie } = await signedIn();
    for (const size of [2 * 1024 * 1024 + 1, 3 * 1024 * 1024]) {
      const bytes = new Uint8Array(size);
      bytes.set(PNG_MAGIC);
      const response = await post(app, form({ consent: 'yes', image: { bytes, type: 'image/png', name: 'face.png' } }), cookie);
      assert.equal(response.status, 413, `size ${size}`);
      assert.deepEqual(await response.json(), { error: '图片过大' });
    }
  });

  it('passes a real PNG with the development verifier; the session then says faceVerified', async () => {
    const app = appWith(fixture.storage);
    const { account, cookie } = await signedIn();
    const before = await (await app.request('/api/session', { headers: { cookie } })).json();
    assert.equal(before.account.faceVerified, false);

    const response = await post(app, form({ consent: 'yes', image: { bytes: png, type: 'image/png', name: 'f.png' } }), cookie);
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.equal(body.result, 'pass');
    assert.equal(body.provider, 'development');
    assert.match(body.reference, /^dev-[0-9a-f-]{36}$/);
    assert.ok(Math.abs(Date.parse(body.verifiedAt) - Date.now()) < 60_000);

    const me = await (await app.request('/api/session', { headers: { cookie } })).json();
    assert.equal(me.account.faceVerified, true);

    const status = await app.request('/api/face-verifications', { headers: { cookie } });
    assert.deepEqual(await status.json(), { provider: 'development', verifiedAt: body.verifiedAt });

    const rows = await rowsOf(account.id);
    assert.equal(rows.length, 1);
    assert.deepEqual(rows[0], {
      id: rows[0]!.id,
      account_id: account.id,
      result: 'pass',
      provider: 'development',
      reference: body.reference,
      verified_at: body.verifiedAt,
    });
    const audit = await listAuditForSubject(fixture.storage.db, `account:${account.id}`);
    assert.deepEqual(
      audit.map((entry) => [entry.actor, entry.action]),
      [[`account:${account.id}`, 'face-verification.pass']],
    );
  });

  it('passes a JPEG too', async () => {
    const app = appWith(fixture.storage);
    const { cookie } = await signedIn();
    const response = await post(app, form({ consent: 'yes', image: { bytes: jpeg, type: 'image/jpeg', name: 'f.jpg' } }), cookie);
    assert.equal(response.status, 200);
  });

  it('keeps no image: the table has only verdict columns', async () => {
    const { rows } = await sql<{ name: string }>`select name from pragma_table_info('face_verifications')`.execute(
      fixture.storage.db,
    );
    assert.deepEqual(rows.map((row) => row.name).sort(), ['account_id', 'id', 'provider', 'reference', 'result', 'verified_at']);
  });

  it('answers 422 when the verifier fails, records the failure, and faceVerified stays false', async () => {
    const seen: FaceVerificationInput[] = [];
    const failing: FaceVerifier = {
      name: 'stub',
      async verify(input) {
        seen.push(input);
        return { passed: false, reference: 'stub-1' };
      },
    };
    const app = appWith(fixture.storage, failing);
    const { account, cookie } = await signedIn();
    // Declared as JPEG, but the bytes are PNG: the verifier is told what the bytes are.
    const response = await post(app, form({ consent: 'yes', image: { bytes: png, type: 'image/jpeg', name: 'f.jpg' } }), cookie);
    assert.equal(response.status, 422);
    assert.deepEqual(await response.json(), { error: '人脸识别未通过，请重试' });
    assert.equal(seen[0]?.mime, 'image/png');
    assert.equal(seen[0]?.accountId, account.id);
    const rows = await rowsOf(account.id);
    assert.deepEqual(
      rows.map((row) => [row.result, row.provider, row.reference]),
      [['fail', 'stub', 'stub-1']],
    );
    const audit = await listAuditForSubject(fixture.storage.db, `account:${account.id}`);
    assert.deepEqual(audit.map((entry) => entry.action), ['face-verification.fail']);
    const me = await (await app.request('/api/session', { headers: { cookie } })).json();
    assert.equal(me.account.faceVerified, false);
  });

  it('fails a file that only starts like a PNG (the development verifier decodes it)', async () => {
    const app = appWith(fixture.storage);
    const { cookie } = await signedIn();
    const bytes = new Uint8Array(200);
    bytes.set(PNG_MAGIC);
    const response = await post(app, form({ consent: 'yes', image: { bytes, type: 'image/png', name: 'f.png' } }), cookie);
    assert.equal(response.status, 422);
  });

  it('answers 503 when the verifier itself breaks, and records nothing', async () => {
    const broken: FaceVerifier = {
      name: 'broken',
      async verify() {
        throw new Error('provider down');
      },
    };
    const app = appWith(fixture.storage, broken);
    const { account, cookie } = await signedIn();
    const errors: unknown[] = [];
    const original = logger.error;
    logger.error = ((...args: unknown[]) => errors.push(args)) as typeof logger.error;
    try {
      const response = await post(app, form({ consent: 'yes', image: { bytes: png, type: 'image/png', name: 'f.png' } }), cookie);
      assert.equal(response.status, 503);
      assert.deepEqual(await response.json(), { error: '人脸识别服务暂不可用，请稍后重试' });
    } finally {
      logger.error = original;
    }
    assert.equal(errors.length, 1);
    assert.deepEqual(await rowsOf(account.id), []);
  });
});
