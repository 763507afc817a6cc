import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { readAuditArchive } from '../operations/audit-archive.ts';
import { archiveOldAudit, daysBefore } from '../operations/retention.ts';
import { submissionBody } from '../submissions/submission.ts';
import { createAccount } from './accounts-store.ts';
import { putAttachment } from './attachments-store.ts';
import { appendAudit } from './audit-log-store.ts';
import { writeDraft } from './drafts-store.ts';
import { AuditArchiveMismatch, auditEntriesBefore, deleteStaleDrafts, listAuditArchives, recordAuditArchive } from './retention-store.ts';
import { insertSubmission } from './submissions-store.ts';
import { insertSubmissionVersion } from './submission-versions-store.ts';

const DAY = 24 * 60 * 60 * 1000;

/** Runs on SQLite, and on PostgreSQL through test/postgres/run-storage-suite.ts. */
describe(`retention store (${process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite'})`, () => {
  let fixture: TestDatabase;
  let dir: string;
  // The database's own 183-day floor is measured from the real clock, so the test is too.
  const now = new Date();
  const ago = (days: number) => new Date(now.getTime() - days * DAY);

  before(async () => {
    fixture = await openTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'retention-test-'));
  });
  after(async () => {
    await fixture.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  let accountSeq = 0;
  async function account() {
    const n = String(accountSeq++).padStart(3, '0');
    return (await createAccount(fixture.storage.db, { name: '测试', idNumber: `110105194912310${n}`, mobile: '13800000000', passwordHash: 'h' })).id;
  }
  async function upload(accountId: string, id: string, at: Date) {
    await putAttachment(fixture.storage.db, { accountId, id, kind: 'photo', mime: 'image/jpeg', bytes: Buffer.from(id), now: at });
  }
  async function draft(accountId: string, at: Date, photo?: string, signature?: string) {
    const id = randomUUID();
    const result = await writeDraft(fixture.storage.db, {
      id,
      accountId,
      baseRevision: 0,
      content: { values: { name: '测试' }, fieldUpdatedAt: {}, photo, signature, updatedAt: at.getTime() },
      now: at,
    });
    assert.equal(result.status, 'saved');
    return id;
  }
  const attachmentIds = async (accountId: string) =>
    (await fixture.storage.db.selectFrom('attachments').select('source_sha256').where('account_id', '=', accountId).orderBy('source_sha256').execute()).map(
      (row) => row.source_sha256,
    );
  const draftIds = async (accountId: string) =>
    (await fixture.storage.db.selectFrom('drafts').select('id').where('account_id', '=', accountId).execute()).map((row) => row.id).sort();

  it('deletes drafts untouched past the limit with the pictures nothing else names; applications and newer drafts stay', async () => {
    const { db } = fixture.storage;
    const a = await account();
    const b = await account();
    for (const id of ['a-old-photo', 'a-old-signature', 'a-in-application', 'a-in-new-draft', 'a-orphan-old', 'a-in-v1-only']) await upload(a, id, ago(120));
    await upload(a, 'a-orphan-recent', ago(1));
    // Another account's copy of the same picture is its own: named by nothing there, it goes.
    await upload(b, 'a-in-application', ago(120));

    await draft(a, ago(100), 'a-old-photo', 'a-old-signature');
    await draft(a, ago(95), 'a-in-application', 'a-in-new-draft');
    const recent = await draft(a, ago(10), undefined, 'a-in-new-draft');
    const stale = await draft(a, ago(91), 'a-in-v1-only');
    const { submission } = await insertSubmission(db, {
      receiptNumber: 'JL20260101RETN',
      accountId: a,
      idempotencyKey: randomUUID(),
      body: submissionBody({ photo: 'a-in-application', signature: 'a-in-new-draft' }),
      now: ago(150),
    });
    // An earlier version (before 补正) names a picture the current one no longer does: it stays too.
    await insertSubmissionVersion(db, {
      submissionId: submission.id,
      version: 1,
      idempotencyKey: randomUUID(),
      body: submissionBody({ photo: 'a-in-v1-only' }),
      receiptSignature: { keyId: 'k', signature: 's' },
      at: ago(150),
    });
    assert.ok(stale);

    const result = await deleteStaleDrafts(db, daysBefore(now, 90));
    assert.deepEqual(result, { drafts: 3, attachments: 4 });
    assert.deepEqual(await draftIds(a), [recent]);
    assert.deepEqual(await attachmentIds(a), ['a-in-application', 'a-in-new-draft', 'a-in-v1-only', 'a-orphan-recent']);
    assert.deepEqual(await attachmentIds(b), []);
    const kept = await db.selectFrom('submissions').select(['id', 'body']).where('account_id', '=', a).execute();
    assert.deepEqual(kept, [{ id: submission.id, body: submissionBody({ photo: 'a-in-application', signature: 'a-in-new-draft' }).json }]);

    // Nothing older is left: running it again deletes nothing.
    assert.deepEqual(await deleteStaleDrafts(db, daysBefore(now, 90)), { drafts: 0, attachments: 0 });
  });

  it('archives audit entries past the retention to a file, deletes only those, and stays append-only', async () => {
    const { db } = fixture.storage;
    const old1 = await appendAudit(db, { actor: 'staff:x', action: 'submission.read', subject: 'submission:1', actorRole: 'reviewer', address: '10.0.0.1', now: ago(400) });
    const old2 = await appendAudit(db, { actor: 'staff:y', action: 'staff.sign-in', subject: 'staff', now: ago(200) });
    const recent = await appendAudit(db, { actor: 'staff:x', action: 'submission.read', subject: 'submission:2', now: ago(100) });

    // Younger than the database's own floor of 183 days: refused whatever the configuration says.
    await assert.rejects(
      recordAuditArchive(db, { cutoff: ago(100), entries: [], fileName: 'x', fileSha256: 'x' }),
      /kept at least 183 days/,
    );
    // The same refusal without the store: a cutoff less than 183 days ago never makes an entry deletable.
    await assert.rejects(sql`delete from audit_log where id = ${recent.id}`.execute(db), /append-only/);

    const file = join(dir, 'audit-1.jsonl.gz');
    const result = await archiveOldAudit(db, { now, retentionDays: 183, file });
    assert.equal(result.archived, 2);
    const archive = readAuditArchive(file);
    assert.equal(archive.sha256, result.fileSha256);
    assert.deepEqual(
      archive.entries.map((e) => [e.id, e.at, e.actor, e.actor_role, e.action, e.subject, e.organisation, e.address]),
      [
        [old1.id, old1.at, 'staff:x', 'reviewer', 'submission.read', 'submission:1', null, '10.0.0.1'],
        [old2.id, old2.at, 'staff:y', null, 'staff.sign-in', 'staff', null, null],
      ],
    );
    const remaining = await db.selectFrom('audit_log').select(['id', 'action']).orderBy('at').execute();
    assert.deepEqual(remaining.map((row) => row.id).slice(0, 1), [recent.id]);
    assert.deepEqual(remaining.slice(1).map((row) => row.action), ['audit.archive']);
    const [recorded] = await listAuditArchives(db);
    assert.equal(recorded?.file_sha256, result.fileSha256);
    assert.equal(Number(recorded?.entry_count), 2);
    assert.equal(recorded?.first_at, old1.at);
    assert.equal(recorded?.last_at, old2.at);

    // Still append-only for what is kept, and the archive record itself.
    await assert.rejects(db.updateTable('audit_log').set({ action: 'changed' }).where('id', '=', recent.id).execute(), /append-only/);
    await assert.rejects(db.deleteFrom('audit_log').where('id', '=', recent.id).execute(), /append-only/);
    await assert.rejects(db.deleteFrom('audit_archives').execute(), /append-only/);
    await assert.rejects(db.updateTable('audit_archives').set({ file_sha256: 'x' }).execute(), /append-only/);
    assert.equal((await db.selectFrom('audit_log').select('id').where('id', '=', recent.id).execute()).length, 1);

    // Nothing more to archive: no file is written.
    const again = join(dir, 'audit-2.jsonl.gz');
    assert.equal((await archiveOldAudit(db, { now, retentionDays: 183, file: again })).archived, 0);
    assert.equal(existsSync(again), false);
  });

  it('commits nothing when the entries to delete are not all there', async () => {
    const { db } = fixture.storage;
    const old = await appendAudit(db, { actor: 'staff:z', action: 'staff.sign-in', subject: 'staff', now: ago(300) });
    const entries = await auditEntriesBefore(db, ago(183));
    assert.deepEqual(entries.map((e) => e.id), [old.id]);
    const before = (await listAuditArchives(db)).length;
    const ghost = { ...entries[0]!, id: randomUUID() };
    await assert.rejects(
      recordAuditArchive(db, { cutoff: ago(183), entries: [...entries, ghost], fileName: 'x', fileSha256: 'x' }),
      AuditArchiveMismatch,
    );
    assert.equal((await listAuditArchives(db)).length, before);
    assert.equal((await auditEntriesBefore(db, ago(183))).length, 1);
  });
});
