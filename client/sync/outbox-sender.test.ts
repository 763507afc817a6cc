import { expect } from 'chai';
import type { LocalDb, OutboxRecord } from '../data/local-db.ts';
import { fakeApiServer as fakeServer } from '../test-support/fake-api-server.ts';
import type { FakeClock } from '../test-support/fake-clock.ts';
import { ACCOUNT, attachments, BODY, ID_NUMBER, JPEG, outboxTestBed, PNG } from '../test-support/outbox-fixtures.ts';
import type { RecordedRequest } from '../test-support/fake-transport.ts';
import { backoffDelay } from './backoff.ts';
import type { DirectoryEnterprise } from './enterprise-cache.ts';
import { DirectoryUnavailableError, ENTERPRISE_NOT_FOUND, enterpriseToConfirmMessage } from './enterprise-match.ts';
import { enqueueSubmission, moveOutboxItems, outboxStorage } from './outbox.ts';
import { OUTBOX_MESSAGES } from './outbox-outcome.ts';
import { type FlushDeps, flushOutbox } from './outbox-sender.ts';
import { OutboxScheduler } from './outbox-scheduler.ts';

const posts = (requests: RecordedRequest[]) => requests.filter((r) => r.method === 'POST');
const puts = (requests: RecordedRequest[]) => requests.filter((r) => r.method === 'PUT');

describe('outbox sender', () => {
  const bed = outboxTestBed();
  const { database, draft, enqueue } = bed;
  let clock: FakeClock;

  beforeEach(() => {
    clock = bed.clock;
  });

  function deps(db: LocalDb, net: FlushDeps['net'], extra: Partial<FlushDeps> = {}): FlushDeps {
    return { db, net, now: clock.now, random: () => 0.5, ...extra };
  }

  describe('flushOutbox', () => {
    it('uploads, submits under the key, keeps the receipt and deletes item and draft; no ID number stays', async () => {
      const db = database();
      const { id } = await draft(db);
      const item = await enqueue(db, id);
      const server = fakeServer();
      const progress: (number | undefined)[] = [];
      const result = await flushOutbox(deps(db, server.net, { onProgress: (p) => progress.push(p?.loaded) }));

      expect(result.sent).to.deep.equal([item.id]);
      // Both attachments are asked about before either answer is in; the body follows them.
      expect(server.requests.map((r) => r.method)).to.deep.equal(['HEAD', 'HEAD', 'PUT', 'PUT', 'POST']);
      const [post] = posts(server.requests);
      expect(post?.headers['idempotency-key']).to.equal(item.id);
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
      const result = await flushOutbox(deps(db, fakeServer().net));
      expect(result.sent).to.deep.equal([]);
      expect(await db.receipts.count()).to.equal(0);
      expect(await db.drafts.get(id)).to.exist;
      expect(await db.draftTombstones.count()).to.equal(0);
      const stored = await db.outbox.get(item.id);
      expect(stored?.state).to.equal('queued');
      expect(stored?.attempts).to.equal(1);
    });

    it('says when an attempt failed because the device storage is full', async () => {
      const db = database();
      const item = await enqueue(db, (await draft(db)).id);
      db.receipts.hook('creating', () => {
        throw new DOMException('storage full', 'QuotaExceededError');
      });
      const result = await flushOutbox(deps(db, fakeServer().net));
      expect(result.storageFull).to.equal(true);
      expect(await db.outbox.get(item.id)).to.deep.include({ state: 'queued', lastError: OUTBOX_MESSAGES.storageFull });
    });

    it('completes the draft the item followed on a merge: that draft goes, with its tombstone', async () => {
      const db = database();
      const first = await draft(db);
      const item = await enqueue(db, first.id);
      const merged = await draft(db);
      expect(await moveOutboxItems(db, ACCOUNT, first.id, merged.id)).to.equal(1);
      expect((await flushOutbox(deps(db, fakeServer().net))).sent).to.deep.equal([item.id]);
      expect(await db.drafts.get(merged.id)).to.equal(undefined);
      expect((await db.draftTombstones.toArray()).map((t) => t.id)).to.deep.equal([merged.id]);
      const [receipt] = await db.receipts.toArray();
      expect(receipt).to.deep.include({ idempotencyKey: item.id, submissionId: 'sub-JL20260105000001' });
    });

    it('on a network failure requeues with attempts + 1 and a later nextAttemptAt (backoff with random())', async () => {
      const db = database();
      const { id } = await draft(db);
      const item = await enqueue(db, id);
      const offline = fakeServer(() => ({ status: 0, body: null }));
      const result = await flushOutbox(deps(db, offline.net, { random: () => 0.75 }));
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
      expect((await flushOutbox(deps(db, offline.net))).requeued).to.deep.equal([]);
      await clock.advance(5_000);
      await flushOutbox(deps(db, offline.net, { random: () => 0.75 }));
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
      const result = await flushOutbox(deps(db, busy.net));
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
      const result = await flushOutbox(deps(db, refusing.net));
      expect(result.rejected).to.deep.equal([item.id]);
      const stored = await db.outbox.get(item.id);
      expect(stored).to.deep.include({ state: 'rejected', rejectedFor: 'issues', lastError: OUTBOX_MESSAGES.fields });
      expect(stored?.issues).to.deep.equal(issues);
      expect(await db.drafts.get(id)).to.exist;
      // A rejected item is not sent again by itself.
      await clock.advance(60 * 60_000);
      const later = fakeServer();
      await flushOutbox(deps(db, later.net, { ignoreBackoff: true }));
      expect(later.requests).to.have.length(0);
      expect((await db.outbox.get(item.id))?.state).to.equal('rejected');
    });

    it('on 401 and 403 keeps the item, rejected with what the person must do', async () => {
      const db = database();
      const first = await enqueue(db, (await draft(db)).id);
      await flushOutbox(deps(db, fakeServer(() => ({ status: 401, body: { error: '请先登录' } })).net));
      expect(await db.outbox.get(first.id)).to.deep.include({ state: 'rejected', rejectedFor: 'sign-in', lastError: OUTBOX_MESSAGES.signIn });

      const second = await enqueue(db, (await draft(db)).id);
      const face = fakeServer((r) => (r.method === 'POST' ? { status: 403, body: { error: '请先完成人脸识别' } } : undefined));
      await flushOutbox(deps(db, face.net));
      expect(await db.outbox.get(second.id)).to.deep.include({ state: 'rejected', rejectedFor: 'face', lastError: OUTBOX_MESSAGES.face });
      expect(await db.outbox.count()).to.equal(2);
    });

    it('does not upload an attachment again once uploaded', async () => {
      const db = database();
      const { id } = await draft(db);
      await enqueue(db, id);
      const down = fakeServer((r) => (r.method === 'POST' ? { status: 503, body: null } : undefined));
      await flushOutbox(deps(db, down.net));
      expect(puts(down.requests)).to.have.length(2);

      const up = fakeServer();
      await flushOutbox(deps(db, up.net, { ignoreBackoff: true }));
      expect(up.requests.map((r) => r.method)).to.deep.equal(['POST']);
      expect(await db.receipts.count()).to.equal(1);
    });

    it('skips the PUT when HEAD says the server has the attachment', async () => {
      const db = database();
      const item = await enqueue(db, (await draft(db)).id);
      const server = fakeServer();
      server.attachments.add(item.attachments[0]!.sha256);
      await flushOutbox(deps(db, server.net));
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
          flushOutbox(deps(db, server.net, extra)),
          flushOutbox(deps(database(), server.net, extra)),
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
      await flushOutbox(deps(first, fakeServer(() => ({ status: 0, body: null })).net));
      first.close();

      const reopened = database();
      const [stored] = await reopened.outbox.toArray();
      expect(stored?.id).to.equal(item.id);
      expect(stored?.attempts).to.equal(1);
      expect([...new Uint8Array(await stored!.attachments[0]!.blob.arrayBuffer())]).to.deep.equal([...JPEG]);
      expect(stored?.attachments[1]?.blob.type).to.equal('image/png');
      const server = fakeServer();
      const result = await flushOutbox(deps(reopened, server.net, { ignoreBackoff: true }));
      expect(result.sent).to.deep.equal([item.id]);
      expect(posts(server.requests)[0]?.headers['idempotency-key']).to.equal(item.id);
    });

    it('takes back an item left "sending" by a tab that closed mid-send', async () => {
      const db = database();
      const item = await enqueue(db, (await draft(db)).id);
      await db.outbox.update(item.id, { state: 'sending', sendingAt: clock.now() });
      const server = fakeServer();
      await flushOutbox(deps(db, server.net));
      expect(posts(server.requests)).to.have.length(1);
      expect(await db.outbox.count()).to.equal(0);
    });

    it('on 422 for a key already used with another body sends again under a new key', async () => {
      const db = database();
      const { id } = await draft(db);
      const item = await enqueue(db, id);
      const server = fakeServer();
      server.submissions.set(item.id, { body: '{"other":true}', receiptNumber: 'JL20260105009999' });
      const result = await flushOutbox(deps(db, server.net));
      const keys = posts(server.requests).map((r) => r.headers['idempotency-key']);
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
      await flushOutbox(deps(db, server.net));
      expect(posts(server.requests).map((r) => r.headers['idempotency-key'])).to.deep.equal([older.id, newer.id]);
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
          attachments: await attachments(),
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
      let storedAtPost = undefined as OutboxRecord | undefined;
      const server = fakeServer(async (request) => {
        if (request.method === 'POST') storedAtPost = await db.outbox.get(item.id);
        return undefined;
      });
      const result = await flushOutbox(deps(db, server.net, { search: dir.search }));

      expect(result.sent).to.deep.equal([item.id]);
      expect(dir.asked).to.have.length(1);
      const [post, ...more] = posts(server.requests);
      expect(more).to.have.length(0);
      expect(post?.headers['idempotency-key']).to.equal(item.id);
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
      expect((await flushOutbox(deps(db, dropped.net, { search: dir.search }))).requeued).to.deep.equal([item.id]);
      const server = fakeServer();
      expect((await flushOutbox(deps(db, server.net, { search: dir.search, ignoreBackoff: true }))).sent).to.deep.equal([item.id]);
      expect(dir.asked).to.have.length(1);
      const [first] = posts(dropped.requests);
      const [second] = posts(server.requests);
      expect(second?.headers['idempotency-key']).to.equal(first?.headers['idempotency-key']);
      expect(second?.body).to.equal(first?.body);
    });

    it('no single match: rejected with the not-found message on enterprise, nothing sent', async () => {
      const db = database();
      const { item, draftId } = await enqueueTyped(db);
      const server = fakeServer();
      const result = await flushOutbox(deps(db, server.net, { search: directory(async () => []).search }));
      expect(result.rejected).to.deep.equal([item.id]);
      const stored = await db.outbox.get(item.id);
      expect(stored).to.deep.include({ state: 'rejected', rejectedFor: 'issues', lastError: OUTBOX_MESSAGES.fields });
      expect(stored?.issues).to.deep.equal([{ field: 'enterprise', message: ENTERPRISE_NOT_FOUND }]);
      expect(server.requests, 'no upload, no POST').to.have.length(0);
      expect(await db.drafts.get(draftId)).to.exist;

      // Two enterprises of that name are no single match either.
      const { item: twin } = await enqueueTyped(db, DIRECTORY.name);
      const twins = directory(async () => [DIRECTORY, { ...DIRECTORY, uscc: '91110000100000002X' }]);
      await flushOutbox(deps(db, server.net, { search: twins.search }));
      expect((await db.outbox.get(twin.id))?.issues).to.deep.equal([{ field: 'enterprise', message: ENTERPRISE_NOT_FOUND }]);
    });

    it('matched by USCC: rejected, since the commitment named another employer', async () => {
      const db = database();
      const { item } = await enqueueTyped(db, DIRECTORY.uscc);
      const server = fakeServer();
      await flushOutbox(deps(db, server.net, { search: directory(async () => [DIRECTORY]).search }));
      const stored = await db.outbox.get(item.id);
      expect(stored?.state).to.equal('rejected');
      expect(stored?.issues).to.deep.equal([{ field: 'enterprise', message: enterpriseToConfirmMessage(DIRECTORY.name) }]);
      expect(server.requests).to.have.length(0);
    });

    it('directory unreachable: requeued with backoff like a network failure, still to be matched', async () => {
      const db = database();
      const { item } = await enqueueTyped(db);
      const server = fakeServer();
      const offline = directory(() => Promise.reject(new DirectoryUnavailableError(0, true)));
      const result = await flushOutbox(deps(db, server.net, { search: offline.search, random: () => 0.75 }));
      expect(result.requeued).to.deep.equal([item.id]);
      let stored = await db.outbox.get(item.id);
      expect(stored).to.deep.include({ state: 'queued', attempts: 1, lastError: OUTBOX_MESSAGES.offline, enterpriseToMatch: true });
      expect(stored?.nextAttemptAt).to.equal(clock.now() + backoffDelay(1, () => 0.75));
      expect(stored?.maybeDelivered, 'nothing went out under the key').to.equal(false);
      expect(stored?.body.enterprise).to.deep.equal({ name: TYPED });
      expect(server.requests).to.have.length(0);

      const down = directory(() => Promise.reject(new DirectoryUnavailableError(503, false)));
      await flushOutbox(deps(db, server.net, { search: down.search, ignoreBackoff: true }));
      stored = await db.outbox.get(item.id);
      expect(stored).to.deep.include({ state: 'queued', attempts: 2, lastError: OUTBOX_MESSAGES.unavailable(503) });

      // Back: matched and sent.
      await flushOutbox(deps(db, server.net, { search: directory(async () => [DIRECTORY]).search, ignoreBackoff: true }));
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
        net: server.net,
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

    it('tries again a while after a flush that failed on the device (storage full)', async () => {
      const db = database();
      const item = await enqueue(db, (await draft(db)).id);
      const server = fakeServer();
      const put = db.outbox.put.bind(db.outbox);
      let full = true;
      // As a full phone answers: marking the item as being sent rewrites it, and there is no room.
      db.outbox.put = ((...args: Parameters<typeof put>) =>
        full ? Promise.reject(new DOMException('storage full', 'QuotaExceededError')) : put(...args)) as typeof put;
      const scheduler = new OutboxScheduler(() => db, {
        net: server.net,
        now: clock.now,
        random: () => 0.5,
        setTimer: clock.setTimer,
        clearTimer: clock.clearTimer,
        online: () => true,
      });
      expect(await scheduler.flushNow({ ignoreBackoff: true })).to.equal(undefined);
      expect((await db.outbox.get(item.id))?.state, 'kept as it was').to.equal('queued');
      expect(clock.nextTimerAt, 'a retry is set').to.be.a('number');
      expect(outboxStorage.full, 'the person is told the device is full, not the network').to.equal(true);

      full = false;
      let settled: Promise<unknown> = Promise.resolve();
      const original = scheduler.flushNow.bind(scheduler);
      scheduler.flushNow = (options) => (settled = original(options));
      await clock.advance(clock.nextTimerAt! - clock.now(), () => settled);
      expect(await db.outbox.get(item.id), 'sent once there is room').to.equal(undefined);
      expect(posts(server.requests)).to.have.length(1);
      expect(outboxStorage.full).to.equal(false);
      scheduler.stop();
    });

    it('does not try while the device knows it is offline', async () => {
      const db = database();
      await enqueue(db, (await draft(db)).id);
      const server = fakeServer();
      const scheduler = new OutboxScheduler(() => db, { net: server.net, online: () => false });
      expect(await scheduler.flushNow({ ignoreBackoff: true })).to.equal(undefined);
      expect(server.requests).to.have.length(0);
      expect((await db.outbox.toArray())[0]?.attempts).to.equal(0);
    });
  });
});
