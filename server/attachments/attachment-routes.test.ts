import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import sharp from 'sharp';
import { SESSION_COOKIE } from '../accounts/session.ts';
import { createAccount } from '../db/accounts-store.ts';
import { openDatabase, type Storage } from '../db/database.ts';
import { sha256Hex } from '../crypto/sha256.ts';
import { createSession } from '../db/sessions-store.ts';
import { JSON_LIMIT_BYTES, limitJsonBodies } from '../http/json-body.ts';
import type { Attachment } from '../../shared/api/attachments.ts';
import { attachmentRoutes, UPLOAD_LIMIT_BYTES } from './attachment-routes.ts';
import { reencodeAttachment } from './reencode.ts';

const SECRET_EXIF = 'SECRET-EXIF-CAMERA';
const SECRET_PAYLOAD = 'SECRET-PAYLOAD';

function contains(haystack: Uint8Array, needle: string): boolean {
  return Buffer.from(haystack).includes(Buffer.from(needle, 'latin1'));
}

describe('/api/attachments', () => {
  let dataDir: string;
  let storage: Storage;
  let app: Hono;
  let alice: string;
  let bob: string;
  let carol: string;
  let cameraPhoto: Buffer;
  let signaturePng: Buffer;
  /** How many times the routes re-encoded an upload. */
  let reencodings = 0;

  async function signIn(name: string, idNumber: string): Promise<string> {
    const account = await createAccount(storage.db, { name, idNumber, mobile: '13800000000', passwordHash: 'not-used' });
    const token = randomBytes(32).toString('base64url');
    await createSession(storage.db, { token, accountId: account.id, expiresAt: new Date(Date.now() + 3600_000) });
    return `${SESSION_COOKIE}=${token}`;
  }

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'attachment-routes-'));
    storage = await openDatabase({ dataDir });
    const reencode: typeof reencodeAttachment = (kind, input) => {
      reencodings++;
      return reencodeAttachment(kind, input);
    };
    app = new Hono().route('/api/attachments', attachmentRoutes(storage, { reencode }));
    alice = await signIn('李娜', '370103199710060021');
    bob = await signIn('王强', '110105198001010013');
    carol = await signIn('赵敏', '110105198001010021');
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

  interface UploadOptions {
    kind?: string;
    type?: string;
    cookie?: string;
    headers?: Record<string, string>;
    /** The id in the path; the body's SHA-256 unless given. */
    id?: string;
  }

  function upload(body: Uint8Array, options: UploadOptions) {
    const headers: Record<string, string> = { ...options.headers };
    if (options.type) headers['content-type'] = options.type;
    if (options.cookie) headers.cookie = options.cookie;
    const query = options.kind === undefined ? '' : `?kind=${options.kind}`;
    const id = options.id ?? sha256Hex(body);
    // A copy: fetch's typings want an ArrayBuffer-backed view, Buffers may sit on a shared pool.
    return app.request(`/api/attachments/${id}${query}`, { method: 'PUT', body: new Uint8Array(body), headers });
  }

  const head = (id: string, cookie: string) => app.request(`/api/attachments/${id}`, { method: 'HEAD', headers: { cookie } });
  const get = (id: string, cookie: string) => app.request(`/api/attachments/${id}`, { headers: { cookie } });

  async function errorOf(res: Response): Promise<string> {
    return ((await res.json()) as { error: string }).error;
  }

  async function countRows(id: string): Promise<number> {
    return (await storage.db.selectFrom('attachments').select('account_id').where('source_sha256', '=', id).execute()).length;
  }

  it('needs a session', async () => {
    const res = await upload(cameraPhoto, { kind: 'photo', type: 'image/jpeg' });
    assert.equal(res.status, 401);
    assert.equal((await app.request(`/api/attachments/${'0'.repeat(64)}`)).status, 401);
    assert.equal((await app.request(`/api/attachments/${'0'.repeat(64)}`, { method: 'HEAD' })).status, 401);
  });

  it('has one way to upload: PUT to the hash, no POST', async () => {
    const res = await app.request('/api/attachments?kind=photo', {
      method: 'POST',
      body: new Uint8Array(cameraPhoto),
      headers: { 'content-type': 'image/jpeg', cookie: alice },
    });
    assert.equal(res.status, 404);
  });

  it('needs a known kind and a lower-case SHA-256 as id', async () => {
    for (const kind of [undefined, '', 'passport']) {
      const res = await upload(cameraPhoto, { kind, type: 'image/jpeg', cookie: alice });
      assert.equal(res.status, 400, String(kind));
      assert.equal(await errorOf(res), '附件类型不正确');
    }
    for (const id of [sha256Hex(cameraPhoto).toUpperCase(), 'not-a-hash', 'a'.repeat(63)]) {
      const res = await upload(cameraPhoto, { kind: 'photo', type: 'image/jpeg', cookie: alice, id });
      assert.equal(res.status, 400, id);
      assert.equal(await errorOf(res), '附件标识不正确');
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

  it('refuses bytes that are not the ones the id names, before decoding anything', async () => {
    const before = reencodings;
    const damaged = Buffer.from(cameraPhoto);
    damaged.writeUInt8(damaged.readUInt8(damaged.length - 1) ^ 0xff, damaged.length - 1);
    const res = await upload(damaged, { kind: 'photo', type: 'image/jpeg', cookie: alice, id: sha256Hex(cameraPhoto) });
    assert.equal(res.status, 422);
    assert.deepEqual(await res.json(), { error: '附件校验失败，请重新上传' });
    assert.equal(reencodings, before);
    assert.equal(await countRows(sha256Hex(cameraPhoto)), 0);
  });

  it('stores a re-encoded photo under the upload hash, answers a retry without decoding, serves it to its owner only', async () => {
    const id = sha256Hex(cameraPhoto);
    assert.equal((await head(id, alice)).status, 404);

    const before = reencodings;
    const res = await upload(cameraPhoto, { kind: 'photo', type: 'image/jpeg', cookie: alice });
    assert.equal(res.status, 201);
    const body = (await res.json()) as Attachment;
    assert.deepEqual({ ...body, size: undefined }, { id, kind: 'photo', mime: 'image/jpeg', size: undefined, width: 295, height: 413 });
    assert.equal(reencodings, before + 1);

    const headed = await head(id, alice);
    assert.equal(headed.status, 200);
    assert.equal(headed.headers.get('content-type'), 'image/jpeg');
    assert.equal(headed.headers.get('content-length'), String(body.size));
    assert.equal(await headed.text(), '');

    const got = await get(id, alice);
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('content-type'), 'image/jpeg');
    assert.equal(got.headers.get('cache-control'), 'private, max-age=31536000, immutable');
    assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
    const bytes = new Uint8Array(await got.arrayBuffer());
    assert.equal(bytes.byteLength, body.size);
    assert.ok(!contains(bytes, SECRET_EXIF), 'no EXIF text survives');
    assert.ok(!contains(bytes, SECRET_PAYLOAD), 'no trailing payload survives');
    const meta = await sharp(bytes).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height, meta.exif], ['jpeg', 295, 413, undefined]);

    // A retry of the same upload: the same answer with 200, nothing decoded, nothing stored again.
    const again = await upload(cameraPhoto, { kind: 'photo', type: 'image/jpeg; charset=binary', cookie: alice });
    assert.equal(again.status, 200);
    assert.deepEqual(await again.json(), body);
    assert.equal(reencodings, before + 1);
    assert.equal(await countRows(id), 1);

    // The same bytes as a signature: not a retry, and not silently a second kind.
    const otherKind = await upload(cameraPhoto, { kind: 'signature', type: 'image/jpeg', cookie: alice });
    assert.equal(otherKind.status, 409);
    assert.equal(await errorOf(otherKind), '该图片已作为其他类型的附件上传');

    // Someone who never uploaded it cannot see it, nor tell it apart from a missing one.
    assert.equal((await head(id, carol)).status, 404);
    const foreign = await get(id, carol);
    assert.equal(foreign.status, 404);
    const missing = await get('a'.repeat(64), alice);
    assert.equal(missing.status, 404);
    assert.deepEqual(await foreign.json(), await missing.json());
    assert.equal((await get('not-a-hash', alice)).status, 404);
    assert.equal((await head('not-a-hash', alice)).status, 404);
  });

  it('lets two accounts upload identical bytes, each getting back its own copy', async () => {
    const photo = await sharp({ create: { width: 600, height: 800, channels: 3, background: { r: 10, g: 120, b: 200 } } }).jpeg().toBuffer();
    const id = sha256Hex(photo);
    const [first, second] = await Promise.all([alice, bob].map((cookie) => upload(photo, { kind: 'photo', type: 'image/jpeg', cookie })));
    assert.ok(first && second);
    assert.deepEqual([first.status, second.status], [201, 201]);
    assert.equal(((await first.json()) as Attachment).id, id);
    assert.equal(((await second.json()) as Attachment).id, id);
    assert.equal(await countRows(id), 2);
    for (const cookie of [alice, bob]) {
      const got = await get(id, cookie);
      assert.equal(got.status, 200);
      assert.deepEqual((await sharp(new Uint8Array(await got.arrayBuffer())).metadata()).width, 295);
    }
    assert.equal((await get(id, carol)).status, 404);

    // Bob's own upload stays his: Alice's photo from the test before is not reachable for him.
    assert.equal((await get(sha256Hex(cameraPhoto), bob)).status, 404);
  });

  it('stores a signature as PNG on white within 600×300', async () => {
    const res = await upload(signaturePng, { kind: 'signature', type: 'image/png', cookie: bob });
    assert.equal(res.status, 201);
    const body = (await res.json()) as Attachment;
    assert.deepEqual([body.id, body.kind, body.mime, body.width, body.height], [sha256Hex(signaturePng), 'signature', 'image/png', 600, 200]);
    const got = await get(body.id, bob);
    assert.equal(got.headers.get('content-type'), 'image/png');
  });

  it('answers a retry of an attachment stored before dimensions were kept, reading them from the stored header', async () => {
    const photo = await sharp({ create: { width: 400, height: 500, channels: 3, background: { r: 1, g: 2, b: 3 } } }).jpeg().toBuffer();
    const id = sha256Hex(photo);
    assert.equal((await upload(photo, { kind: 'photo', type: 'image/jpeg', cookie: carol })).status, 201);
    await storage.db.updateTable('attachments').set({ width: null, height: null }).where('source_sha256', '=', id).execute();
    const again = await upload(photo, { kind: 'photo', type: 'image/jpeg', cookie: carol });
    assert.equal(again.status, 200);
    const body = (await again.json()) as Attachment;
    assert.deepEqual([body.width, body.height], [295, 413]);
  });

  it('is not held to the API-wide JSON body cap', async () => {
    // 1 MB of noise: a real camera photo is far above the 256 KB JSON cap.
    const photo = await sharp(randomBytes(1000 * 1000 * 3), { raw: { width: 1000, height: 1000, channels: 3 } }).jpeg().toBuffer();
    assert.ok(photo.byteLength > JSON_LIMIT_BYTES);
    const api = new Hono().use('*', limitJsonBodies(JSON_LIMIT_BYTES)).route('/attachments', attachmentRoutes(storage));
    const res = await api.request(`/attachments/${sha256Hex(photo)}?kind=photo`, {
      method: 'PUT',
      body: new Uint8Array(photo),
      headers: { 'content-type': 'image/jpeg', 'content-length': String(photo.byteLength), cookie: alice },
    });
    assert.equal(res.status, 201);
  });
});
