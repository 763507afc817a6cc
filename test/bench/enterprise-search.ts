/**
 * Benchmark: enterprise search on a directory of 100,000 enterprises, through the real route on the
 * embedded SQLite. The goal is < 100 ms server time per search (p95). Run: npm run bench:enterprise-search
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../server/db/database.ts';
import { enterpriseRoutes } from '../../server/enterprises/enterprise-routes.ts';
import { importBenchDirectory, SEARCH_QUERIES } from './enterprise-directory.ts';

const SIZE = Number(process.env.BENCH_ENTERPRISES ?? 100_000);
const GOAL_MS = 100;

const dir = await mkdtemp(join(tmpdir(), 'jl-bench-'));
const storage = await openDatabase({ dataDir: dir });
try {
  await importBenchDirectory(storage.db, 0, SIZE);
  const { count } = await storage.db
    .selectFrom('enterprises')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  const routes = enterpriseRoutes(storage);
  const queries = SEARCH_QUERIES;
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
