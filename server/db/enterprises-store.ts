import { type Kysely, type Selectable, sql } from 'kysely';
import type { Enterprise } from '../../shared/enterprise.ts';
import { normaliseSearchText } from '../../shared/search-text.ts';
import type { Database, EnterprisesTable } from './schema.ts';

// search_text is "NAME\nUSCC". A query never holds '\n' (white space is removed), so a match before
// the '\n' is in the name and a match right after it is a USCC prefix.
const SEPARATOR = '\n';

function searchText(name: string, uscc: string): string {
  return `${normaliseSearchText(name)}${SEPARATOR}${uscc}`;
}

function canonicalUscc(uscc: string): string {
  return normaliseSearchText(uscc);
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

// Keeps one statement well under SQLite's and PostgreSQL's limits on bound parameters.
const ROWS_PER_STATEMENT = 500;

/**
 * Inserts or replaces (by USCC) the given enterprises, all or none: a directory import that fails
 * half-way leaves the previous directory as it was. Returns how many distinct enterprises were written.
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
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      await trx
        .insertInto('enterprises')
        .values(rows.slice(i, i + ROWS_PER_STATEMENT))
        .onConflict((oc) =>
          oc.column('uscc').doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            legal_representative: eb.ref('excluded.legal_representative'),
            province: eb.ref('excluded.province'),
            city: eb.ref('excluded.city'),
            search_text: eb.ref('excluded.search_text'),
          })),
        )
        .execute();
    }
  };
  // Kysely cannot open a transaction inside one; the caller's transaction already gives all-or-none.
  if (db.isTransaction) await write(db);
  else await db.transaction().execute(write);
  return rows.length;
}

export const SEARCH_LIMIT_MAX = 50;

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

/**
 * Enterprises whose name contains the query, or whose USCC starts with it, after both are normalised
 * (see shared/search-text.ts). Names that start with the query come first, then shorter names.
 * An empty query finds nothing; `limit` is capped at SEARCH_LIMIT_MAX.
 */
export async function searchEnterprises(db: Kysely<Database>, query: string, limit = 10): Promise<Enterprise[]> {
  const q = normaliseSearchText(query);
  const take = Math.min(Math.max(Math.trunc(limit), 0), SEARCH_LIMIT_MAX);
  if (q === '' || take === 0) return [];
  const e = likeEscape(q);
  // ESCAPE is spelled out: SQLite has no default escape character, PostgreSQL's is '\'.
  const rows = await db
    .selectFrom('enterprises')
    .select(['uscc', 'name', 'legal_representative', 'province', 'city'])
    .where(
      sql<boolean>`(search_text like ${`%${e}%${SEPARATOR}%`} escape '\\' or search_text like ${`%${SEPARATOR}${e}%`} escape '\\')`,
    )
    .orderBy(sql`case when search_text like ${`${e}%`} escape '\\' then 0 else 1 end`)
    .orderBy(sql`length(name)`)
    .orderBy('uscc')
    .limit(take)
    .execute();
  return rows.map(toEnterprise);
}

export async function findEnterprise(db: Kysely<Database>, uscc: string): Promise<Enterprise | undefined> {
  const row = await db
    .selectFrom('enterprises')
    .select(['uscc', 'name', 'legal_representative', 'province', 'city'])
    .where('uscc', '=', canonicalUscc(uscc))
    .executeTakeFirst();
  return row && toEnterprise(row);
}
