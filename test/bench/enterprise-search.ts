/**
 * Benchmark: enterprise search on a directory of 100,000 enterprises, through the real route on the
 * embedded SQLite. The goal is < 100 ms server time per search (p95). Run: npm run bench:enterprise-search
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { USCC_ALPHABET, usccCheckChar } from '../../shared/uscc.ts';
import { openDatabase } from '../../server/db/database.ts';
import { upsertEnterprises } from '../../server/db/enterprises-store.ts';
import { enterpriseRoutes } from '../../server/enterprises/enterprise-routes.ts';

const SIZE = Number(process.env.BENCH_ENTERPRISES ?? 100_000);
const GOAL_MS = 100;
const CITIES = ['济南市', '广州市', '成都市', '杭州市', '南京市', '武汉市', '西安市', '长沙市'];
const WORDS = ['建设', '监理', '咨询', '工程管理', '项目管理', '建筑', '市政', '交通'];

// A deterministic generator, so two runs measure the same directory.
let seed = 42;
const next = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed;
};
const pick = <T>(list: readonly T[]) => list[next() % list.length]!;

function enterprise(i: number) {
  // The index written in the USCC alphabet makes every code unique.
  let rest = i;
  const org = Array.from({ length: 9 }, () => {
    const char = USCC_ALPHABET[rest % USCC_ALPHABET.length];
    rest = Math.floor(rest / USCC_ALPHABET.length);
    return char;
  }).join('');
  const first17 = `91370102${org}`;
  const city = pick(CITIES);
  return {
    uscc: first17 + usccCheckChar(first17),
    name: `${city.slice(0, 2)}${pick(WORDS)}${String(i).padStart(6, '0')}${pick(WORDS)}有限公司`,
    legalRepresentative: '张三',
    province: '山东省',
    city,
  };
}

const dir = await mkdtemp(join(tmpdir(), 'jl-bench-'));
const storage = await openDatabase({ dataDir: dir });
try {
  for (let start = 0; start < SIZE; start += 5000) {
    await upsertEnterprises(storage.db, Array.from({ length: Math.min(5000, SIZE - start) }, (_, k) => enterprise(start + k)));
  }
  const { count } = await storage.db
    .selectFrom('enterprises')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  const routes = enterpriseRoutes(storage);
  const queries = ['监理', '济南建设', '工程管理0123', '９１３７０１', '市 政', '012345', '不存在的企业名称'];
  const times: number[] = [];
  for (let round = 0; round < 10; round++) {
    for (const q of queries) {
      const t0 = performance.now();
      const response = await routes.request(`/?q=${encodeURIComponent(q)}&limit=10`);
      await response.json();
      times.push(performance.now() - t0);
    }
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
  console.log(`enterprise search on ${Number(count)} enterprises, ${times.length} searches: p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${at(1).toFixed(1)} ms (goal p95 < ${GOAL_MS} ms)`);
  process.exitCode = at(0.95) < GOAL_MS ? 0 : 1;
} finally {
  await storage.close();
  await rm(dir, { recursive: true, force: true });
}
