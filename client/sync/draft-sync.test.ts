import { expect } from 'chai';
import type { DraftCopy } from '../../shared/api/drafts.ts';
import { blobSha256 } from '../data/blob-sha256.ts';
import { DraftStore, retireDrafts } from '../data/draft-store.ts';
import { type DraftRecord, LocalDb } from '../data/local-db.ts';
import { NetClient } from '../net/api-client.ts';
import { type FakeAnswer, fakeTransport, type RecordedRequest } from '../test-support/fake-transport.ts';
import { DraftSync, type SyncClock } from './draft-sync.ts';

const ACCOUNT = 'account-1';
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 0xff, 0xd9]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7, 7, 7]);
/** What the server hands back for an attachment: its own re-encoding, other bytes than uploaded. */
const REENCODED = new Uint8Array([0xff, 0xd8, 0xff, 0xdb, 9, 9, 9, 0xff, 0xd9]);

/** Timers that fire only when the test moves time on. */
class FakeClock implements SyncClock {
  now = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; callback: () => void }>();

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.now + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pending(): number {
    return this.timers.size;
  }

  /** Runs every timer due within `ms`, in order (bounded: a timer set by a timer may be due too). */
  advance(ms: number): void {
    const target = this.now + ms;
    for (let i = 0; i < 100; i++) {
      const due = [...this.timers].filter(([, t]) => t.at <= target).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].callback();
    }
    this.now = target;
  }
}

interface Seen {
  method: string;
  path: string;
  body: unknown;
}

/** /api/drafts and /api/attachments as the contract describes them, in memory. */
class FakeServer {
  readonly drafts = new Map<string, DraftCopy>();
  readonly attachments = new Map<string, { kind: string; bytes: Uint8Array }>();
  readonly seen: Seen[] = [];
  /** No answer at all (network gone while the browser says online). */
  down = false;
  status5xx = false;
  /** Runs before a draft PUT is handled: another device writing in between. */
  beforePut: ((id: string) => void) | undefined;

  readonly net = new NetClient(fakeTransport((request) => this.handle(request)));

  private async handle(request: RecordedRequest): Promise<FakeAnswer> {
    const body = typeof request.body === 'string' ? JSON.parse(request.body) : request.body;
    this.seen.push({ method: request.method, path: request.path, body });
    if (this.down) return { status: 0, body: null };
    if (this.status5xx) return { status: 503, body: { error: '服务暂时不可用' } };
    const url = new URL(request.path, 'http://device.test');
    if (url.pathname === '/api/drafts' && request.method === 'GET') {
      return { status: 200, body: { drafts: structuredClone([...this.drafts.values()]) } };
    }
    const draft = /^\/api\/drafts\/([^/]+)$/.exec(url.pathname);
    if (draft) return this.draft(request.method, draft[1]!, body);
    const attachment = /^\/api\/attachments\/([0-9a-f]{64})$/.exec(url.pathname);
    if (attachment) return this.attachment(request.method, attachment[1]!, url.searchParams.get('kind') ?? '', request.body);
    return { status: 404, body: { error: '未找到' } };
  }

  private draft(method: string, id: string, body: Record<string, unknown>): FakeAnswer {
    if (method === 'DELETE') {
      this.drafts.delete(id);
      return { status: 204, body: null };
    }
    this.beforePut?.(id);
    const existing = this.drafts.get(id);
    const revision = existing?.revision ?? 0;
    if (body.baseRevision !== revision) {
      return { status: 409, body: { error: '草稿已在其他设备上修改', draft: structuredClone(existing) } };
    }
    const { baseRevision: _, ...content } = body;
    this.drafts.set(id, { ...content, id, revision: revision + 1 } as DraftCopy);
    return { status: 200, body: { revision: revision + 1 } };
  }

  private async attachment(method: string, sha256: string, kind: string, body: unknown): Promise<FakeAnswer> {
    const stored = this.attachments.get(sha256);
    if (method === 'HEAD') return { status: stored ? 200 : 404, body: null };
    if (method === 'GET') return stored ? { status: 200, body: new Blob([REENCODED], { type: 'image/jpeg' }) } : { status: 404, body: null };
    const blob = body as Blob;
    if ((await blobSha256(blob)) !== sha256) return { status: 422, body: { error: '附件校验失败，请重新上传' } };
    this.attachments.set(sha256, { kind, bytes: new Uint8Array(await blob.arrayBuffer()) });
    return { status: 201, body: { id: sha256, kind, mime: blob.type, size: blob.size, width: 295, height: 413 } };
  }

  puts(): Seen[] {
    return this.seen.filter((s) => s.method === 'PUT' && s.path.startsWith('/api/drafts/'));
  }
}

async function bytes(blob: Blob | undefined): Promise<number[]> {
  expect(blob, 'blob').to.be.instanceOf(Blob);
  return [...new Uint8Array(await blob!.arrayBuffer())];
}

describe('draft-sync', () => {
  let name: string;
  let db: LocalDb;
  let server: FakeServer;
  let clock: FakeClock;
  let online: boolean;
  let events: EventTarget;
  let time: number;
  const stores: DraftStore[] = [];
  const syncs: DraftSync[] = [];

  function makeSync(): DraftSync {
    const sync = new DraftSync(db, {
      net: server.net,
      clock,
      random: () => 0.5,
      isOnline: () => online,
      events,
      debounceMs: 1000,
    });
    syncs.push(sync);
    return sync;
  }

  async function openStore(): Promise<DraftStore> {
    const store = await DraftStore.open(db, ACCOUNT, { persist: () => undefined, debounceMs: 60_000, now: () => time });
    stores.push(store);
    return store;
  }

  /** Moves time on and waits for whatever sync work that started. */
  async function tick(sync: DraftSync, ms: number) {
    clock.advance(ms);
    await sync.idle();
  }

  beforeEach(() => {
    name = `draft-sync-test-${crypto.randomUUID()}`;
    db = new LocalDb(name);
    server = new FakeServer();
    clock = new FakeClock();
    online = true;
    events = new EventTarget();
    time = 1_000;
  });

  afterEach(async () => {
    for (const sync of syncs.splice(0)) sync.dispose();
    for (const store of stores.splice(0)) store.dispose();
    await new Promise((resolve) => setTimeout(resolve, 20));
    db.close();
    await new LocalDb(name).delete();
  });

  it('sends a saved draft after a quiet moment, attachments first, and records the revision', async () => {
    const sync = makeSync();
    const store = await openStore();
    sync.attach(store);
    await tick(sync, 0);
    expect(sync.state).to.equal('synced');
    expect(server.puts().map((p) => (p.body as { baseRevision: number }).baseRevision)).to.deep.equal([0]);

    time = 2_000;
    store.set('school', '山东大学');
    store.setPhoto(new Blob([JPEG], { type: 'image/jpeg' }), true);
    await store.flush();
    expect(sync.state).to.equal('saved-local');
    await tick(sync, 999);
    expect(server.puts(), 'waits for the quiet moment').to.have.length(1);
    await tick(sync, 1);

    expect(sync.state).to.equal('synced');
    const sha = await blobSha256(new Blob([JPEG]));
    const order = server.seen.slice(-3).map((s) => `${s.method} ${s.path.split('?')[0]}`);
    expect(order).to.deep.equal([`HEAD /api/attachments/${sha}`, `PUT /api/attachments/${sha}`, `PUT /api/drafts/${store.id}`]);
    const sent = server.puts().at(-1)!.body as Record<string, unknown>;
    expect(sent).to.deep.include({ baseRevision: 1, photo: sha, updatedAt: 2_000 });
    expect(sent.values).to.deep.include({ school: '山东大学' });
    expect(server.drafts.get(store.id)?.revision).to.equal(2);
    const row = await db.drafts.get(store.id);
    expect(row?.serverRevision).to.equal(2);
    expect(row?.syncedUpdatedAt).to.equal(2_000);
    expect(row?.photoSha256).to.equal(sha);

    // Nothing new: no request at all.
    const count = server.seen.length;
    await sync.syncNow();
    expect(server.seen).to.have.length(count);
  });

  it('on 409 merges the server copy (the person is told), then sends once more on the server revision', async () => {
    const sync = makeSync();
    const store = await openStore();
    sync.attach(store);
    await tick(sync, 0);
    // Another device changed 毕业院校 later than this one edits 所学专业.
    const other = server.drafts.get(store.id)!;
    server.drafts.set(store.id, {
      ...other,
      revision: 5,
      values: { ...other.values, school: '同济大学' },
      fieldUpdatedAt: { ...other.fieldUpdatedAt, school: 3_000 },
      updatedAt: 3_000,
    });
    time = 2_000;
    store.set('major', '土木工程');
    await store.flush();
    await tick(sync, 1000);

    expect(server.puts().slice(1).map((p) => (p.body as { baseRevision: number }).baseRevision)).to.deep.equal([1, 5]);
    expect(store.values).to.deep.include({ school: '同济大学', major: '土木工程' });
    expect(sync.mergedFields).to.deep.equal(['school']);
    expect(sync.state).to.equal('synced');
    expect(server.drafts.get(store.id)?.values).to.deep.include({ school: '同济大学', major: '土木工程' });
    const row = await db.drafts.get(store.id);
    expect(row?.values).to.deep.include({ school: '同济大学', major: '土木工程' });
    expect(row?.serverRevision).to.equal(6);

    sync.dismissMerge();
    expect(sync.mergedFields).to.deep.equal([]);
  });

  it('retries a conflict only once, then waits for the next attempt', async () => {
    const sync = makeSync();
    const store = await openStore();
    sync.attach(store);
    await tick(sync, 0);
    // Someone writes before every PUT of ours.
    server.beforePut = (id) => {
      const d = server.drafts.get(id)!;
      server.drafts.set(id, { ...d, revision: d.revision + 1 });
    };
    time = 2_000;
    store.set('major', '土木工程');
    await store.flush();
    const before = server.puts().length;
    await tick(sync, 1000);
    expect(server.puts().length - before).to.equal(2);
    expect(sync.state).to.equal('saved-local');
    expect(clock.pending, 'a later attempt is planned').to.equal(1);
  });

  it('waits for the network while offline and sends when `online` fires', async () => {
    online = false;
    const sync = makeSync();
    const store = await openStore();
    sync.attach(store);
    await tick(sync, 0);
    expect(sync.state).to.equal('waiting-network');
    store.set('school', '山东大学');
    await store.flush();
    await tick(sync, 10_000);
    expect(sync.state).to.equal('waiting-network');
    expect(server.seen, 'no attempt while known to be offline').to.have.length(0);

    online = true;
    events.dispatchEvent(new Event('online'));
    await tick(sync, 0);
    expect(sync.state).to.equal('synced');
    expect(server.drafts.get(store.id)?.values).to.deep.include({ school: '山东大学' });
  });

  it('backs off when requests go unanswered or fail with 5xx, and succeeds later', async () => {
    const sync = makeSync();
    const store = await openStore();
    server.down = true;
    sync.attach(store);
    await tick(sync, 0);
    expect(sync.state).to.equal('waiting-network');
    expect(clock.pending).to.equal(1);
    server.down = false;
    server.status5xx = true;
    await tick(sync, 5 * 60_000);
    expect(sync.state).to.equal('waiting-network');
    server.status5xx = false;
    await tick(sync, 5 * 60_000);
    expect(sync.state).to.equal('synced');
    expect(server.drafts.has(store.id)).to.equal(true);
  });

  it('says error on a refusal (signed out), with no retry loop, and tries again after the next save', async () => {
    let calls = 0;
    const sync = new DraftSync(db, {
      net: new NetClient(
        fakeTransport(() => {
          calls++;
          return { status: 401, body: { error: '请先登录' } };
        }),
      ),
      clock,
      isOnline: () => true,
      events,
      debounceMs: 1000,
    });
    syncs.push(sync);
    const store = await openStore();
    sync.attach(store);
    await tick(sync, 0);
    expect(sync.state).to.equal('error');
    expect(clock.pending).to.equal(0);
    expect(calls).to.equal(1);
    store.set('school', '山东大学');
    await store.flush();
    expect(sync.state).to.equal('saved-local');
    await tick(sync, 1000);
    expect(calls).to.equal(2);
    expect(sync.state).to.equal('error');
  });

  it('pullDrafts brings a draft from another device, with its photo and signature', async () => {
    const photo = 'c'.repeat(64);
    const signature = 'd'.repeat(64);
    server.attachments.set(photo, { kind: 'photo', bytes: JPEG });
    server.attachments.set(signature, { kind: 'signature', bytes: PNG });
    const id = crypto.randomUUID();
    server.drafts.set(id, {
      id,
      revision: 4,
      values: { school: '同济大学', ethnicity: '01' },
      fieldUpdatedAt: { school: 10, ethnicity: 11, photo: 12, signature: 13 },
      photo,
      signature,
      updatedAt: 13,
    });
    const sync = makeSync();
    expect(await sync.pullDrafts(ACCOUNT)).to.equal('pulled');

    const row = (await db.drafts.get(id)) as DraftRecord;
    expect(row.accountId).to.equal(ACCOUNT);
    expect(row.values).to.deep.equal({ school: '同济大学', ethnicity: '01' });
    expect(row.serverRevision).to.equal(4);
    expect(row.syncedUpdatedAt).to.equal(13);
    expect(await bytes(row.photo)).to.deep.equal([...REENCODED]);
    expect(row.photoSha256, 'the server’s id, not the hash of the re-encoded bytes').to.equal(photo);
    expect(row.signatureSha256).to.equal(signature);
    expect(sync.mergedFields, 'nothing of this device’s was changed').to.deep.equal([]);

    // The form opens it, and has nothing to send back.
    const store = await openStore();
    expect(store.id).to.equal(id);
    sync.attach(store);
    await tick(sync, 0);
    expect(sync.state).to.equal('synced');
    expect(server.puts()).to.have.length(0);
  });

  it('pullDrafts merges into a draft already here and tells the person', async () => {
    const sync = makeSync();
    const store = await openStore();
    sync.attach(store);
    await tick(sync, 0);
    sync.detach();
    const d = server.drafts.get(store.id)!;
    server.drafts.set(store.id, {
      ...d,
      revision: 9,
      values: { ...d.values, degree: '02' },
      fieldUpdatedAt: { ...d.fieldUpdatedAt, degree: 5_000 },
      updatedAt: 5_000,
    });
    const fresh = makeSync();
    await fresh.pullDrafts(ACCOUNT);
    const row = await db.drafts.get(store.id);
    expect(row?.values).to.deep.include({ degree: '02' });
    expect(row?.serverRevision).to.equal(9);
    expect(row?.syncedUpdatedAt, 'nothing left to send').to.equal(5_000);
    expect(fresh.mergedFields).to.deep.equal(['degree']);
  });

  it('joins a draft begun offline on this device to the account’s server draft', async () => {
    const id = crypto.randomUUID();
    server.drafts.set(id, {
      id,
      revision: 2,
      values: { mobile: '13912345678', school: '同济大学' },
      fieldUpdatedAt: { mobile: 100, school: 100 },
      updatedAt: 100,
    });
    online = false;
    const store = await openStore();
    store.setDefault('mobile', '13800138000');
    time = 1_500;
    store.set('major', '土木工程');
    await store.flush();
    const localId = store.id;

    const sync = makeSync();
    sync.attach(store);
    online = true;
    events.dispatchEvent(new Event('online'));
    await tick(sync, 0);

    expect(store.id).to.equal(id);
    expect(store.values).to.deep.equal({ mobile: '13912345678', school: '同济大学', major: '土木工程' });
    expect(await db.drafts.get(localId)).to.equal(undefined);
    expect(sync.mergedFields).to.have.members(['mobile', 'school']);
    expect(server.drafts.get(id)?.values).to.deep.include({ major: '土木工程' });
    expect(sync.state).to.equal('synced');
  });

  it('deletes the server copy of a submitted draft and never brings it back', async () => {
    const sync = makeSync();
    const store = await openStore();
    sync.attach(store);
    await tick(sync, 0);
    const id = store.id;
    expect(server.drafts.has(id)).to.equal(true);
    sync.detach();
    // Submitted: the outbox's completion retires the draft with a tombstone.
    await retireDrafts(db, ACCOUNT, [store.id], 5_000);
    store.close();

    server.down = true;
    expect(await sync.pullDrafts(ACCOUNT)).to.equal('offline');
    server.down = false;
    expect(await sync.pullDrafts(ACCOUNT)).to.equal('pulled');
    expect(await db.drafts.get(id)).to.equal(undefined);
    expect(server.drafts.has(id)).to.equal(false);
    expect(await db.draftTombstones.count()).to.equal(0);
  });
});
