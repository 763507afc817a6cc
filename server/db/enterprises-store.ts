import { type Kysely, PostgresAdapter, type RawBuilder, type Selectable, sql } from 'kysely';
import type { Enterprise } from '../../shared/enterprise.ts';
import { normaliseSearchText } from '../../shared/search-text.ts';
import type { Database, EnterprisesTable } from './schema.ts';

// search_text is "NAME\nUSCC". A query never holds '\n' (white space is removed), so a match before
// the '\n' is in the name and a match right after it is a USCC prefix.
const SEPARATOR = '\n';
/** Above every character a name or query holds: `q <= s < q + MAX_CHAR` is "s starts with q". */
const MAX_CHAR = '\u{10FFFF}';

function searchText(name: string, uscc: string): string {
  return `${normaliseSearchText(name)}${SEPARATOR}${uscc}`;
}

function canonicalUscc(uscc: string): string {
  return normaliseSearchText(uscc);
}

/** What SQL's length(name) gives: characters, not UTF-16 units. */
function nameLength(name: string): number {
  return Array.from(name).length;
}

/** Characters of a gram: longer lists are rarer, so fewer are read before enough match. */
const GRAM = 3;
/** Follows the name in its grams, so that each of its characters starts one. */
const GRAM_PADDING = SEPARATOR.repeat(GRAM - 1);

function grams(chars: readonly string[]): string[] {
  const found = new Set<string>();
  for (let i = 0; i + GRAM <= chars.length; i++) found.add(chars.slice(i, i + GRAM).join(''));
  return [...found];
}

/**
 * The distinct trigrams of the name part of search_text followed by '\n\n': every substring of
 * three or more characters contains one, and every shorter one starts one (migration 0013 fills the
 * table the same way for enterprises imported before it).
 */
function nameGrams(storedSearchText: string): string[] {
  return grams(Array.from(storedSearchText.slice(0, storedSearchText.indexOf(SEPARATOR)) + GRAM_PADDING));
}

type GramRow = { gram: string; name_length: number; uscc: string };

function gramRows(row: { uscc: string; name: string; search_text: string }): GramRow[] {
  const name_length = nameLength(row.name);
  return nameGrams(row.search_text).map((gram) => ({ gram, name_length, uscc: row.uscc }));
}

function toEnterprise(row: Omit<Selectable<EnterprisesTable>, 'search_text'>): Enterprise {
  return {
    uscc: row.uscc,
    name: row.name,
    legalRepresentative: row.legal_representative,
    province: row.province,
    city: row.city,
  };
}

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

function isPostgres(db: Kysely<Database>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
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
  const load = () =>
    // Kysely cannot open a transaction inside one; the caller's transaction already gives all-or-none.
    db.isTransaction ? write(db) : db.transaction().execute(write);
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
  if (db.isTransaction) await write(db);
  else await db.transaction().execute(write);
  return removed;
}

export const SEARCH_LIMIT_MAX = 50;

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

/**
 * Below this many rows a candidate set is read whole and sorted; above it, matches are dense enough
 * among any superset (at most the directory) that reading a superset in result order stops early.
 */
const SMALL_SET = 2000;
/** A gram's list is read in chunks growing from the first to the last size, until enough match. */
const FIRST_CHUNK = 64;
const LAST_CHUNK = 16384;

/** A directory row as a search reads it, with the name's length it orders by. */
type Found = Selectable<EnterprisesTable> & { name_length: number };

type Key = { name_length: number; uscc: string };

function compareKeys(a: Key, b: Key): number {
  return Number(a.name_length) - Number(b.name_length) || (a.uscc < b.uscc ? -1 : a.uscc > b.uscc ? 1 : 0);
}

const FOUND_COLUMNS = sql`e.uscc, e.name, e.legal_representative, e.province, e.city, e.search_text, length(e.name) as name_length`;

class SearchPlan {
  readonly #db: Kysely<Database>;
  readonly #q: string;
  readonly #take: number;
  readonly #postgres: boolean;

  constructor(db: Kysely<Database>, q: string, take: number) {
    this.#db = db;
    this.#q = q;
    this.#take = take;
    this.#postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  }

  /** `column` starts with the query, as a range an index serves (byte-wise on PostgreSQL, as its index). */
  startsWith(column: 'search_text' | 'uscc' | 'gram', table = 'e'): RawBuilder<boolean> {
    const ref = sql.ref(`${table}.${column}`);
    const c = this.#postgres && column !== 'gram' ? sql`${ref} collate "C"` : ref;
    return sql<boolean>`${c} >= ${this.#q} and ${c} < ${this.#q + MAX_CHAR}`;
  }

  async countUpTo(from: RawBuilder<unknown>, bound: number): Promise<number> {
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from (select 1 as one ${from} limit ${bound}) t`.execute(this.#db);
    return Number(rows[0]?.n ?? 0);
  }

  /** Rows of `from` (which names enterprises `e`), the first `take` in result order. */
  async read(from: RawBuilder<unknown>): Promise<Found[]> {
    const { rows } = await sql<Found>`select ${FOUND_COLUMNS} ${from} order by length(e.name), e.uscc limit ${this.#take}`.execute(this.#db);
    return rows;
  }

  /**
   * The query's trigram with the shortest list, and the next shortest when that list is short too
   * (lists longer than a bound count as equal): an enterprise must be on both.
   */
  async rarestGrams(): Promise<{ gram: string; also?: string }> {
    const bound = 4 * SMALL_SET;
    const counted: { gram: string; count: number }[] = [];
    for (const gram of grams(Array.from(this.#q))) {
      const count = await this.countUpTo(sql`from enterprise_search_grams where gram = ${gram}`, bound);
      counted.push({ gram, count });
      if (count === 0) break;
    }
    counted.sort((a, b) => a.count - b.count);
    const [first, second] = counted;
    return second && second.count < bound && first!.count > 0 ? { gram: first!.gram, also: second.gram } : { gram: first!.gram };
  }

  /**
   * Reads `gram`'s list in result order, keeping the enterprises that pass `filter`, until `want` do
   * or the list passes `until` (what comes after it cannot be shown).
   */
  async scanGram(
    { gram, also }: { gram: string; also?: string },
    filter: RawBuilder<boolean>,
    want: number,
    until?: Key,
  ): Promise<Found[]> {
    // Checking the second gram's key is cheaper than reading the enterprise for a row that fails it.
    const onBoth = also
      ? sql`join enterprise_search_grams b on b.gram = ${also} and b.name_length = c.name_length and b.uscc = c.uscc`
      : sql``;
    const found: Found[] = [];
    let after: Key = { name_length: -1, uscc: '' };
    for (let size = FIRST_CHUNK; ; size = Math.min(4 * size, LAST_CHUNK)) {
      const { rows } = await sql<Found & { is_cursor: number }>`
        with chunk as (
          select name_length, uscc from enterprise_search_grams
          where gram = ${gram} and (name_length, uscc) > (${after.name_length}, ${after.uscc})
          order by name_length, uscc limit ${size}
        )
        select 0 as is_cursor, ${FOUND_COLUMNS} from chunk c ${onBoth} join enterprises e on e.uscc = c.uscc where ${filter}
        union all
        select * from (
          select 1 as is_cursor, uscc, null, null, null, null, null, name_length from chunk
          order by name_length desc, uscc desc limit 1
        ) tail`.execute(this.#db);
      const cursor = rows.find((r) => Number(r.is_cursor) === 1);
      found.push(...rows.filter((r) => r !== cursor));
      if (!cursor || found.length >= want || (until && compareKeys(cursor, until) >= 0)) return found;
      after = { name_length: Number(cursor.name_length), uscc: cursor.uscc };
    }
  }

  /** The whole directory in result order (its index), keeping what passes `filter`: for dense matches only. */
  scanAll(filter: RawBuilder<boolean>): Promise<Found[]> {
    return this.read(sql`from enterprises e where ${filter}`);
  }
}

/**
 * Enterprises whose name contains the query, or whose USCC starts with it, after both are normalised
 * (see shared/search-text.ts). Names that start with the query come first, then shorter names.
 * An empty query finds nothing; `limit` is capped at SEARCH_LIMIT_MAX.
 *
 * Served by indexes (migration 0013): names starting with the query, USCCs starting with it, and
 * names containing it (trigram lists), each read whole when small, else in result order until enough
 * match. One or two characters start grams wherever they occur, so their grams are a range.
 */
export async function searchEnterprises(db: Kysely<Database>, query: string, limit = 10): Promise<Enterprise[]> {
  const q = normaliseSearchText(query);
  const take = Math.min(Math.max(Math.trunc(limit), 0), SEARCH_LIMIT_MAX);
  if (q === '' || take === 0) return [];
  const e = likeEscape(q);
  // ESCAPE is spelled out: SQLite has no default escape character, PostgreSQL's is '\'.
  const namePrefix = sql<boolean>`e.search_text like ${`${e}%`} escape '\\'`;
  const inName = sql<boolean>`e.search_text like ${`%${e}%${SEPARATOR}%`} escape '\\'`;
  const usccPrefix = sql<boolean>`e.search_text like ${`%${SEPARATOR}${e}%`} escape '\\'`;
  const plan = new SearchPlan(db, q, take);
  const short = Array.from(q).length < GRAM;
  const rarest = short ? undefined : await plan.rarestGrams();

  // Names that start with the query come first: if there are enough of them, nothing else is shown.
  const prefixRange = sql`from enterprises e where ${plan.startsWith('search_text')}`;
  const prefixed =
    (await plan.countUpTo(prefixRange, SMALL_SET)) < SMALL_SET
      ? await plan.read(prefixRange)
      : rarest === undefined
        ? await plan.scanAll(namePrefix)
        : await plan.scanGram(rarest, namePrefix, take);
  const need = take - prefixed.length;
  const found = [...prefixed];

  if (need > 0) {
    const notPrefixed = sql<boolean>`not (${namePrefix})`;
    const usccRange = sql`from enterprises e where ${plan.startsWith('uscc')} and ${notPrefixed}`;
    const byUscc =
      (await plan.countUpTo(usccRange, SMALL_SET)) < SMALL_SET
        ? await plan.read(usccRange)
        : await plan.scanAll(sql`${usccPrefix} and ${notPrefixed}`);
    found.push(...byUscc);
    // Names found later than the last USCC match that is shown would not be shown.
    const until = byUscc.length >= need ? byUscc.slice().sort(compareKeys)[need - 1] : undefined;

    const elsewhere = sql<boolean>`${inName} and ${notPrefixed}`;
    if (rarest !== undefined) {
      found.push(...(await plan.scanGram(rarest, elsewhere, need, until)));
    } else {
      const grams = sql`from enterprise_search_grams g where ${plan.startsWith('gram', 'g')}`;
      found.push(
        ...((await plan.countUpTo(grams, SMALL_SET)) < SMALL_SET
          ? await plan.read(sql`from enterprises e where e.uscc in (select g.uscc ${grams}) and ${elsewhere}`)
          : await plan.scanAll(elsewhere)),
      );
    }
  }

  const unique = new Map<string, Found & { rank: number }>();
  for (const row of found) unique.set(row.uscc, { ...row, rank: row.search_text.startsWith(q) ? 0 : 1 });
  return [...unique.values()]
    .sort((a, b) => a.rank - b.rank || compareKeys(a, b))
    .slice(0, take)
    .map(toEnterprise);
}

export async function findEnterprise(db: Kysely<Database>, uscc: string): Promise<Enterprise | undefined> {
  const row = await db
    .selectFrom('enterprises')
    .select(['uscc', 'name', 'legal_representative', 'province', 'city'])
    .where('uscc', '=', canonicalUscc(uscc))
    .executeTakeFirst();
  return row && toEnterprise(row);
}
