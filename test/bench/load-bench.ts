/**
 * The server under load: each scenario driven by autocannon in a second process (load-worker.ts) for a
 * fixed time, while this process samples the server's memory from /proc. On SQLite, on PostgreSQL with
 * one instance and with two (autocannon spreads its connections over both URLs round robin), and a bare
 * Hono + better-sqlite3 upsert as the baseline in the same run. The servers get the environment the
 * systemd unit sets (deploy/systemd/jianli@.service, e.g. MALLOC_ARENA_MAX), so memory is measured as deployed.
 *
 * Run on its own for some scenarios only (nothing is written to bench/results):
 *   node --import tsx test/bench/load-bench.ts [--seconds=10] [--postgres] [--cpu-prof=<dir>] [--server-env=NAME=value …]
 *     [draft|submission|upload|feed|search …]
 * --cpu-prof writes a V8 CPU profile of each app server into <dir> when it stops; --server-env sets (or,
 * with an empty value, unsets) a variable over the unit's, to compare settings.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import * as v from 'valibot';
import { createDraftWriteSchema } from '../../shared/api/drafts.ts';
import { openDatabase } from '../../server/db/database.ts';
import { portraitJpeg } from '../e2e/made-up-person.ts';
import { prepareApplicant } from '../fault/applicant.ts';
import { startThrowawayPostgres } from '../postgres/throwaway-postgres.ts';
import { freePort, type RunningServer, startServer } from '../server-process.ts';
import { residentIdCheckChar } from '../../shared/resident-id.ts';
import { importBenchDirectory, SEARCH_QUERIES } from './enterprise-directory.ts';
import type { Scenario, WorkerResult, WorkerSpec } from './load-worker.ts';
import { quantile } from './report.ts';

const run = promisify(execFile);
const CONNECTIONS = 50;
/** Accounts the draft saves are spread over; registration allows 20 an hour from one address. */
const DRAFT_ACCOUNTS = 10;

/** Where the deployed server's own environment is set; the bench starts its servers with the same. */
const SYSTEMD_UNIT = 'deploy/systemd/jianli@.service';

/**
 * The unit's `Environment=NAME=value` lines, except PORT and HOST (the bench chooses those): what a
 * deployed instance runs with beyond the shared env file.
 */
function unitEnvironment(unitFile = SYSTEMD_UNIT): Record<string, string> {
  const env: Record<string, string> = {};
  for (const match of readFileSync(unitFile, 'utf8').matchAll(/^Environment=([A-Za-z_][A-Za-z0-9_]*)=(.*)$/gm)) {
    const [, name, value] = match as unknown as [string, string, string];
    if (name !== 'PORT' && name !== 'HOST') env[name] = value.trim();
  }
  return env;
}

function withoutEmpty(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
}

export interface LoadRun extends WorkerResult {
  scenario: string;
  /** Highest VmRSS of each server process sampled during the run, in MB (the largest of them). */
  rssPeakMb: number;
  /** VmHWM (peak since start) of each server process after the run, in MB. */
  hwmMb: number[];
  /**
   * CPU time (user + system) the server processes spent per answered request during the run, in ms:
   * steadier than requests/s when other work shares the cores.
   */
  cpuMsPerRequest: number;
  /** Searches only: p95 of searches sent one at a time over HTTP, without other load. */
  unloadedP95?: number;
}

export interface LoadSetup {
  name: string;
  runs: LoadRun[];
}

export interface LoadFigures {
  connections: number;
  durationSeconds: number;
  setups: LoadSetup[];
  baseline?: LoadRun;
  /** Requests/s of the draft save on SQLite ÷ the bare baseline's. */
  draftShareOfBaseline?: number;
}

function memoryMb(pid: number): { rss: number; hwm: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

/** Clock ticks per second of /proc/<pid>/stat's times. */
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** User + system CPU time of a process so far, in ms (fields 14 and 15 of /proc/<pid>/stat). */
function cpuMs(pid: number): number {
  try {
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** Runs one scenario in the worker process; samples the servers' memory meanwhile. */
async function drive(spec: WorkerSpec, pids: number[]): Promise<{ result: WorkerResult; rssPeakMb: number; hwmMb: number[]; cpuMsPerRequest: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'jl-bench-load-'));
  const specFile = join(dir, 'spec.json');
  await writeFile(specFile, JSON.stringify(spec));
  let peak = 0;
  const cpuBefore = pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
  const sampler = setInterval(() => {
    for (const pid of pids) peak = Math.max(peak, memoryMb(pid).rss);
  }, 200);
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/bench/load-worker.ts', specFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`load worker (${spec.scenario}) exited with ${code}`);
    const result = JSON.parse(out.trim().split('\n').at(-1)!) as WorkerResult;
    const cpuSpent = pids.reduce((sum, pid) => sum + cpuMs(pid), 0) - cpuBefore;
    return { result, rssPeakMb: peak, hwmMb: pids.map((pid) => memoryMb(pid).hwm), cpuMsPerRequest: result.total ? cpuSpent / result.total : 0 };
  } finally {
    clearInterval(sampler);
    await rm(dir, { recursive: true, force: true });
  }
}

/** What the scenarios need from one database: sessions, an applicant ready to submit, a feed token. */
interface Fixtures {
  draftCookies: string[];
  applicantCookie: string;
  application: string;
  draftBody: string;
  token: string;
  photoBase64: string;
}

async function register(baseUrl: string, sequence: number): Promise<string> {
  const first17 = `37010219850601${String(sequence).padStart(3, '0')}`;
  const response = await fetch(`${baseUrl}/api/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: '李娜', idNumber: first17 + residentIdCheckChar(first17), mobile: '13900139000', password: 'bench-load-2026' }),
  });
  if (response.status !== 201 && response.status !== 200) throw new Error(`register: ${response.status} ${await response.text()}`);
  return response.headers.getSetCookie()[0]!.split(';')[0]!;
}

/**
 * A draft write of about 2 KB: an application's worth of values, each field's time, padded with field
 * times (valid paths) up to the size; checked against the route's own schema first.
 */
function draftBody(application: Record<string, unknown>): string {
  const { photo: _p, signature: _s, commitment: _c, ...values } = application;
  const now = Date.now();
  const fieldUpdatedAt: Record<string, number> = {};
  for (const key of Object.keys(values)) fieldUpdatedAt[key] = now;
  const make = () => ({ baseRevision: 0, values, fieldUpdatedAt, updatedAt: now });
  for (let i = 0; JSON.stringify(make()).length < 2048 && i < 80; i++) fieldUpdatedAt[`note${i}`] = now;
  const body = make();
  v.parse(createDraftWriteSchema(), body);
  const { baseRevision: _b, ...rest } = body;
  return JSON.stringify(rest);
}

async function apiToken(server: RunningServer, env: Record<string, string>): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'server/staff/staff-command.ts', 'token', 'add', `bench-${Date.now()}`], {
    env: { ...process.env, DATA_DIR: server.dataDir, ...env },
  });
  const token = /^token: (\S+)$/m.exec(stdout)?.[1];
  if (!token) throw new Error('npm run staff -- token add printed no token');
  return token;
}

async function prepare(server: RunningServer, env: Record<string, string>): Promise<Fixtures> {
  const applicant = await prepareApplicant(server.url, 500);
  const draftCookies: string[] = [];
  for (let i = 0; i < DRAFT_ACCOUNTS; i++) draftCookies.push(await register(server.url, 600 + i));
  return {
    draftCookies,
    applicantCookie: applicant.cookie,
    application: JSON.stringify(applicant.application),
    draftBody: draftBody(applicant.application),
    token: await apiToken(server, env),
    photoBase64: (await portraitJpeg('#f4f4f4')).toString('base64'),
  };
}

/** Searches one at a time over HTTP: the time a person waits for the list when the server is idle. */
async function unloadedSearchP95(baseUrl: string, cookie: string): Promise<number> {
  const times: number[] = [];
  for (let round = 0; round < 10; round++) {
    for (const q of SEARCH_QUERIES) {
      const t0 = performance.now();
      const response = await fetch(`${baseUrl}/api/enterprises?q=${encodeURIComponent(q)}&limit=10`, { headers: { cookie } });
      await response.arrayBuffer();
      times.push(performance.now() - t0);
    }
  }
  return quantile(times, 0.95);
}

interface Target {
  name: string;
  servers: RunningServer[];
}

async function scenario(
  target: Target,
  label: string,
  kind: Scenario,
  fixtures: Fixtures,
  durationSeconds: number,
): Promise<LoadRun> {
  const cookies = kind === 'draft' ? fixtures.draftCookies : [fixtures.applicantCookie];
  const spec: WorkerSpec = {
    scenario: kind,
    urls: target.servers.map((s) => s.url),
    connections: CONNECTIONS,
    durationSeconds,
    cookies,
    draftBody: fixtures.draftBody,
    application: fixtures.application,
    photoBase64: fixtures.photoBase64,
    token: fixtures.token,
    queries: SEARCH_QUERIES,
  };
  const { result, rssPeakMb, hwmMb, cpuMsPerRequest } = await drive(spec, target.servers.map((s) => s.process.pid!));
  const unloadedP95 = kind === 'search' ? await unloadedSearchP95(target.servers[0]!.url, fixtures.applicantCookie) : undefined;
  const out: LoadRun = { scenario: label, ...result, rssPeakMb, hwmMb, cpuMsPerRequest, ...(unloadedP95 === undefined ? {} : { unloadedP95 }) };
  console.log(
    `  ${target.name} ${label}: ${Math.round(out.requestsPerSecond)} req/s, p50 ${out.p50} ms, p99 ${out.p99} ms, non-2xx ${out.non2xx} ${JSON.stringify(out.statusCodes)}, RSS ${rssPeakMb.toFixed(0)} MB, CPU ${cpuMsPerRequest.toFixed(2)} ms/request`,
  );
  return out;
}

async function baseline(durationSeconds: number, draft: string, env: Record<string, string>): Promise<LoadRun> {
  const dir = await mkdtemp(join(tmpdir(), 'jl-bench-bare-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/bench/baseline-server.ts', dir, String(port)], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  try {
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${url}/health`)).ok) break;
      } catch {
        // not yet listening
      }
      await sleep(100);
    }
    const spec: WorkerSpec = { scenario: 'bare-draft', urls: [url], connections: CONNECTIONS, durationSeconds, draftBody: draft };
    const { result, rssPeakMb, hwmMb, cpuMsPerRequest } = await drive(spec, [child.pid!]);
    console.log(
      `  bare baseline: ${Math.round(result.requestsPerSecond)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, non-2xx ${result.non2xx}, CPU ${cpuMsPerRequest.toFixed(2)} ms/request`,
    );
    return { scenario: 'bare Hono + better-sqlite3 upsert', ...result, rssPeakMb, hwmMb, cpuMsPerRequest };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  }
}

async function importDirectory(config: { dataDir: string; databaseUrl?: string }, from: number, to: number): Promise<void> {
  const t0 = performance.now();
  const storage = await openDatabase(config);
  try {
    await importBenchDirectory(storage.db, from, to);
  } finally {
    await storage.close();
  }
  console.log(`  imported enterprises ${from.toLocaleString('en')}–${to.toLocaleString('en')} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

export interface LoadOptions {
  quick: boolean;
  /** Only these scenarios (default: all); the bare baseline runs with the draft save. */
  scenarios?: Scenario[];
  /** Skip PostgreSQL (default: run it). */
  sqliteOnly?: boolean;
  /** Seconds per run (default: 3 quick, else 10). */
  durationSeconds?: number;
  /** Environment over the unit's, for the app's servers and the bare baseline; an empty value unsets. */
  serverEnv?: Record<string, string>;
  /** A module the app's servers (not the baseline) preload with --import: the CPU profiler. */
  preload?: string;
}

export async function measureLoad(options: LoadOptions): Promise<LoadFigures> {
  const durationSeconds = options.durationSeconds ?? (options.quick ? 3 : 10);
  const sizes = options.quick ? [100_000] : [100_000, 1_000_000];
  const wanted = (kind: Scenario) => !options.scenarios || options.scenarios.includes(kind);
  const setups: LoadSetup[] = [];
  const basics = (
    [
      ['draft save', 'draft'],
      ['submission', 'submission'],
      ['attachment upload', 'upload'],
      ['staff feed page', 'feed'],
    ] as [string, Scenario][]
  ).filter(([, kind]) => wanted(kind));
  const searchLabel = (size: number) => `search on ${size.toLocaleString('en')} enterprises`;
  const unitEnv = unitEnvironment();
  const bareEnv = withoutEmpty({ ...unitEnv, ...options.serverEnv });
  const serverEnv = options.preload
    ? { ...bareEnv, NODE_OPTIONS: [bareEnv.NODE_OPTIONS, `--import=${options.preload}`].filter(Boolean).join(' ') }
    : bareEnv;
  const shown = Object.entries(unitEnv).map(([name, value]) => `${name}=${value}`);
  console.log(`load: servers run with the environment of ${SYSTEMD_UNIT}${shown.length ? `: ${shown.join(' ')}` : ' (none beyond PORT and HOST)'}`);
  const changed = Object.entries(options.serverEnv ?? {}).map(([name, value]) => (value ? `${name}=${value}` : `without ${name}`));
  if (changed.length) console.log(`load: and for this run ${changed.join(', ')}`);

  // SQLite, one instance, with the bare baseline right before its draft save.
  console.log('load: SQLite');
  const sqlite = await startServer(serverEnv);
  let bare: LoadRun | undefined;
  try {
    const fixtures = await prepare(sqlite, {});
    const target = { name: 'SQLite', servers: [sqlite] };
    // The same environment as the app's, so a memory setting applies to both.
    if (wanted('draft')) bare = await baseline(durationSeconds, fixtures.draftBody, bareEnv);
    const runs: LoadRun[] = [];
    for (const [label, kind] of basics) runs.push(await scenario(target, label, kind, fixtures, durationSeconds));
    let imported = 0;
    for (const size of wanted('search') ? sizes : []) {
      await importDirectory({ dataDir: sqlite.dataDir }, imported, size);
      imported = size;
      runs.push(await scenario(target, searchLabel(size), 'search', fixtures, durationSeconds));
    }
    setups.push({ name: target.name, runs });
  } finally {
    await sqlite.stop();
  }

  if (options.sqliteOnly) return figuresOf(setups, durationSeconds, bare);

  // PostgreSQL: one instance, then both (connections spread over the two URLs).
  console.log('load: PostgreSQL');
  const postgres = await startThrowawayPostgres();
  const env = { DATABASE_URL: postgres.url };
  const servers: RunningServer[] = [];
  try {
    servers.push(...(await Promise.all([startServer({ ...serverEnv, ...env }), startServer({ ...serverEnv, ...env })])));
    const fixtures = await prepare(servers[0]!, env);
    const one = { name: `PostgreSQL ${postgres.version}, 1 instance`, servers: [servers[0]!] };
    const two = { name: `PostgreSQL ${postgres.version}, 2 instances`, servers };
    const runsOne: LoadRun[] = [];
    const runsTwo: LoadRun[] = [];
    for (const [label, kind] of basics) {
      runsOne.push(await scenario(one, label, kind, fixtures, durationSeconds));
      runsTwo.push(await scenario(two, label, kind, fixtures, durationSeconds));
    }
    let imported = 0;
    for (const size of wanted('search') ? sizes : []) {
      await importDirectory({ dataDir: servers[0]!.dataDir, databaseUrl: postgres.url }, imported, size);
      imported = size;
      runsOne.push(await scenario(one, searchLabel(size), 'search', fixtures, durationSeconds));
      runsTwo.push(await scenario(two, searchLabel(size), 'search', fixtures, durationSeconds));
    }
    setups.push({ name: one.name, runs: runsOne }, { name: two.name, runs: runsTwo });
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    postgres.stop();
  }
  return figuresOf(setups, durationSeconds, bare);
}

function figuresOf(setups: LoadSetup[], durationSeconds: number, bare: LoadRun | undefined): LoadFigures {
  const draft = setups[0]?.runs.find((r) => r.scenario === 'draft save');
  return {
    connections: CONNECTIONS,
    durationSeconds,
    setups,
    ...(bare ? { baseline: bare } : {}),
    ...(draft && bare ? { draftShareOfBaseline: draft.requestsPerSecond / bare.requestsPerSecond } : {}),
  };
}

const PROFILER_PRELOAD = 'cpu-profile-preload.mjs';

/**
 * Node 20 refuses --cpu-prof in NODE_OPTIONS, and the server is started by test/server-process.ts, so
 * the profile is taken from inside: a module preloaded with --import starts V8's profiler through
 * node:inspector and writes the profile (.cpuprofile, for DevTools) when the process exits.
 */
async function writeProfilerPreload(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const source = `import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
const session = new Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 500 });
session.post('Profiler.start');
process.on('exit', () => {
  session.post('Profiler.stop', (err, result) => {
    if (!err) writeFileSync(${JSON.stringify(dir)} + '/server-' + process.pid + '.cpuprofile', JSON.stringify(result.profile));
  });
});
`;
  await writeFile(join(dir, PROFILER_PRELOAD), source);
}

const SCENARIOS: readonly Scenario[] = ['draft', 'submission', 'upload', 'feed', 'search'];

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      seconds: { type: 'string' },
      postgres: { type: 'boolean' },
      'cpu-prof': { type: 'string' },
      'server-env': { type: 'string', multiple: true },
    },
  });
  // NAME=value over the unit's environment (an empty value unsets it for the run), to compare settings.
  const overrides: Record<string, string> = {};
  for (const pair of values['server-env'] ?? []) {
    const [name, ...rest] = pair.split('=');
    if (!name || rest.length === 0) throw new Error(`--server-env wants NAME=value, not ${pair}`);
    overrides[name] = rest.join('=');
  }
  const scenarios = positionals.map((name) => {
    if (!(SCENARIOS as readonly string[]).includes(name)) throw new Error(`unknown scenario ${name}; one of ${SCENARIOS.join(', ')}`);
    return name as Scenario;
  });
  const profileDir = values['cpu-prof'] && resolve(values['cpu-prof']);
  if (profileDir) await writeProfilerPreload(profileDir);
  const figures = await measureLoad({
    quick: true,
    ...(scenarios.length ? { scenarios } : {}),
    sqliteOnly: !values.postgres,
    ...(values.seconds ? { durationSeconds: Number(values.seconds) } : {}),
    serverEnv: overrides,
    ...(profileDir ? { preload: join(profileDir, PROFILER_PRELOAD) } : {}),
  });
  const draft = figures.setups[0]?.runs.find((r) => r.scenario === 'draft save');
  if (draft && figures.baseline && figures.draftShareOfBaseline !== undefined) {
    const cpuShare = figures.baseline.cpuMsPerRequest / draft.cpuMsPerRequest;
    console.log(`  draft save: ${(figures.draftShareOfBaseline * 100).toFixed(0)}% of bare's requests/s; bare's CPU per request is ${(cpuShare * 100).toFixed(0)}% of the draft save's`);
  }
}
