import { expect } from '@esm-bundle/chai';
import { type DraftRecord, LocalDb, type OutboxRecord } from '../data/local-db.ts';
import { blobSha256 } from './attachment-upload.ts';
import type { HttpAnswer } from './http-exchange.ts';
import { backoffDelay } from './backoff.ts';
import type { DirectoryEnterprise } from './enterprise-cache.ts';
import { DirectoryUnavailableError, ENTERPRISE_NOT_FOUND, enterpriseToConfirmMessage } from './enterprise-match.ts';
import { FakeClock } from './fake-clock.ts';
import { enqueueSubmission, resumeAfterSignIn, withdrawSubmission } from './outbox.ts';
import { type FlushDeps, flushOutbox, OUTBOX_MESSAGES, type OutboxRequest } from './outbox-sender.ts';
import { OutboxScheduler } from './outbox-scheduler.ts';

const ACCOUNT = 'account-1';
const ID_NUMBER = '110101199001011237';
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 0xff, 0xd9]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 8, 7]);

const BODY = {
  name: '李明',
  sex: 'male',
  idType: 'resident-id',
  idNumber: ID_NUMBER,
  birthDate: '1990-01-01',
  mobile: '13800138000',
  enterprise: { uscc: '91110000100000000X', name: '示例工程监理有限公司' },
  specialty1: '01',
  specialty2: '02',
};

/** The server as the contract describes it, in memory; `answer` overrides it request by request. */
function fakeServer(answer?: (request: OutboxRequest, index: number) => HttpAnswer | undefined) {
  const requests: OutboxRequest[] = [];
  const attachments = new Set<string>();
  const submissions = new Map<string, { body: string; receiptNumber: string }>();
  const send = async (request: OutboxRequest): Promise<HttpAnswer> => {
    const index = requests.push(request) - 1;
    // Another turn of the event loop, as a real request would take.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const forced = answer?.(request, index);
    if (forced) return forced;
    const sha = request.path.match(/^\/api\/attachments\/([0-9a-f]{64})/)?.[1];
    if (request.method === 'HEAD' && sha) return { status: attachments.has(sha) ? 200 : 404, body: null };
    if (request.method === 'PUT' && sha && request.body instanceof Blob) {
      request.onUploadProgress?.(request.body.size);
      if ((await blobSha256(request.body)) !== sha) return { status: 422, body: { error: '附件内容与编号不符' } };
      attachments.add(sha);
      return { status: 201, body: { id: sha } };
    }
    if (request.method === 'POST' && request.path === '/api/submissions') {
      const key = request.headers['Idempotency-Key'] ?? '';
      const body = String(request.body);
      const earlier = submissions.get(key);
      if (earlier && earlier.body !== body) return { status: 422, body: { error: '该 Idempotency-Key 已用于另一份申请' } };
      const receiptNumber = earlier?.receiptNumber ?? `JL2026010500000${submissions.size + 1}`;
      submissions.set(key, { body, receiptNumber });
      return {
        status: earlier ? 200 : 201,
        body: {
          id: `sub-${receiptNumber}`,
          receiptNumber,
          submittedAt: '2026-01-05T01:00:00.000Z',
          status: 'submitted',
          bodySha256: 'ab'.repeat(32),
          receipt: {
            receiptNumber,
            submissionId: `sub-${receiptNumber}`,
            submittedAt: '2026-01-05T01:00:00.000Z',
            bodySha256: 'ab'.repeat(32),
            keyId: '0123456789abcdef',
            signature: 'c2lnbmF0dXJl',
          },
        },
      };
    }
    return { status: 404, body: { error: '未找到' } };
  };
  return { send, requests, attachments, submissions };
}

const posts = (requests: OutboxRequest[]) => requests.filter((r) => r.method === 'POST');
const puts = (requests: OutboxRequest[]) => requests.filter((r) => r.method === 'PUT');

describe('outbox sender', () => {
  let name: string;
  const opened: LocalDb[] = [];
  let clock: FakeClock;

  function database(): LocalDb {
    const db = new LocalDb(name);
    opened.push(db);
    return db;
  }

  function deps(db: LocalDb, send: FlushDeps['send'], extra: Partial<FlushDeps> = {}): FlushDeps {
    return { db, send, now: clock.now, random: () => 0.5, ...extra };
  }

  async function draft(db: LocalDb, extra: Partial<DraftRecord> = {}): Promise<DraftRecord> {
    const record: DraftRecord = {
      id: crypto.randomUUID(),
      accountId: ACCOUNT,
      values: { name: BODY.name, idNumber: ID_NUMBER },
      photo: new Blob([JPEG], { type: 'image/jpeg' }),
      signature: new Blob([PNG], { type: 'image/png' }),
      fieldUpdatedAt: {},
      updatedAt: clock.now(),
      ...extra,
    };
    await db.drafts.put(record);
    return record;
  }

  async function enqueue(db: LocalDb, draftId: string, body: Record<string, unknown> = BODY) {
    return enqueueSubmission(
      db,
      {
        accountId: ACCOUNT,
        draftId,
        body,
        attachments: [
          { kind: 'photo', blob: new Blob([JPEG], { type: 'image/jpeg' }) },
          { kind: 'signature', blob: new Blob([PNG], { type: 'image/png' }) },
        ],
      },
      clock.now,
    );
  }

  beforeEach(() => {
    name = `outbox-test-${crypto.randomUUID()}`;
    clock = new FakeClock();
  });

  afterEach(async () => {
    for (const db of opened.splice(0)) db.close();
    await new LocalDb(name).delete();
  });

  describe('enqueueSubmission', () => {
    it('stores one queued item under the draft key, attachments as Blobs named by their SHA-256', async () => {
      const db = database();
      const { id } = await draft(db, { idempotencyKey: '8c3a8f5e-2b1d-4c1e-9f00-1234567890ab' });
      const item = await enqueue(db, id);
      const photoSha = await blobSha256(new Blob([JPEG]));
      const signatureSha = await blobSha256(new Blob([PNG]));
      expect(photoSha).to.match(/^[0-9a-f]{64}$/);
      const [stored, ...others] = await db.outbox.toArray();
      expect(others).to.have.length(0);
      expect(stored?.id).to.equal('8c3a8f5e-2b1d-4c1e-9f00-1234567890ab');
      expect(stored).to.include({ state: 'queued', attempts: 0, nextAttemptAt: clock.now(), draftId: id, accountId: ACCOUNT });
      expect(stored?.body.photo).to.equal(photoSha);
      expect(stored?.body.signature).to.equal(signatureSha);
      expect(stored?.attachments.map((a) => [a.kind, a.sha256, a.uploaded])).to.deep.equal([
        ['photo', photoSha, false],
        ['signature', signatureSha, false],
      ]);
      expect(stored?.attachments[0]?.blob).to.be.instanceOf(Blob);
      expect(item.id).to.equal(stored?.id);
      // A second 下一步 while it waits changes nothing.
      expect((await enqueue(db, id)).id).to.equal(item.id);
      expect(await db.outbox.count()).to.equal(1);
    });

    it('makes a key and keeps it on the draft when the draft has none', async () => {
      const db = database();
      const { id } = await draft(db);
      const item = await enqueue(db, id);
      expect(item.id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect((await db.drafts.get(id))?.idempotencyKey).to.equal(item.id);
    });

    it('replaces a rejected item under a new key; keeps the key if an attempt went unanswered', async () => {
      const db = database();
      const { id } = await draft(db);
      const first = await enqueue(db, id);
      await db.outbox.update(first.id, { state: 'rejected', issues: [{ field: 'mobile', message: '手机号码格式不正确' }] });
      const second = await enqueue(db, id, { ...BODY, mobile: '13900139000' });
      expect(second.id).to.not.equal(first.id);
      expect((await db.outbox.toArray()).map((r) => [r.id, r.state])).to.deep.equal([[second.id, 'queued']]);
      expect((await db.drafts.get(id))?.idempotencyKey).to.equal(second.id);

      await db.outbox.update(second.id, { state: 'rejected', maybeDelivered: true });
      const third = await enqueue(db, id);
      expect(third.id).to.equal(second.id);
      expect(third.state).to.equal('queued');
    });

    it('withdraws a waiting item, but not one being sent', async () => {
      const db = database();
      const { id } = await draft(db);
      const item = await enqueue(db, id);
      await db.outbox.update(item.id, { state: 'sending' });
      expect(await withdrawSubmission(db, item.id)).to.equal(false);
      expect(await db.outbox.count()).to.equal(1);
      await db.outbox.update(item.id, { state: 'queued' });
      expect(await withdrawSubmission(db, item.id)).to.equal(true);
      expect(await db.outbox.count()).to.equal(0);
      expect(await db.drafts.get(id), 'the draft stays for editing').to.exist;
    });
  });

  describe('flushOutbox', () => {
    it('uploads, submits under the key, keeps the receipt and deletes item and draft; no ID number stays', async () => {
      const db = database();
      const { id } = await draft(db);
      const item = await enqueue(db, id);
      const server = fakeServer();
      const progress: (number | undefined)[] = [];
      const result = await flushOutbox(deps(db, server.send, { onProgress: (p) => progress.push(p?.loaded) }));

      expect(result.sent).to.deep.equal([item.id]);
      expect(server.requests.map((r) => r.method)).to.deep.equal(['HEAD', 'PUT', 'HEAD', 'PUT', 'POST']);
      const [post] = posts(server.requests);
      expect(post?.headers['Idempotency-Key']).to.equal(item.id);
      expect(JSON.parse(String(post?.body))).to.deep.equal(item.body);
      expect(puts(server.requests).map((r) => r.path)).to.deep.equal([
        `/api/attachments/${item.attachments[0]?.sha256}?kind=photo`,
        `/api/attachments/${item.attachments[1]?.sha256}?kind=signature`,
      ]);
      expect(puts(server.requests).map((r) => r.headers['content-type'])).to.deep.equal(['image/jpeg', 'image/png']);
      expect(progress.at(-1)).to.equal(undefined);
      expect(progress).to.include(JPEG.byteLength + PNG.byteLength);

      expect(await db.outbox.count()).to.equal(0);
      expect(await db.drafts.get(id)).to.equal(undefined);
      const [receipt] = await db.receipts.toArray();
      expect(receipt).to.deep.include({
        receiptNumber: 'JL20260105000001',
        accountId: ACCOUNT,
        submissionId: 'sub-JL20260105000001',
        keyId: '0123456789abcdef',
        signature: 'c2lnbmF0dXJl',
      });
      expect(receipt?.summary).to.deep.equal({
        name: '李明',
        enterpriseName: '示例工程监理有限公司',
        specialty1: '01',
        specialty2: '02',
      });
      // Nothing on the device still holds the ID number or the images.
      expect(JSON.stringify(await db.receipts.toArray())).to.not.contain(ID_NUMBER);
      expect(await db.drafts.count()).to.equal(0);
      // …and the server's copy of the draft is to go too, so no other device brings it back.
      expect((await db.draftTombstones.toArray()).map((t) => t.id)).to.deep.equal([id]);
    });

    it('saves the receipt and deletes item and draft in one transaction: all or none', async () => {
      const db = database();
      const { id } = await draft(db);
      const item = await enqueue(db, id);
      // The receipt cannot be written: the item and the draft must stay as they were.
      db.receipts.hook('creating', () => {
        throw new Error('disk full');
      });
      const result = await flushOutbox(deps(db, fakeServer().send));
      expect(result.sent).to.deep.equal([]);
      expect(await db.receipts.count()).to.equal(0);
      expect(await db.drafts.get(id)).to.exist;
      expect(await db.draftTombstones.count()).to.equal(0);
      const stored = await db.outbox.get(item.id);
      expect(stored?.state).to.equal('queued');
      expect(stored?.attempts).to.equal(1);
    });

    it('on a network failure requeues with attempts + 1 and a later nextAttemptAt (backoff with random())', async () => {
      const db = database();
      const { id } = await draft(db);
      const item = await enqueue(db, id);
      const offline = fakeServer(() => ({ status: 0, body: null }));
      const result = await flushOutbox(deps(db, offline.send, { random: () => 0.75 }));
      expect(result.requeued).to.deep.equal([item.id]);
      const stored = await db.outbox.get(item.id);
      expect(stored?.state).to.equal('queued');
      expect(stored?.attempts).to.equal(1);
      expect(stored?.nextAttemptAt).to.equal(clock.now() + backoffDelay(1, () => 0.75));
      expect(stored?.nextAttemptAt).to.be.above(clock.now());
      expect(stored?.lastError).to.equal(OUTBOX_MESSAGES.offline);
      expect(result.nextAttemptAt).to.equal(stored?.nextAttemptAt);
      expect(await db.drafts.get(id)).to.exist;

      // Not due yet: nothing is sent; once due, the second failure waits longer.
      expect((await flushOutbox(deps(db, offline.send))).requeued).to.deep.equal([]);
      await clock.advance(5_000);
      await flushOutbox(deps(db, offline.send, { random: () => 0.75 }));
      const again = await db.outbox.get(item.id);
      expect(again?.attempts).to.equal(2);
      expect(again?.nextAttemptAt).to.equal(clock.now() + backoffDelay(2, () => 0.75));
      expect(backoffDelay(2, () => 0.75)).to.be.above(backoffDelay(1, () => 0.75));
    });

    it('requeues on 409 (same key still in flight), keeping the uploads done', async () => {
      const db = database();
      const { id } = await draft(db);
      const item = await enqueue(db, id);
      const busy = fakeServer((r) => (r.method === 'POST' ? { status: 409, body: { error: '处理中' } } : undefined));
      const result = await flushOutbox(deps(db, busy.send));
      expect(result.requeued).to.deep.equal([item.id]);
      const stored = await db.outbox.get(item.id);
      expect(stored?.state).to.equal('queued');
      expect(stored?.attempts).to.equal(1);
      expect(stored?.maybeDelivered).to.equal(true);
      expect(stored?.attachments.map((a) => a.uploaded)).to.deep.equal([true, true]);
      expect(await db.receipts.count()).to.equal(0);
    });

    it('on 400 with issues marks the item rejected with the issues and keeps it and the draft', async () => {
      const db = database();
      const { id } = await draft(db);
      const item = await enqueue(db, id);
      const issues = [{ field: 'enterprise', message: '所选企业未在注册监理工程师管理系统中注册和认证' }];
      const refusing = fakeServer((r) => (r.method === 'POST' ? { status: 400, body: { error: '申请内容有误', issues } } : undefined));
      const result = await flushOutbox(deps(db, refusing.send));
      expect(result.rejected).to.deep.equal([item.id]);
      const stored = await db.outbox.get(item.id);
      expect(stored).to.deep.include({ state: 'rejected', rejectedFor: 'issues', lastError: OUTBOX_MESSAGES.fields });
      expect(stored?.issues).to.deep.equal(issues);
      expect(await db.drafts.get(id)).to.exist;
      // A rejected item is not sent again by itself.
      await clock.advance(60 * 60_000);
      const later = fakeServer();
      await flushOutbox(deps(db, later.send, { ignoreBackoff: true }));
      expect(later.requests).to.have.length(0);
      expect((await db.outbox.get(item.id))?.state).to.equal('rejected');
    });

    it('on 401 and 403 keeps the item, rejected with what the person must do', async () => {
      const db = database();
      const first = await enqueue(db, (await draft(db)).id);
      await flushOutbox(deps(db, fakeServer(() => ({ status: 401, body: { error: '请先登录' } })).send));
      expect(await db.outbox.get(first.id)).to.deep.include({ state: 'rejected', rejectedFor: 'sign-in', lastError: OUTBOX_MESSAGES.signIn });

      const second = await enqueue(db, (await draft(db)).id);
      const face = fakeServer((r) => (r.method === 'POST' ? { status: 403, body: { error: '请先完成人脸识别' } } : undefined));
      await flushOutbox(deps(db, face.send));
      expect(await db.outbox.get(second.id)).to.deep.include({ state: 'rejected', rejectedFor: 'face', lastError: OUTBOX_MESSAGES.face });
      expect(await db.outbox.count()).to.equal(2);
    });

    it('after signing in again, requeues what was refused for sign-in (and for face only once verified), under the same key', async () => {
      const db = database();
      const signIn = await enqueue(db, (await draft(db)).id);
      await db.outbox.update(signIn.id, { state: 'rejected', rejectedFor: 'sign-in', lastError: OUTBOX_MESSAGES.signIn });
      const face = await enqueue(db, (await draft(db)).id);
      await db.outbox.update(face.id, { state: 'rejected', rejectedFor: 'face', lastError: OUTBOX_MESSAGES.face });
      const fields = await enqueue(db, (await draft(db)).id);
      await db.outbox.update(fields.id, { state: 'rejected', rejectedFor: 'issues', issues: [{ field: 'mobile', message: '手机号码格式不正确' }] });

      expect(await resumeAfterSignIn(db, signIn.accountId, false)).to.equal(1);
      expect(await db.outbox.get(signIn.id)).to.deep.include({ state: 'queued', id: signIn.id });
      expect((await db.outbox.get(signIn.id))?.lastError).to.equal(undefined);
      expect((await db.outbox.get(face.id))?.state).to.equal('rejected');

      expect(await resumeAfterSignIn(db, signIn.accountId, true)).to.equal(1);
      expect((await db.outbox.get(face.id))?.state).to.equal('queued');
      // Field problems need the person, not a new session.
      expect((await db.outbox.get(fields.id))?.state).to.equal('rejected');
    });

    it('does not upload an attachment again once uploaded', async () => {
      const db = database();
      const { id } = await draft(db);
      await enqueue(db, id);
      const down = fakeServer((r) => (r.method === 'POST' ? { status: 503, body: null } : undefined));
      await flushOutbox(deps(db, down.send));
      expect(puts(down.requests)).to.have.length(2);

      const up = fakeServer();
      await flushOutbox(deps(db, up.send, { ignoreBackoff: true }));
      expect(up.requests.map((r) => r.method)).to.deep.equal(['POST']);
      expect(await db.receipts.count()).to.equal(1);
    });

    it('skips the PUT when HEAD says the server has the attachment', async () => {
      const db = database();
      const item = await enqueue(db, (await draft(db)).id);
      const server = fakeServer();
      server.attachments.add(item.attachments[0]!.sha256);
      await flushOutbox(deps(db, server.send));
      expect(server.requests.map((r) => `${r.method} ${r.path.split('?')[0]?.slice(-6)}`)).to.deep.equal([
        `HEAD ${item.attachments[0]!.sha256.slice(-6)}`,
        `HEAD ${item.attachments[1]!.sha256.slice(-6)}`,
        `PUT ${item.attachments[1]!.sha256.slice(-6)}`,
        'POST ssions',
      ]);
      expect(await db.outbox.count()).to.equal(0);
    });

    for (const locks of ['Web Locks', 'no Web Locks'] as const) {
      it(`sends once when two flushes run together (${locks})`, async () => {
        const db = database();
        await enqueue(db, (await draft(db)).id);
        const server = fakeServer();
        const extra: Partial<FlushDeps> = locks === 'Web Locks' ? {} : { locks: null };
        const [a, b] = await Promise.all([
          flushOutbox(deps(db, server.send, extra)),
          flushOutbox(deps(database(), server.send, extra)),
        ]);
        expect(posts(server.requests)).to.have.length(1);
        expect(puts(server.requests)).to.have.length(2);
        expect([...a.sent, ...b.sent]).to.have.length(1);
        expect(await db.receipts.count()).to.equal(1);
      });
    }

    it('keeps the outbox through a restart (a new connection) and sends it from there', async () => {
      const first = database();
      const { id } = await draft(first);
      const item = await enqueue(first, id);
      await flushOutbox(deps(first, fakeServer(() => ({ status: 0, body: null })).send));
      first.close();

      const reopened = database();
      const [stored] = await reopened.outbox.toArray();
      expect(stored?.id).to.equal(item.id);
      expect(stored?.attempts).to.equal(1);
      expect([...new Uint8Array(await stored!.attachments[0]!.blob.arrayBuffer())]).to.deep.equal([...JPEG]);
      expect(stored?.attachments[1]?.blob.type).to.equal('image/png');
      const server = fakeServer();
      const result = await flushOutbox(deps(reopened, server.send, { ignoreBackoff: true }));
      expect(result.sent).to.deep.equal([item.id]);
      expect(posts(server.requests)[0]?.headers['Idempotency-Key']).to.equal(item.id);
    });

    it('takes back an item left "sending" by a tab that closed mid-send', async () => {
      const db = database();
      const item = await enqueue(db, (await draft(db)).id);
      await db.outbox.update(item.id, { state: 'sending', sendingAt: clock.now() });
      const server = fakeServer();
      await flushOutbox(deps(db, server.send));
      expect(posts(server.requests)).to.have.length(1);
      expect(await db.outbox.count()).to.equal(0);
    });

    it('on 422 for a key already used with another body sends again under a new key', async () => {
      const db = database();
      const { id } = await draft(db);
      const item = await enqueue(db, id);
      const server = fakeServer();
      server.submissions.set(item.id, { body: '{"other":true}', receiptNumber: 'JL20260105009999' });
      const result = await flushOutbox(deps(db, server.send));
      const keys = posts(server.requests).map((r) => r.headers['Idempotency-Key']);
      expect(keys).to.have.length(2);
      expect(keys[0]).to.equal(item.id);
      expect(keys[1]).to.not.equal(item.id);
      expect(result.sent).to.deep.equal([keys[1]]);
      expect((await db.receipts.toArray()).map((r) => r.receiptNumber)).to.deep.equal(['JL20260105000002']);
      expect(await db.outbox.count()).to.equal(0);
    });

    it('sends the oldest item first', async () => {
      const db = database();
      const older = await enqueue(db, (await draft(db)).id, { ...BODY, specialty2: '03' });
      await clock.advance(1_000);
      const newer = await enqueue(db, (await draft(db)).id);
      const server = fakeServer();
      await flushOutbox(deps(db, server.send));
      expect(posts(server.requests).map((r) => r.headers['Idempotency-Key'])).to.deep.equal([older.id, newer.id]);
    });
  });

  describe('an employer typed but not picked', () => {
    const DIRECTORY: DirectoryEnterprise = {
      uscc: '91110000100000000X',
      name: '北京示例（集团）工程监理有限公司',
      legalRepresentative: '张三',
      province: '北京市',
      city: '海淀区',
    };
    const TYPED = ' 北京示例(集团)工程监理 有限公司';

    /** The directory as the server's search answers it, counting the questions. */
    function directory(answer: (keyword: string) => Promise<DirectoryEnterprise[]>) {
      const asked: string[] = [];
      const search = (keyword: string) => {
        asked.push(keyword);
        return answer(keyword);
      };
      return { search, asked };
    }

    async function enqueueTyped(db: LocalDb, name = TYPED) {
      const { id } = await draft(db);
      const item = await enqueueSubmission(
        db,
        {
          accountId: ACCOUNT,
          draftId: id,
          body: { ...BODY, enterprise: { name } },
          attachments: [
            { kind: 'photo', blob: new Blob([JPEG], { type: 'image/jpeg' }) },
            { kind: 'signature', blob: new Blob([PNG], { type: 'image/png' }) },
          ],
          enterpriseToMatch: true,
        },
        clock.now,
      );
      return { item, draftId: id };
    }

    it('is stored flagged, with only the typed name', async () => {
      const db = database();
      const { item } = await enqueueTyped(db);
      const stored = await db.outbox.get(item.id);
      expect(stored?.enterpriseToMatch).to.equal(true);
      expect(stored?.body.enterprise).to.deep.equal({ name: TYPED });
    });

    it('one match: completes the body with the directory enterprise, stores it, then sends it once', async () => {
      const db = database();
      const { item } = await enqueueTyped(db);
      const dir = directory(async () => [DIRECTORY, { ...DIRECTORY, uscc: '91110000100000001X', name: `${DIRECTORY.name}分公司` }]);
      const server = fakeServer();
      let storedAtPost = undefined as OutboxRecord | undefined;
      const send: FlushDeps['send'] = async (request) => {
        if (request.method === 'POST') storedAtPost = await db.outbox.get(item.id);
        return server.send(request);
      };
      const result = await flushOutbox(deps(db, send, { search: dir.search }));

      expect(result.sent).to.deep.equal([item.id]);
      expect(dir.asked).to.have.length(1);
      const [post, ...more] = posts(server.requests);
      expect(more).to.have.length(0);
      expect(post?.headers['Idempotency-Key']).to.equal(item.id);
      const sent = JSON.parse(String(post?.body)) as Record<string, unknown>;
      expect(sent.enterprise, "the directory's enterprise, its name spelled as there").to.deep.equal(DIRECTORY);
      expect(sent).to.deep.equal({ ...item.body, enterprise: DIRECTORY });
      expect(storedAtPost?.body, 'stored before the POST').to.deep.equal(sent);
      expect(storedAtPost?.enterpriseToMatch).to.equal(undefined);
      expect((await db.receipts.toArray())[0]?.summary.enterpriseName).to.equal(DIRECTORY.name);
    });

    it('matched once: a retry sends the same body under the same key without asking the directory again', async () => {
      const db = database();
      const { item } = await enqueueTyped(db);
      const dir = directory(async () => [DIRECTORY]);
      const dropped = fakeServer((r) => (r.method === 'POST' ? { status: 0, body: null } : undefined));
      expect((await flushOutbox(deps(db, dropped.send, { search: dir.search }))).requeued).to.deep.equal([item.id]);
      const server = fakeServer();
      expect((await flushOutbox(deps(db, server.send, { search: dir.search, ignoreBackoff: true }))).sent).to.deep.equal([item.id]);
      expect(dir.asked).to.have.length(1);
      const [first] = posts(dropped.requests);
      const [second] = posts(server.requests);
      expect(second?.headers['Idempotency-Key']).to.equal(first?.headers['Idempotency-Key']);
      expect(second?.body).to.equal(first?.body);
    });

    it('no single match: rejected with the not-found message on enterprise.name, nothing sent', async () => {
      const db = database();
      const { item, draftId } = await enqueueTyped(db);
      const server = fakeServer();
      const result = await flushOutbox(deps(db, server.send, { search: directory(async () => []).search }));
      expect(result.rejected).to.deep.equal([item.id]);
      const stored = await db.outbox.get(item.id);
      expect(stored).to.deep.include({ state: 'rejected', rejectedFor: 'issues', lastError: OUTBOX_MESSAGES.fields });
      expect(stored?.issues).to.deep.equal([{ field: 'enterprise.name', message: ENTERPRISE_NOT_FOUND }]);
      expect(server.requests, 'no upload, no POST').to.have.length(0);
      expect(await db.drafts.get(draftId)).to.exist;

      // Two enterprises of that name are no single match either.
      const { item: twin } = await enqueueTyped(db, DIRECTORY.name);
      const twins = directory(async () => [DIRECTORY, { ...DIRECTORY, uscc: '91110000100000002X' }]);
      await flushOutbox(deps(db, server.send, { search: twins.search }));
      expect((await db.outbox.get(twin.id))?.issues).to.deep.equal([{ field: 'enterprise.name', message: ENTERPRISE_NOT_FOUND }]);
    });

    it('matched by USCC: rejected, since the commitment named another employer', async () => {
      const db = database();
      const { item } = await enqueueTyped(db, DIRECTORY.uscc);
      const server = fakeServer();
      await flushOutbox(deps(db, server.send, { search: directory(async () => [DIRECTORY]).search }));
      const stored = await db.outbox.get(item.id);
      expect(stored?.state).to.equal('rejected');
      expect(stored?.issues).to.deep.equal([{ field: 'enterprise.name', message: enterpriseToConfirmMessage(DIRECTORY.name) }]);
      expect(server.requests).to.have.length(0);
    });

    it('directory unreachable: requeued with backoff like a network failure, still to be matched', async () => {
      const db = database();
      const { item } = await enqueueTyped(db);
      const server = fakeServer();
      const offline = directory(() => Promise.reject(new DirectoryUnavailableError(0, true)));
      const result = await flushOutbox(deps(db, server.send, { search: offline.search, random: () => 0.75 }));
      expect(result.requeued).to.deep.equal([item.id]);
      let stored = await db.outbox.get(item.id);
      expect(stored).to.deep.include({ state: 'queued', attempts: 1, lastError: OUTBOX_MESSAGES.offline, enterpriseToMatch: true });
      expect(stored?.nextAttemptAt).to.equal(clock.now() + backoffDelay(1, () => 0.75));
      expect(stored?.maybeDelivered, 'nothing went out under the key').to.equal(false);
      expect(stored?.body.enterprise).to.deep.equal({ name: TYPED });
      expect(server.requests).to.have.length(0);

      const down = directory(() => Promise.reject(new DirectoryUnavailableError(503, false)));
      await flushOutbox(deps(db, server.send, { search: down.search, ignoreBackoff: true }));
      stored = await db.outbox.get(item.id);
      expect(stored).to.deep.include({ state: 'queued', attempts: 2, lastError: OUTBOX_MESSAGES.unavailable(503) });

      // Back: matched and sent.
      await flushOutbox(deps(db, server.send, { search: directory(async () => [DIRECTORY]).search, ignoreBackoff: true }));
      expect(await db.outbox.count()).to.equal(0);
      expect(JSON.parse(String(posts(server.requests)[0]?.body)).enterprise).to.deep.equal(DIRECTORY);
    });
  });

  describe('OutboxScheduler', () => {
    it('wakes itself at the next due attempt and sends then', async () => {
      const db = database();
      const item = await enqueue(db, (await draft(db)).id);
      let down = true;
      const server = fakeServer((r) => (down && r.method === 'POST' ? { status: 503, body: null } : undefined));
      const scheduler = new OutboxScheduler(() => db, {
        send: server.send,
        now: clock.now,
        random: () => 0.5,
        setTimer: clock.setTimer,
        clearTimer: clock.clearTimer,
        online: () => true,
      });
      await scheduler.flushNow();
      const stored = await db.outbox.get(item.id);
      expect(stored?.state).to.equal('queued');
      expect(clock.nextTimerAt).to.equal(stored?.nextAttemptAt);

      down = false;
      let settled: Promise<unknown> = Promise.resolve();
      const flushes: Promise<unknown>[] = [];
      const original = scheduler.flushNow.bind(scheduler);
      scheduler.flushNow = (options) => {
        const run = original(options);
        flushes.push(run);
        settled = run;
        return run;
      };
      await clock.advance(backoffDelay(1, () => 0.5) - 1, () => settled);
      expect(flushes, 'not before it is due').to.have.length(0);
      await clock.advance(1, () => settled);
      expect(flushes).to.have.length(1);
      expect(await db.outbox.count()).to.equal(0);
      expect(await db.receipts.count()).to.equal(1);
      expect(clock.nextTimerAt, 'nothing left to wake up for').to.equal(undefined);
      scheduler.stop();
    });

    it('does not try while the device knows it is offline', async () => {
      const db = database();
      await enqueue(db, (await draft(db)).id);
      const server = fakeServer();
      const scheduler = new OutboxScheduler(() => db, { send: server.send, online: () => false });
      expect(await scheduler.flushNow({ ignoreBackoff: true })).to.equal(undefined);
      expect(server.requests).to.have.length(0);
      expect((await db.outbox.toArray())[0]?.attempts).to.equal(0);
    });
  });
});
