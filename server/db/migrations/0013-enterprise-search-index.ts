import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * Indexed enterprise search. A search used to be `search_text LIKE '%q%'`, a scan of the whole
 * directory. Now:
 * - enterprise_search_grams holds every distinct trigram (three characters, by code point) of each
 *   normalised name followed by '\n\n', so that every one or two characters of a name also start a
 *   gram. Rows are keyed (gram, name_length, uscc): a gram's rows come in the order results are shown
 *   (shorter names first, then USCC), so a search reads a gram's list only until it has enough matches.
 * - enterprises get indexes for name prefixes (search_text), USCC prefixes and that same order.
 * On PostgreSQL the prefix ranges are compared byte-wise (collate "C"), whatever the database's locale.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const bytewise = postgres ? sql` collate "C"` : sql``;

  await sql`create table enterprise_search_grams (
    gram text${bytewise} not null,
    name_length integer not null,
    uscc text not null,
    primary key (gram, name_length, uscc)
  )${postgres ? sql`` : sql` without rowid`}`.execute(db);

  await sql`create index enterprises_search_prefix_index on enterprises (search_text${bytewise})`.execute(db);
  await sql`create index enterprises_search_order_index on enterprises (length(name), uscc)`.execute(db);
  if (postgres) await sql`create index enterprises_uscc_prefix_index on enterprises (uscc collate "C")`.execute(db);

  // Grams of the enterprises already imported; search_text is "normalised name\nUSCC".
  let after = '';
  for (;;) {
    const { rows } = await sql<{ uscc: string; name_length: number; search_text: string }>`
      select uscc, length(name) as name_length, search_text from enterprises
      where uscc > ${after} order by uscc limit 2000`.execute(db);
    const last = rows.at(-1);
    if (!last) break;
    after = last.uscc;
    const grams: [string, number, string][] = [];
    for (const row of rows) {
      const name = Array.from(`${row.search_text.slice(0, row.search_text.indexOf('\n'))}\n\n`);
      const seen = new Set<string>();
      for (let i = 0; i + 2 < name.length; i++) seen.add(name[i]! + name[i + 1]! + name[i + 2]!);
      for (const gram of seen) grams.push([gram, Number(row.name_length), row.uscc]);
    }
    for (let i = 0; i < grams.length; i += 3000) {
      const values = grams.slice(i, i + 3000).map(([gram, length, uscc]) => sql`(${gram}, ${length}, ${uscc})`);
      await sql`insert into enterprise_search_grams (gram, name_length, uscc) values ${sql.join(values)}`.execute(db);
    }
  }
}
