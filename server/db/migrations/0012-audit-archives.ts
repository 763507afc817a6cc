import { type Kysely, PostgresAdapter, sql } from 'kysely';

/** MLPS level 3: the audit is kept online for at least 6 months; the database enforces it too. */
const MINIMUM_RETENTION_DAYS = 183;

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;

  // One row per archive file written by `npm run retention -- --archive-audit`: the entries with
  // `at` before cutoff_at were copied to the file whose SHA-256 is recorded, and only then deleted.
  // Append-only like the audit itself.
  await db.schema
    .createTable('audit_archives')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cutoff_at', 'text', (c) => c.notNull())
    .addColumn('entry_count', 'integer', (c) => c.notNull())
    .addColumn('first_at', 'text')
    .addColumn('last_at', 'text')
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // The audit stays append-only, with one exception: an entry older than the newest archive's cutoff
  // may be deleted (it is in the archive file). An archive whose cutoff is less than 183 days ago
  // is refused, so no setting or bug can make entries younger than that deletable.
  const iso = (expression: string) =>
    postgres
      ? `to_char((${expression}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
      : `strftime('%Y-%m-%dT%H:%M:%fZ', ${expression})`;
  const minimumCutoff = postgres
    ? iso(`now() - interval '${MINIMUM_RETENTION_DAYS} days'`)
    : iso(`'now', '-${MINIMUM_RETENTION_DAYS} days'`);
  const archivedBefore = `(select coalesce(max(cutoff_at), '') from audit_archives)`;

  if (postgres) {
    await sql`create or replace function audit_log_append_only() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' and old.at < ${sql.raw(archivedBefore)} then return old; end if;
        raise exception 'audit_log is append-only';
      end $$`.execute(db);
    await sql`create function audit_archives_checked() returns trigger language plpgsql as $$
      begin
        if tg_op <> 'INSERT' then raise exception 'audit_archives is append-only'; end if;
        if new.cutoff_at > ${sql.raw(minimumCutoff)} then
          raise exception 'audit entries are kept at least ${sql.raw(String(MINIMUM_RETENTION_DAYS))} days';
        end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger audit_archives_checked before insert or update or delete on audit_archives
      for each row execute function audit_archives_checked()`.execute(db);
  } else {
    await sql`drop trigger audit_log_no_delete`.execute(db);
    await sql`create trigger audit_log_no_delete before delete on audit_log
      when old.at >= ${sql.raw(archivedBefore)}
      begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
    await sql`create trigger audit_archives_minimum before insert on audit_archives
      when new.cutoff_at > ${sql.raw(minimumCutoff)}
      begin select raise(abort, 'audit entries are kept at least ${sql.raw(String(MINIMUM_RETENTION_DAYS))} days'); end`.execute(db);
    await sql`create trigger audit_archives_no_update before update on audit_archives
      begin select raise(abort, 'audit_archives is append-only'); end`.execute(db);
    await sql`create trigger audit_archives_no_delete before delete on audit_archives
      begin select raise(abort, 'audit_archives is append-only'); end`.execute(db);
  }
}
