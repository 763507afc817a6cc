import { randomBytes } from 'node:crypto';
import { type Kysely, type Migration, type MigrationProvider, Migrator, PostgresAdapter, sql } from 'kysely';

/**
 * Schema changes as code, in name order. A migration, once shipped, is never edited: later work adds
 * a new entry (`0002_…`). Every migration must run unchanged on SQLite and PostgreSQL.
 */

/** The one type the two dialects spell differently. */
function binaryColumnType(db: Kysely<unknown>): 'bytea' | 'blob' {
  // getExecutor() is marked internal in Kysely's typings but is the only handle on the dialect
  // from inside a migration, which receives nothing else.
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';
}

// Migrations must not depend on the current `Database` interface, which describes only the latest shape.
export const migrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('id_number', 'text', (c) => c.notNull())
        .addColumn('mobile', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('accounts_id_number_unique', ['id_number'])
        .execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_account_id_index').on('sessions').column('account_id').execute();
      await db.schema.createIndex('sessions_expires_at_index').on('sessions').column('expires_at').execute();

      await db.schema
        .createTable('enterprises')
        .addColumn('uscc', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('legal_representative', 'text', (c) => c.notNull())
        .addColumn('province', 'text', (c) => c.notNull())
        .addColumn('city', 'text', (c) => c.notNull())
        .addColumn('search_text', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('attachments')
        .addColumn('sha256', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('mime', 'text', (c) => c.notNull())
        .addColumn('bytes', binaryColumnType(db), (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addCheckConstraint('attachments_kind_check', sql`kind in ('photo', 'signature')`)
        .execute();
      await db.schema.createIndex('attachments_account_id_index').on('attachments').column('account_id').execute();

      await db.schema
        .createTable('submissions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('receipt_number', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('idempotency_key', 'text', (c) => c.notNull())
        .addColumn('body_sha256', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('submissions_receipt_number_unique', ['receipt_number'])
        // Exactly-once across server instances rests on this constraint, not on any lock in memory.
        .addUniqueConstraint('submissions_idempotency_key_unique', ['idempotency_key'])
        .execute();
      await db.schema.createIndex('submissions_account_id_index').on('submissions').column('account_id').execute();

      await db.schema
        .createTable('rate_limits')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('window_start', 'text', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_subject_at_index').on('audit_log').columns(['subject', 'at']).execute();
    },
  },
  '0002_face_verifications_and_commitments': {
    async up(db: Kysely<unknown>) {
      // Only the verifier's verdict and its reference are kept: never a face image (PIPL).
      await db.schema
        .createTable('face_verifications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('result', 'text', (c) => c.notNull())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('reference', 'text', (c) => c.notNull())
        .addColumn('verified_at', 'text', (c) => c.notNull())
        .addCheckConstraint('face_verifications_result_check', sql`result in ('pass', 'fail')`)
        .execute();
      await db.schema
        .createIndex('face_verifications_account_id_index')
        .on('face_verifications')
        .columns(['account_id', 'verified_at'])
        .execute();

      // The commitment a person accepted: which version of the text, its exact SHA-256, and when.
      for (const column of ['commitment_version', 'commitment_sha256', 'committed_at']) {
        await db.schema.alterTable('submissions').addColumn(column, 'text').execute();
      }
    },
  },
  '0003_drafts_and_attachment_sources': {
    async up(db: Kysely<unknown>) {
      // Drafts synced between a person's devices. The id is made on the device; `revision` is the
      // compare-and-set counter; `body` is JSON (values, fieldUpdatedAt, photo, signature, updatedAt);
      // `updated_at` is the server's time of the last write, for listing newest first.
      await db.schema
        .createTable('drafts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addCheckConstraint('drafts_revision_check', sql`revision >= 1`)
        .execute();
      await db.schema.createIndex('drafts_account_id_index').on('drafts').columns(['account_id', 'updated_at']).execute();

      // Attachments become addressed by the SHA-256 the device computed of the bytes it uploaded
      // (`source_sha256`), per account. The old primary key, the SHA-256 of the re-encoded bytes, made
      // two accounts uploading the same picture collide. Neither dialect can swap a primary key in
      // place (SQLite cannot alter one at all), so the table is rebuilt, the portable way: create,
      // copy, drop, rename. The key is (account_id, source_sha256), which is also the unique index
      // that makes an upload retry free. `sha256` keeps its meaning: the hash of `bytes`.
      // Rows from before had only that hash as their id, and that is what devices hold, so it becomes
      // their `source_sha256`. `width`/`height` are known for new rows only (old ones: null).
      await db.schema
        .createTable('attachments_0003')
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('source_sha256', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('mime', 'text', (c) => c.notNull())
        .addColumn('bytes', binaryColumnType(db), (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('width', 'integer')
        .addColumn('height', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('attachments_account_source_pk', ['account_id', 'source_sha256'])
        .addCheckConstraint('attachments_source_kind_check', sql`kind in ('photo', 'signature')`)
        .execute();
      await sql`insert into attachments_0003 (account_id, source_sha256, sha256, kind, mime, bytes, size, created_at)
        select account_id, sha256, sha256, kind, mime, bytes, size, created_at from attachments`.execute(db);
      await db.schema.dropTable('attachments').execute();
      await db.schema.alterTable('attachments_0003').renameTo('attachments').execute();
    },
  },
  '0004_idempotency_and_signing_keys': {
    async up(db: Kysely<unknown>) {
      // Exactly-once for POST /api/submissions across instances: a key is claimed here before any
      // work, and marked done with its answer in the transaction that stores the submission.
      await db.schema
        .createTable('idempotency_keys')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('body_sha256', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('response', 'text')
        .addColumn('locked_until', 'text', (c) => c.notNull())
        .addColumn('claim_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addCheckConstraint('idempotency_keys_state_check', sql`state in ('in_flight', 'done')`)
        .execute();

      // The receipt signing key, when none is configured. One per algorithm (the unique constraint),
      // so instances starting together on a fresh database keep the same one.
      await db.schema
        .createTable('server_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('algorithm', 'text', (c) => c.notNull())
        .addColumn('private_pkcs8', 'text', (c) => c.notNull())
        .addColumn('public_raw', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('server_keys_algorithm_unique', ['algorithm'])
        .execute();

      // Each submission keeps its signed receipt, so GET and every replay show the very same one.
      for (const column of ['receipt_key_id', 'receipt_signature']) {
        await db.schema.alterTable('submissions').addColumn(column, 'text').execute();
      }
    },
  },
  '0005_staff_review_and_feed': {
    async up(db: Kysely<unknown>) {
      const postgres = db.getExecutor().adapter instanceof PostgresAdapter;

      // Staff (reviewer, admin) and employer accounts, made on the server only. The password is a
      // scrypt hash; a one-time password must be changed before the first sign-in. totp_last_step is
      // the time step of the last accepted code: that step and older ones are refused (RFC 6238 §5.2).
      await db.schema
        .createTable('staff_accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('uscc', 'text', (c) => c.references('enterprises.uscc'))
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('password_temporary', 'integer', (c) => c.notNull())
        .addColumn('totp_secret', 'text', (c) => c.notNull())
        .addColumn('totp_last_step', 'integer')
        .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_until', 'text')
        .addColumn('disabled_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('staff_accounts_username_unique', ['username'])
        .addCheckConstraint('staff_accounts_role_check', sql`role in ('reviewer', 'admin', 'employer')`)
        .addCheckConstraint('staff_accounts_employer_uscc_check', sql`(role = 'employer') = (uscc is not null)`)
        .execute();

      // Looked up by the SHA-256 of the cookie's token, as applicants' sessions are. Idle time runs
      // from last_seen_at; expires_at is the absolute end.
      await db.schema
        .createTable('staff_sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('staff_id', 'text', (c) => c.notNull().references('staff_accounts.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('staff_sessions_staff_id_index').on('staff_sessions').column('staff_id').execute();

      // Read-only machine clients (a province's own system); only a hash of the token is kept.
      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_sha256', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .addColumn('last_used_at', 'text')
        .addUniqueConstraint('api_tokens_name_unique', ['name'])
        .addUniqueConstraint('api_tokens_token_sha256_unique', ['token_sha256'])
        .execute();

      // Every version of an application: the first submission is version 1, each resubmission after
      // 补正 the next. A version is accepted exactly once per Idempotency-Key, like the first.
      // The current version's body stays in submissions as well, so existing reads keep working.
      await db.schema
        .createTable('submission_versions')
        .addColumn('submission_id', 'text', (c) => c.notNull().references('submissions.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.notNull())
        .addColumn('body_sha256', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('receipt_key_id', 'text')
        .addColumn('receipt_signature', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('submission_versions_pk', ['submission_id', 'version'])
        .addUniqueConstraint('submission_versions_idempotency_key_unique', ['idempotency_key'])
        .execute();
      await sql`insert into submission_versions
        (submission_id, version, idempotency_key, body_sha256, body, receipt_key_id, receipt_signature, created_at)
        select id, 1, idempotency_key, body_sha256, body, receipt_key_id, receipt_signature, created_at from submissions`.execute(db);
      await db.schema.alterTable('submissions').addColumn('version', 'integer', (c) => c.notNull().defaultTo(1)).execute();
      // The USCC the application names, so an employer's list is one indexed read.
      await db.schema.alterTable('submissions').addColumn('enterprise_uscc', 'text').execute();
      await sql`update submissions set enterprise_uscc = ${postgres ? sql`(body::json -> 'enterprise' ->> 'uscc')` : sql`json_extract(body, '$.enterprise.uscc')`}`.execute(db);
      await db.schema.createIndex('submissions_enterprise_uscc_index').on('submissions').column('enterprise_uscc').execute();

      // The change feed and each application's history: one row per submission, new version, status
      // change or withdrawal. seq is taken from feed_counter as the transaction's last statement, so
      // events are numbered in commit order (the counter row's lock serialises committers on
      // PostgreSQL; SQLite has one writer): a reader after seq N never misses a later commit.
      await db.schema
        .createTable('submission_events')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('submission_id', 'text', (c) => c.notNull().references('submissions.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        /** JSON text: { reason?, corrections?: [{ field, note }] } */
        .addColumn('detail', 'text')
        .addColumn('at', 'text', (c) => c.notNull())
        .addCheckConstraint('submission_events_kind_check', sql`kind in ('submitted', 'resubmitted', 'status', 'withdrawn')`)
        .execute();
      await db.schema
        .createIndex('submission_events_submission_index')
        .on('submission_events')
        .columns(['submission_id', 'seq'])
        .execute();
      await db.schema
        .createTable('feed_counter')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('value', 'integer', (c) => c.notNull())
        .execute();
      await sql`insert into feed_counter (id, value) values (1, 0)`.execute(db);
      // The submissions stored before the feed existed are its first events, oldest first.
      await sql`insert into submission_events (seq, submission_id, version, status, kind, actor, detail, at)
        select row_number() over (order by created_at, id), id, 1, status, 'submitted', 'account:' || account_id, null, created_at
        from submissions`.execute(db);
      await sql`update feed_counter set value = (select count(*) from submission_events) where id = 1`.execute(db);

      // The audit gains who-in-what-role, for which organisation, from which address. It is append-only:
      // the database itself refuses to change or delete an entry.
      for (const column of ['actor_role', 'organisation', 'address']) {
        await db.schema.alterTable('audit_log').addColumn(column, 'text').execute();
      }
      if (postgres) {
        await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
          begin raise exception 'audit_log is append-only'; end $$`.execute(db);
        await sql`create trigger audit_log_no_update_or_delete before update or delete on audit_log
          for each row execute function audit_log_append_only()`.execute(db);
      } else {
        await sql`create trigger audit_log_no_update before update on audit_log
          begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
        await sql`create trigger audit_log_no_delete before delete on audit_log
          begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
      }
      await db.schema.createIndex('audit_log_at_index').on('audit_log').columns(['at', 'id']).execute();
    },
  },
  '0007_feed_secret': {
    async up(db: Kysely<unknown>) {
      // The key that seals the change feed's cursors: one per deployment, made here once (migrations run
      // under a lock), shared by every instance, and of no other use, so no other key is exposed by it.
      await db.schema
        .createTable('feed_secret')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('secret', 'text', (c) => c.notNull())
        .execute();
      await sql`insert into feed_secret (id, secret) values (1, ${randomBytes(32).toString('base64url')})`.execute(db);
    },
  },
  '0009_notices': {
    async up(db: Kysely<unknown>) {
      // The outbox of text messages: written with the status change it tells of, sent afterwards by
      // whichever server instance claims the row first.
      await db.schema
        .createTable('notices')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('submission_id', 'text', (c) => c.notNull().references('submissions.id').onDelete('cascade'))
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('claim_id', 'text')
        .addColumn('claimed_until', 'text')
        .addColumn('provider', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        .addCheckConstraint('notices_event_check', sql`event in ('received', 'correction_requested', 'decision')`)
        .addCheckConstraint('notices_state_check', sql`state in ('pending', 'sending', 'sent', 'failed')`)
        .execute();
      await db.schema.createIndex('notices_due_index').on('notices').columns(['state', 'next_attempt_at']).execute();
      await db.schema.createIndex('notices_account_index').on('notices').columns(['account_id', 'created_at']).execute();
      // What the development provider "sent": the phone's inbox, for tests and demos. Keyed by the
      // notice, so a message handed over twice (a sender died before recording it) is kept once.
      await db.schema
        .createTable('development_sms')
        .addColumn('reference', 'text', (c) => c.primaryKey())
        .addColumn('mobile', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0008_password_resets': {
    async up(db: Kysely<unknown>) {
      // 忘记密码: one row per attempt, found by the SHA-256 of its reset id (the id itself is the bearer's).
      // account_id is null when the name and ID number matched no account: such an attempt looks the
      // same from outside and keeps nothing about the person.
      await db.schema
        .createTable('password_resets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.references('accounts.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('face_failures', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('face_passed_at', 'text')
        .addColumn('used_at', 'text')
        .execute();
      await db.schema.createIndex('password_resets_account_id_index').on('password_resets').column('account_id').execute();
    },
  },
  '0010_account_closing': {
    async up(db: Kysely<unknown>) {
      // 注销账号: the accounts row stays, for the decided applications that name it, but keeps nothing to
      // sign in with or to find the person by; this says which accounts were closed, and when.
      await db.schema
        .createTable('closed_accounts')
        .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id'))
        .addColumn('closed_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
};

/** Serves the migrations above from memory: nothing to find on disk, so bundling and cwd do not matter. */
class InMemoryMigrationProvider implements MigrationProvider {
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(migrations);
  }
}

/**
 * Brings the schema up to date; a no-op when it already is. Safe when several server instances start
 * at once: Kysely's Migrator takes a lock (an advisory lock on PostgreSQL) and each migration runs in
 * a transaction, so a failed one leaves nothing half-applied.
 */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<void> {
  const migrator = new Migrator({ db, provider: new InMemoryMigrationProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error === undefined) return;
  const failed = results?.find((result) => result.status === 'Error')?.migrationName;
  const reason = error instanceof Error ? error.message : String(error);
  throw new Error(failed ? `migration ${failed} failed: ${reason}` : `migrations failed: ${reason}`, { cause: error });
}
