import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import sharp from 'sharp';
import { SESSION_COOKIE } from '../accounts/session.ts';
import { createAccount } from '../db/accounts-store.ts';
import { openDatabase, type Storage } from '../db/database.ts';
import { createSession } from '../db/sessions-store.ts';
import { JSON_LIMIT_BYTES, limitJsonBodies } from '../http/json-body.ts';
import { attachmentRoutes, UPLOAD_LIMIT_BYTES } from './attachment-routes.ts';

const SECRET_EXIF = 'SECRET-EXIF-CAMERA';
const SECRET_PAYLOAD = 'SECRET-PAYLOAD';

interface UploadBody {
  id: string;
  kind: string;
  mime: string;
  size: number;
  width: number;
  height: number;
}

function contains(haystack: Uint8Array, needle: string): boolean {
  return Buffer.from(haystack).includes(Buffer.from(needle, 'latin1'));
}

describe('/api/attachments', () => {
  let dataDir: string;
  let storage: Storage;
  let app: Hono;
  let alice: string;
  let bob: string;
  let cameraPhoto: Buffer;
  let signaturePng: Buffer;

  async function signIn(name: string, idNumber: string): Promise<string> {
    const account = await createAccount(storage.db, { name, idNumber, mobile: '13800000000', passwordHash: 'not-used' });
    const token = randomBytes(32).toString('base64url');
    await createSession(storage.db, { token, accountId: account.id, expiresAt: new Date(Date.now() + 3600_000) });
    return `${SESSION_COOKIE}=${token}`;
  }

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'attachment-routes-'));
    storage = await openDatabase({ dataDir });
    app = new Hono().route('/api/attachments', attachmentRoutes(storage));
    alice = await signIn('李娜', '370103199710060021');
    bob = await signIn('王强', '110105198001010013');
    const jpeg = await sharp({ create: { width: 1200, height: 1600, channels: 3, background: { r: 200, g: 180, b: 160 } } })
      .jpeg()
      .withExif({ IFD0: { Make: SECRET_EXIF }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '36/1 40/1 0/1' } })
      .toBuffer();
    cameraPhoto = Buffer.concat([jpeg, Buffer.from(SECRET_PAYLOAD, 'latin1')]);
    signaturePng = await sharp({ create: { width: 900, height: 300, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .png()
      .toBuffer();
  });
  after(async () => {
    await storage.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  function upload(body: Uint8Array, options: { kind?: string; type?: string; cookie?: string; headers?: Record<string, string> }) {
    const headers: Record<string, string> = { ...options.headers };
    if (options.type) headers['content-type'] = options.type;
    if (options.cookie) headers.cookie = options.cookie;
    const query = options.kind === undefined ? '' : `?kind=${options.kind}`;
    // A copy: fetch's typings want an ArrayBuffer-backed view, Buffers may sit on a shared pool.
    return app.request(`/api/attachments${query}`, { method: 'POST', body: new Uint8Array(body), headers });
  }

  async function errorOf(res: Response): Promise<string> {
    return ((await res.json()) as { error: string }).error;
  }

  it('needs a session', async () => {
    const res = await upload(cameraPhoto, { kind: 'photo', type: 'image/jpeg' });
    assert.equal(res.status, 401);
    assert.equal((await app.request(`/api/attachments/${'0'.repeat(64)}`)).status, 401);
  });

  it('needs a known kind', async () => {
    for (const kind of [undefined, '', 'passport']) {
      const res = await upload(cameraPhoto, { kind, type: 'image/jpeg', cookie: alice });
      assert.equal(res.status, 400, String(kind));
    }
  });

  it('refuses GIF, PDF and a type that does not match the content', async () => {
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
    const pdf = Buffer.from('%PDF-1.7\n%âãÏÓ\n', 'latin1');
    const cases: [Uint8Array, string][] = [
      [gif, 'image/gif'],
      [pdf, 'application/pdf'],
      [gif, 'image/jpeg'],
      [pdf, 'image/png'],
      [signaturePng, 'image/jpeg'],
      [cameraPhoto, 'image/png'],
      [cameraPhoto, 'application/octet-stream'],
    ];
    for (const [body, type] of cases) {
      const res = await upload(body, { kind: 'photo', type, cookie: alice });
      assert.equal(res.status, 415, type);
      assert.equal(await errorOf(res), '仅支持 jpg、jpeg、png 格式的图片');
    }
    assert.equal((await upload(cameraPhoto, { kind: 'photo', cookie: alice })).status, 415);
  });

  it('refuses more than 5 MB, whether or not the length is declared', async () => {
    const big = new Uint8Array(UPLOAD_LIMIT_BYTES + 1);
    big.set([0xff, 0xd8, 0xff, 0xe0]);
    const declared: Record<string, string>[] = [{}, { 'content-length': String(big.byteLength) }];
    for (const headers of declared) {
      const res = await upload(big, { kind: 'photo', type: 'image/jpeg', cookie: alice, headers });
      assert.equal(res.status, 413);
      assert.equal(await errorOf(res), '图片过大，请压缩后再上传');
    }
  });

  it('refuses a truncated JPEG with 422', async () => {
    const noisy = await sharp(randomBytes(400 * 600 * 3), { raw: { width: 400, height: 600, channels: 3 } }).jpeg().toBuffer();
    const res = await upload(noisy.subarray(0, noisy.length >> 1), { kind: 'photo', type: 'image/jpeg', cookie: alice });
    assert.equal(res.status, 422);
    assert.equal(await errorOf(res), '图片无法识别，请重新选择');
  });

  it('stores a re-encoded photo, serves it to its owner only, and hides who else holds it', async () => {
    const res = await upload(cameraPhoto, { kind: 'photo', type: 'image/jpeg', cookie: alice });
    assert.equal(res.status, 201);
    const body = (await res.json()) as UploadBody;
    assert.deepEqual(
      { ...body, id: undefined, size: undefined },
      { id: undefined, kind: 'photo', mime: 'image/jpeg', size: undefined, width: 295, height: 413 },
    );
    assert.match(body.id, /^[0-9a-f]{64}$/);

    const got = await app.request(`/api/attachments/${body.id}`, { headers: { cookie: alice } });
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('content-type'), 'image/jpeg');
    assert.equal(got.headers.get('cache-control'), 'private, max-age=31536000, immutable');
    assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
    const bytes = new Uint8Array(await got.arrayBuffer());
    assert.equal(bytes.byteLength, body.size);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), body.id);
    assert.ok(!contains(bytes, SECRET_EXIF), 'no EXIF text survives');
    assert.ok(!contains(bytes, SECRET_PAYLOAD), 'no trailing payload survives');
    const meta = await sharp(bytes).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height, meta.exif], ['jpeg', 295, 413, undefined]);

    // A retry of the same upload is answered with the same attachment.
    const again = await upload(cameraPhoto, { kind: 'photo', type: 'image/jpeg; charset=binary', cookie: alice });
    assert.equal(again.status, 200);
    assert.deepEqual(await again.json(), body);

    // The same picture from someone else: refused, with nothing about the holder.
    const other = await upload(cameraPhoto, { kind: 'photo', type: 'image/jpeg', cookie: bob });
    assert.equal(other.status, 409);
    assert.deepEqual(await other.json(), { error: '附件已存在' });

    const foreign = await app.request(`/api/attachments/${body.id}`, { headers: { cookie: bob } });
    assert.equal(foreign.status, 404);
    const missing = await app.request(`/api/attachments/${'a'.repeat(64)}`, { headers: { cookie: alice } });
    assert.equal(missing.status, 404);
    assert.deepEqual(await foreign.json(), await missing.json());
    assert.equal((await app.request('/api/attachments/not-a-hash', { headers: { cookie: alice } })).status, 404);
  });

  it('stores a signature as PNG on white within 600×300', async () => {
    const res = await upload(signaturePng, { kind: 'signature', type: 'image/png', cookie: bob });
    assert.equal(res.status, 201);
    const body = (await res.json()) as UploadBody;
    assert.deepEqual([body.kind, body.mime, body.width, body.height], ['signature', 'image/png', 600, 200]);
    const got = await app.request(`/api/attachments/${body.id}`, { headers: { cookie: bob } });
    assert.equal(got.headers.get('content-type'), 'image/png');
  });

  it('is not held to the API-wide JSON body cap', async () => {
    // 1 MB of noise: a real camera photo is far above the 256 KB JSON cap.
    const photo = await sharp(randomBytes(1000 * 1000 * 3), { raw: { width: 1000, height: 1000, channels: 3 } }).jpeg().toBuffer();
    assert.ok(photo.byteLength > JSON_LIMIT_BYTES);
    const api = new Hono().use('*', limitJsonBodies(JSON_LIMIT_BYTES)).route('/attachments', attachmentRoutes(storage));
    const res = await api.request('/attachments?kind=photo', {
      method: 'POST',
      body: new Uint8Array(photo),
      headers: { 'content-type': 'image/jpeg', 'content-length': String(photo.byteLength), cookie: alice },
    });
    assert.equal(res.status, 201);
  });
});
