/**
 * npm run soak: simulated devices submit applications through a proxy that drops and cuts
 * connections, while servers are killed (SIGKILL) and restarted; on SQLite, then on two instances
 * sharing a throwaway PostgreSQL. Prints what was acknowledged, stored, lost and duplicated, and
 * exits non-zero unless nothing was lost or doubled and every receipt verifies. Loopback only.
 *
 * Options (environment): SOAK_APPLICATIONS (5000), SOAK_DEVICES (50), SOAK_SEED (1), SOAK_MINUTES
 * (15, for the whole run), SOAK_DATABASES (sqlite,postgres). See test/soak/README.md.
 */
import { cpus, totalmem } from 'node:os';
import type { BackoffPolicy } from '../../client/sync/backoff.ts';
import { ensureClientBuilt } from '../fault/submission-client.ts';
import type { SoakDatabase } from './soak-cluster.ts';
import { type PhaseResult, runPhase } from './soak-phase.ts';

export interface SoakOptions {
  applications: number;
  devices: number;
  seed: number;
  minutes: number;
  databases: SoakDatabase[];
  dropRate: number;
  cutRate: number;
  restarts: number;
  /**
   * The device's policy (2 s doubling to 5 min, full jitter) scaled down so a run ends in minutes;
   * the shape, the jitter and "same key, same body" are the device's.
   */
  backoff: BackoffPolicy;
  maxAttempts: number;
  lockSeconds: number;
  log(line: string): void;
}

function integer(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer in ${min}–${max}`);
  return value;
}

export function optionsFromEnv(): SoakOptions {
  const databases = (process.env.SOAK_DATABASES ?? 'sqlite,postgres').split(',').map((d) => d.trim());
  for (const d of databases) if (d !== 'sqlite' && d !== 'postgres') throw new Error('SOAK_DATABASES: sqlite and/or postgres');
  return {
    applications: integer('SOAK_APPLICATIONS', 5000, 1, 1_000_000),
    devices: integer('SOAK_DEVICES', 50, 1, 1000),
    seed: integer('SOAK_SEED', 1, 0, 2 ** 31 - 1),
    minutes: integer('SOAK_MINUTES', 15, 1, 24 * 60),
    databases: databases as SoakDatabase[],
    dropRate: 0.1,
    cutRate: 0.1,
    restarts: 2,
    backoff: { baseMs: 100, factor: 2, capMs: 3_000 },
    maxAttempts: 60,
    lockSeconds: 5,
    log: (line) => console.log(line),
  };
}

/** Runs every phase; each gets an equal share of the time still left when it starts. */
export async function runSoak(options: SoakOptions): Promise<PhaseResult[]> {
  ensureClientBuilt();
  const end = Date.now() + options.minutes * 60_000;
  const results: PhaseResult[] = [];
  for (const [i, database] of options.databases.entries()) {
    const deadline = Date.now() + (end - Date.now()) / (options.databases.length - i);
    results.push(await runPhase({ ...options, database, deadline }));
  }
  return results;
}

/** The results are acceptable: nothing lost, nothing doubled, every receipt good, all done. */
export function verdict(results: PhaseResult[]): { ok: boolean; complete: boolean } {
  const ok = results.every((r) => r.lost === 0 && r.duplicated === 0 && r.badReceipts === 0);
  return { ok, complete: results.every((r) => !r.timedOut) };
}

export function formatTable(results: PhaseResult[]): string {
  const statuses = [...new Set(results.flatMap((r) => [...r.answers.keys()]))].sort((a, b) => a - b);
  const rows: [string, ...string[]][] = [
    ['', ...results.map((r) => (r.database === 'sqlite' ? 'SQLite, 1 instance' : 'PostgreSQL, 2 instances'))],
    ['devices', ...results.map((r) => String(r.devices))],
    ['applications', ...results.map((r) => String(r.applications))],
    ['acknowledged', ...results.map((r) => String(r.acknowledged))],
    ['stored', ...results.map((r) => String(r.stored))],
    ['stored, not acknowledged', ...results.map((r) => String(r.storedUnacknowledged))],
    ['lost', ...results.map((r) => String(r.lost))],
    ['  of which given up', ...results.map((r) => String(r.gaveUp))],
    ['duplicated', ...results.map((r) => String(r.duplicated))],
    ['receipts failing to verify', ...results.map((r) => String(r.badReceipts))],
    ['unfinished at the time bound', ...results.map((r) => String(r.unfinished))],
    ['requests sent', ...results.map((r) => String(r.attempts))],
    ...statuses.map((s): [string, ...string[]] => [
      s === 0 ? '  no answer (dropped, cut, down)' : `  answered ${s}`,
      ...results.map((r) => String(r.answers.get(s) ?? 0)),
    ]),
    ['proxy: connections', ...results.map((r) => String(r.connections))],
    ['  requests dropped', ...results.map((r) => String(r.faults['drop-request']))],
    ['  responses cut', ...results.map((r) => String(r.faults['cut-response']))],
    ['SIGKILL + restart', ...results.map((r) => String(r.restartsDone))],
    ['seconds', ...results.map((r) => r.seconds.toFixed(0))],
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const options = optionsFromEnv();
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `soak: ${options.applications} applications from ${options.devices} devices on ${options.databases.join(', ')}, ` +
      `seed ${options.seed}, at most ${options.minutes} min; ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`,
  );
  const results = await runSoak(options);
  console.log(`\n${formatTable(results)}`);
  for (const r of results) for (const example of r.examples) console.log(`${r.database}: ${example}`);
  const { ok, complete } = verdict(results);
  if (!ok) console.log('\nFAIL: something was lost, duplicated, or a receipt does not verify');
  else if (!complete) console.log('\nINCOMPLETE: the time bound came before every application was sent');
  else console.log('\nOK: nothing lost, nothing duplicated, every receipt verifies');
  process.exitCode = ok ? (complete ? 0 : 2) : 1;
}
