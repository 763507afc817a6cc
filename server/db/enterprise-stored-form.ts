/**
 * How the directory is stored for searching, shared by what writes it (enterprises-store.ts) and what
 * searches it (enterprise-search-store.ts): search_text, the name's trigrams and the order results take.
 */
import { type Kysely, PostgresAdapter, type Selectable } from 'kysely';
import type { Enterprise } from '../../shared/enterprise.ts';
import { normaliseSearchText } from '../../shared/search-text.ts';
import type { Database, EnterprisesTable } from './schema.ts';

// search_text is "NAME\nUSCC". A query never holds '\n' (white space is removed), so a match before
// the '\n' is in the name and a match right after it is a USCC prefix.
export const SEPARATOR = '\n';
/** Above every character a name or query holds: `q <= s < q + MAX_CHAR` is "s starts with q". */
export const MAX_CHAR = '\u{10FFFF}';

export function searchText(name: string, uscc: string): string {
  return `${normaliseSearchText(name)}${SEPARATOR}${uscc}`;
}

export function canonicalUscc(uscc: string): string {
  return normaliseSearchText(uscc);
}

/** What SQL's length(name) gives: characters, not UTF-16 units. */
export function nameLength(name: string): number {
  return Array.from(name).length;
}

/** Characters of a gram: longer lists are rarer, so fewer are read before enough match. */
export const GRAM = 3;
/** Follows the name in its grams, so that each of its characters starts one. */
const GRAM_PADDING = SEPARATOR.repeat(GRAM - 1);

export function grams(chars: readonly string[]): string[] {
  const found = new Set<string>();
  for (let i = 0; i + GRAM <= chars.length; i++) found.add(chars.slice(i, i + GRAM).join(''));
  return [...found];
}

/**
 * The distinct trigrams of the name part of search_text followed by '\n\n': every substring of
 * three or more characters contains one, and every shorter one starts one (migration 0013 fills the
 * table the same way for enterprises imported before it).
 */
export function nameGrams(storedSearchText: string): string[] {
  return grams(Array.from(storedSearchText.slice(0, storedSearchText.indexOf(SEPARATOR)) + GRAM_PADDING));
}

export type GramRow = { gram: string; name_length: number; uscc: string };

export function gramRows(row: { uscc: string; name: string; search_text: string }): GramRow[] {
  const name_length = nameLength(row.name);
  return nameGrams(row.search_text).map((gram) => ({ gram, name_length, uscc: row.uscc }));
}

export function toEnterprise(row: Omit<Selectable<EnterprisesTable>, 'search_text'>): Enterprise {
  return {
    uscc: row.uscc,
    name: row.name,
    legalRepresentative: row.legal_representative,
    province: row.province,
    city: row.city,
  };
}

/** Where a row stands in the results' order: shorter names first, then by USCC. */
export type Key = { name_length: number; uscc: string };

export function compareKeys(a: Key, b: Key): number {
  return Number(a.name_length) - Number(b.name_length) || (a.uscc < b.uscc ? -1 : a.uscc > b.uscc ? 1 : 0);
}

export function isPostgres(db: Kysely<Database>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
