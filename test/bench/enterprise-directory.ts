/** A made-up enterprise directory of any size, the same on every run, for the search benchmarks. */
import type { Kysely } from 'kysely';
import { upsertEnterprises } from '../../server/db/enterprises-store.ts';
import type { Database } from '../../server/db/schema.ts';
import { USCC_ALPHABET, usccCheckChar } from '../../shared/uscc.ts';

const CITIES = ['济南市', '广州市', '成都市', '杭州市', '南京市', '武汉市', '西安市', '长沙市'];
const WORDS = ['建设', '监理', '咨询', '工程管理', '项目管理', '建筑', '市政', '交通'];

/** What people type into 企业名称: words, a city and a word, digits, a full-width code, a miss. */
export const SEARCH_QUERIES = ['监理', '济南建设', '工程管理0123', '９１３７０１', '市 政', '012345', '不存在的企业名称'];

/** Enterprise number `i`; name and city drawn from `i` alone, so any slice of the directory is reproducible. */
export function benchEnterprise(i: number) {
  // The index written in the USCC alphabet makes every code unique.
  let rest = i;
  const org = Array.from({ length: 9 }, () => {
    const char = USCC_ALPHABET[rest % USCC_ALPHABET.length];
    rest = Math.floor(rest / USCC_ALPHABET.length);
    return char;
  }).join('');
  const first17 = `91370102${org}`;
  const mix = (n: number) => Math.floor(((n * 1103515245 + 12345) % 2 ** 31) / 7);
  const city = CITIES[mix(i) % CITIES.length]!;
  return {
    uscc: first17 + usccCheckChar(first17),
    name: `${city.slice(0, 2)}${WORDS[mix(i + 1) % WORDS.length]}${String(i).padStart(6, '0')}${WORDS[mix(i + 2) % WORDS.length]}有限公司`,
    legalRepresentative: '张三',
    province: '山东省',
    city,
  };
}

/** Imports enterprises number `from` up to (not including) `to` in one call, as the import command does. */
export async function importBenchDirectory(db: Kysely<Database>, from: number, to: number): Promise<void> {
  await upsertEnterprises(
    db,
    Array.from({ length: to - from }, (_, k) => benchEnterprise(from + k)),
  );
}
