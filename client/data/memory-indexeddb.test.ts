import { expect } from 'chai';
import { liveQuery } from 'dexie';
import { addDraft, newestDraft, newestDraftOf, putDraft, writeDraftChanges } from './drafts.ts';
import { type DraftRecord, LocalDb } from './local-db.ts';
import { MemoryIndexedDB } from './memory-indexeddb.ts';

const draft = (id: string, updatedAt: number, accountId = 'account-1'): DraftRecord => ({
  id,
  accountId,
  values: { name: '张伟' },
  fieldUpdatedAt: {},
  updatedAt,
  photo: new Blob(['photo'], { type: 'image/jpeg' }),
});

describe('the database in memory (no IndexedDB on the device)', () => {
  let db: LocalDb;
  let factory: MemoryIndexedDB;

  beforeEach(() => {
    factory = new MemoryIndexedDB();
    db = new LocalDb('memory-test', factory);
  });

  afterEach(() => db.close());

  it('keeps drafts through the same code as IndexedDB: queries by index, newest first, Blobs kept', async () => {
    await putDraft(db, draft('a', 10));
    await putDraft(db, draft('b', 30));
    await putDraft(db, draft('c', 20, 'account-2'));
    expect((await newestDraftOf(db, 'account-1'))?.id).to.equal('b');
    expect((await newestDraft(db))?.id).to.equal('b');
    const stored = await db.drafts.get('a');
    expect(stored?.photo).to.be.instanceOf(Blob);
    expect(await stored?.photo?.text()).to.equal('photo');
    expect(await db.drafts.where('accountId').equals('account-2').count()).to.equal(1);
  });

  it('gives a copy: changing what was read changes nothing stored', async () => {
    await putDraft(db, draft('a', 10));
    const read = await db.drafts.get('a');
    read!.values.name = '李娜';
    expect((await db.drafts.get('a'))?.values.name).to.equal('张伟');
  });

  it('refuses a second add under one key, and a failed transaction leaves nothing behind', async () => {
    expect(await addDraft(db, draft('a', 10))).to.equal(true);
    expect(await addDraft(db, draft('a', 11))).to.equal(false);
    const failed = db.transaction('rw', db.drafts, async () => {
      await db.drafts.put(draft('b', 20));
      throw new Error('stop');
    });
    await failed.then(
      () => expect.fail('the transaction should fail'),
      (error: Error) => expect(error.message).to.equal('stop'),
    );
    expect(await db.drafts.toArray()).to.have.length(1);
    expect((await db.drafts.get('a'))?.updatedAt).to.equal(10);
  });

  it('writes changes in a transaction over two tables, and modify and delete by query work', async () => {
    await putDraft(db, draft('a', 10));
    expect(await writeDraftChanges(db, draft('a', 10), { updatedAt: 15 })).to.equal('written');
    await db.draftTombstones.put({ id: 'gone', accountId: 'account-1', deletedAt: 1 });
    expect(await writeDraftChanges(db, draft('gone', 10), { updatedAt: 15 })).to.equal('retired');
    expect(
      await db.drafts
        .where('accountId')
        .equals('account-1')
        .modify((record) => {
          record.updatedAt = 99;
        }),
    ).to.equal(1);
    expect((await db.drafts.get('a'))?.updatedAt).to.equal(99);
    await db.drafts.where('accountId').equals('account-1').delete();
    expect(await db.drafts.count()).to.equal(0);
  });

  it('tells a liveQuery of each change, as the form and the outbox status rely on', async () => {
    const seen: number[] = [];
    const subscription = liveQuery(() => db.drafts.count()).subscribe((count) => seen.push(count));
    const until = async (count: number) => {
      for (let i = 0; i < 100 && seen.at(-1) !== count; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(seen.at(-1)).to.equal(count);
    };
    await until(0);
    await putDraft(db, draft('a', 10));
    await until(1);
    await db.drafts.delete('a');
    await until(0);
    subscription.unsubscribe();
  });

  it('is gone with the page: another page (factory) starts empty, deleting the database empties it', async () => {
    await putDraft(db, draft('a', 10));
    const elsewhere = new LocalDb('memory-test', new MemoryIndexedDB());
    expect(await elsewhere.drafts.count()).to.equal(0);
    elsewhere.close();
    await db.delete();
    const again = new LocalDb('memory-test', factory);
    expect(await again.drafts.count()).to.equal(0);
    again.close();
  });
});
