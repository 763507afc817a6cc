import { type Kysely, PostgresAdapter, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
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
}
