import { type Kysely, type RawBuilder, type Selectable, sql } from 'kysely';
import type { Enterprise } from '../../shared/enterprise.ts';
import {
  canonicalUscc,
  compareKeys,
  type GramRow,
  gramRows,
  isPostgres,
  nameGrams,
  nameLength,
  searchText,
  toEnterprise,
} from './enterprise-stored-form.ts';
import type { Database, EnterprisesTable } from './schema.ts';

/**
 * Rows sent to the database as one parameter, a JSON array of arrays (json_each on SQLite,
 * json_array_elements on PostgreSQL): one statement then costs the same to prepare whatever its size,
 * no statement comes near either database's limit on bound parameters, and JSON.stringify is far
 * cheaper than binding or quoting every value on its own.
 */
type Column = { name: string; type: 'text' | 'integer' };

function rowSource(db: Kysely<Database>, columns: readonly Column[], rows: readonly (readonly (string | number)[])[]): RawBuilder<unknown> {
  if (isPostgres(db)) {
    const values = columns.map((c, i) => sql`cast(r ->> ${sql.lit(i)} as ${sql.raw(c.type)}) as ${sql.ref(c.name)}`);
    return sql`select ${sql.join(values)} from json_array_elements(${JSON.stringify(rows)}::json) r`;
  }
  const values = columns.map((c, i) => sql`value ->> ${sql.lit(i)} as ${sql.ref(c.name)}`);
  // "where true" lets SQLite tell the upsert's ON CONFLICT from a join's ON.
  return sql`select ${sql.join(values)} from json_each(${JSON.stringify(rows)}) where true`;
}


const ENTERPRISE_COLUMNS: readonly Column[] = [
  { name: 'uscc', type: 'text' },
  { name: 'name', type: 'text' },
  { name: 'legal_representative', type: 'text' },
  { name: 'province', type: 'text' },
  { name: 'city', type: 'text' },
  { name: 'search_text', type: 'text' },
];
const GRAM_COLUMNS: readonly Column[] = [
  { name: 'gram', type: 'text' },
  { name: 'name_length', type: 'integer' },
  { name: 'uscc', type: 'text' },
];

/** Enterprises looked up and written per statement; their grams go in larger statements. */
const ROWS_PER_STATEMENT = 2000;
const GRAMS_PER_STATEMENT = 20000;

/**
 * An import of at least this many enterprises is a load: SQLite gets a larger page cache for it, and
 * PostgreSQL builds the grams' key after inserting them when they are at least half the directory.
 */
const LOAD_MIN = 1000;
/** SQLite's page cache during a load (KiB): the directory's indexes are written in no useful order. */
const LOAD_CACHE_KIB = 256 * 1024;

async function deleteGrams(db: Kysely<Database>, grams: readonly GramRow[]): Promise<void> {
  for (let i = 0; i < grams.length; i += GRAMS_PER_STATEMENT) {
    const keys = grams.slice(i, i + GRAMS_PER_STATEMENT).map((g) => [g.gram, g.name_length, g.uscc]);
    await sql`delete from enterprise_search_grams where (gram, name_length, uscc) in (
      select gram, name_length, uscc from (${rowSource(db, GRAM_COLUMNS, keys)}) k)`.execute(db);
  }
}

/**
 * Inserts the grams of `rows`, in the grams' key order: SQLite then appends to its key's pages one
 * after another instead of touching pages all over it, which a large directory could not keep in
 * cache. When the grams are at least half of the directory's, PostgreSQL drops the key and builds it
 * again after inserting (one sort instead of one index insertion per gram); searches wait for the
 * import's transaction meanwhile.
 */
async function insertGrams(db: Kysely<Database>, rows: readonly { uscc: string; name: string; search_text: string }[]): Promise<void> {
  if (rows.length === 0) return;
  const keyed = rows.map((r) => ({ name_length: nameLength(r.name), uscc: r.uscc, grams: nameGrams(r.search_text) }));
  keyed.sort(compareKeys);
  // Each gram's list, filled in key order, so already in the key's order within the gram.
  const lists = new Map<string, number[]>();
  keyed.forEach((row, index) => {
    for (const gram of row.grams) {
      const list = lists.get(gram);
      if (list) list.push(index);
      else lists.set(gram, [index]);
    }
  });
  // UTF-16 order: the key's (code point) order but for characters above U+FFFF, which only cost locality.
  const order = [...lists.keys()].sort();

  const rebuildKey = isPostgres(db) && rows.length >= LOAD_MIN && 2 * rows.length >= (await countEnterprises(db));
  if (rebuildKey) await sql`alter table enterprise_search_grams drop constraint enterprise_search_grams_pkey`.execute(db);
  const write = (batch: (string | number)[][]) =>
    rebuildKey
      ? sql`insert into enterprise_search_grams (gram, name_length, uscc) ${rowSource(db, GRAM_COLUMNS, batch)}`.execute(db)
      : sql`insert into enterprise_search_grams (gram, name_length, uscc) ${rowSource(db, GRAM_COLUMNS, batch)}
          on conflict do nothing`.execute(db);
  let batch: (string | number)[][] = [];
  for (const gram of order) {
    for (const index of lists.get(gram)!) {
      const row = keyed[index]!;
      batch.push([gram, row.name_length, row.uscc]);
      if (batch.length === GRAMS_PER_STATEMENT) {
        await write(batch);
        batch = [];
      }
    }
  }
  if (batch.length > 0) await write(batch);
  if (rebuildKey) {
    // A bigger sort memory than the default 64 MB keeps the build of a million enterprises' key off disk.
    await sql`set local maintenance_work_mem = '256MB'`.execute(db);
    await sql`alter table enterprise_search_grams add constraint enterprise_search_grams_pkey primary key (gram, name_length, uscc)`.execute(db);
  }
}

async function countEnterprises(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from enterprises`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** Runs `load` with SQLite's page cache raised to LOAD_CACHE_KIB, then puts it back. */
async function withLoadCache<T>(db: Kysely<Database>, load: () => Promise<T>): Promise<T> {
  if (isPostgres(db)) return load();
  const { rows } = await sql<{ cache_size: number }>`pragma cache_size`.execute(db);
  const previous = Number(rows[0]?.cache_size);
  await sql`pragma cache_size = ${sql.raw(String(-LOAD_CACHE_KIB))}`.execute(db);
  try {
    return await load();
  } finally {
    if (Number.isInteger(previous)) await sql`pragma cache_size = ${sql.raw(String(previous))}`.execute(db);
  }
}

/**
 * One directory writer at a time. Grams are worked out from a row as read before it is replaced; two
 * PostgreSQL transactions writing the same USCC at once could each read the same old row and leave
 * the grams of the first one's name behind. SQLite's writer lock already does this.
 */
async function lockDirectory(db: Kysely<Database>): Promise<void> {
  if (isPostgres(db)) {
    await sql`select pg_advisory_xact_lock(hashtext('enterprise_directory'))`.execute(db);
  }
}

/** The enterprises among `usccs` that exist, with what their grams were made from. */
async function storedRows(db: Kysely<Database>, usccs: readonly string[]) {
  if (usccs.length === 0) return [];
  return db.selectFrom('enterprises').select(['uscc', 'name', 'search_text']).where('uscc', 'in', usccs).execute();
}

/** Runs `write` in a transaction of its own, or in the caller's: Kysely cannot open one inside another. */
function allOrNone<T>(db: Kysely<Database>, write: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? write(db) : db.transaction().execute(write);
}

/**
 * Inserts or replaces (by USCC) the given enterprises, all or none: a directory import that fails
 * half-way leaves the previous directory as it was. Returns how many distinct enterprises were written.
 * Pass a whole directory in one call: its grams are then written in one pass, in their key's order.
 */
export async function upsertEnterprises(db: Kysely<Database>, enterprises: readonly Enterprise[]): Promise<number> {
  // PostgreSQL refuses to touch one row twice in a statement, so the last row for a USCC wins here.
  const byUscc = new Map<string, Selectable<EnterprisesTable>>();
  for (const e of enterprises) {
    const uscc = canonicalUscc(e.uscc);
    byUscc.set(uscc, {
      uscc,
      name: e.name.trim(),
      legal_representative: e.legalRepresentative.trim(),
      province: e.province.trim(),
      city: e.city.trim(),
      search_text: searchText(e.name, uscc),
    });
  }
  const rows = [...byUscc.values()];
  const write = async (trx: Kysely<Database>) => {
    await lockDirectory(trx);
    // Enterprises that are new or whose name changed; their grams are written once all rows are.
    const regrammed: Selectable<EnterprisesTable>[] = [];
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      const batch = rows.slice(i, i + ROWS_PER_STATEMENT);
      const before = new Map((await storedRows(trx, batch.map((r) => r.uscc))).map((r) => [r.uscc, r]));
      const stale: GramRow[] = [];
      for (const row of batch) {
        const old = before.get(row.uscc);
        // A re-import mostly repeats names: their grams stay as they are.
        if (old && old.search_text === row.search_text && nameLength(old.name) === nameLength(row.name)) continue;
        if (old) stale.push(...gramRows(old));
        regrammed.push(row);
      }
      const values = batch.map((r) => [r.uscc, r.name, r.legal_representative, r.province, r.city, r.search_text]);
      await sql`insert into enterprises (uscc, name, legal_representative, province, city, search_text)
        ${rowSource(trx, ENTERPRISE_COLUMNS, values)}
        on conflict (uscc) do update set name = excluded.name, legal_representative = excluded.legal_representative,
          province = excluded.province, city = excluded.city, search_text = excluded.search_text`.execute(trx);
      await deleteGrams(trx, stale);
    }
    await insertGrams(trx, regrammed);
    return regrammed.length;
  };
  const load = () => allOrNone(db, write);
  const regrammed = await (rows.length >= LOAD_MIN ? withLoadCache(db, load) : load());
  // Freshly loaded PostgreSQL tables have no statistics and no visibility map until autovacuum comes
  // by: searches would be planned blind and read every listed row's heap page (seconds, not ms).
  if (regrammed >= LOAD_MIN && isPostgres(db) && !db.isTransaction) {
    await sql`vacuum (analyze) enterprises, enterprise_search_grams`.execute(db);
  }
  return rows.length;
}

/** Removes the given enterprises (by USCC) with their search grams, all or none. Returns how many were removed. */
export async function deleteEnterprises(db: Kysely<Database>, usccs: readonly string[]): Promise<number> {
  const wanted = [...new Set(usccs.map(canonicalUscc))];
  let removed = 0;
  const write = async (trx: Kysely<Database>) => {
    await lockDirectory(trx);
    for (let i = 0; i < wanted.length; i += ROWS_PER_STATEMENT) {
      const existing = await storedRows(trx, wanted.slice(i, i + ROWS_PER_STATEMENT));
      if (existing.length === 0) continue;
      await deleteGrams(trx, existing.flatMap(gramRows));
      await trx
        .deleteFrom('enterprises')
        .where(
          'uscc',
          'in',
          existing.map((r) => r.uscc),
        )
        .execute();
      removed += existing.length;
    }
  };
  await allOrNone(db, write);
  return removed;
}


export async function findEnterprise(db: Kysely<Database>, uscc: string): Promise<Enterprise | undefined> {
  const row = await db
    .selectFrom('enterprises')
    .select(['uscc', 'name', 'legal_representative', 'province', 'city'])
    .where('uscc', '=', canonicalUscc(uscc))
    .executeTakeFirst();
  return row && toEnterprise(row);
}
