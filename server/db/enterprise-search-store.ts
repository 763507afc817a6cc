import { type Kysely, type RawBuilder, type Selectable, sql } from 'kysely';
import { ENTERPRISE_SEARCH_LIMIT_MAX } from '../../shared/api/enterprises.ts';
import type { Enterprise } from '../../shared/enterprise.ts';
import { normaliseSearchText } from '../../shared/search-text.ts';
import { compareKeys, GRAM, grams, isPostgres, type Key, MAX_CHAR, SEPARATOR, toEnterprise } from './enterprise-stored-form.ts';
import type { Database, EnterprisesTable } from './schema.ts';

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
    this.#postgres = isPostgres(db);
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
 * An empty query finds nothing; `limit` is capped at ENTERPRISE_SEARCH_LIMIT_MAX.
 *
 * Served by indexes (migration 0013): names starting with the query, USCCs starting with it, and
 * names containing it (trigram lists), each read whole when small, else in result order until enough
 * match. One or two characters start grams wherever they occur, so their grams are a range.
 */
export async function searchEnterprises(db: Kysely<Database>, query: string, limit = 10): Promise<Enterprise[]> {
  const q = normaliseSearchText(query);
  const take = Math.min(Math.max(Math.trunc(limit), 0), ENTERPRISE_SEARCH_LIMIT_MAX);
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
