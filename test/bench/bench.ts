/**
 * npm run bench: builds, starts the real server on a temp data dir, measures bytes, the weak-network
 * loads, Lighthouse and the server under load, prints one table per section with each goal of issue 13
 * beside its figure, and writes bench/results/latest.json.
 *
 *   BENCH_SECTIONS=bytes,network,lighthouse,load   (default: all)
 *   BENCH_QUICK=1        shorter load runs, 100,000 enterprises only
 *   BENCH_SKIP_BUILD=1   use the dist/ already built
 * A partial or quick run writes bench/results/partial.json instead, so latest.json keeps the full run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { type BytesFigures, launchBrowser, measureBytes, measureNetwork, measureTyping, type NetworkFigures, PROFILES, type TypingFigures } from './browser-bench.ts';
import { type LighthouseFigures, measureLighthouse } from './lighthouse-bench.ts';
import { type LoadFigures, measureLoad } from './load-bench.ts';
import { goal, kb, markdownTables, ms, printTable, type Row, ratio } from './report.ts';
import { CHROMIUM_PATH } from '../chromium.mjs';
import { startServer } from '../server-process.ts';

const ALL_SECTIONS = ['bytes', 'network', 'lighthouse', 'load'] as const;
type Section = (typeof ALL_SECTIONS)[number];
const sections = (process.env.BENCH_SECTIONS ?? ALL_SECTIONS.join(','))
  .split(',')
  .map((s) => s.trim())
  .filter((s): s is Section => (ALL_SECTIONS as readonly string[]).includes(s));
const quick = process.env.BENCH_QUICK === '1';

/** The goals of issue 13, in one place. */
const GOALS = {
  firstScreenBytes: 14 * 1024,
  firstScreenRequests: 2,
  precacheGzip: 100 * 1024,
  firstLoadRatio: 1.1,
  formLoadRatio: 1.5,
  warmMs: 250,
  submissionRatio: 1.3,
  lighthousePerformance: 95,
  lighthouseAccessibility: 100,
  draftShare: 0.7,
  draftP99: 50,
  searchP95: 50,
  rssMb: 200,
  typingP95: 50,
};

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function chromiumVersion(): string {
  try {
    return execFileSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

function bytesRows(b: BytesFigures): Row[] {
  const f = b.firstScreen;
  return [
    {
      figure: '首屏 wire bytes (encodedDataLength)',
      value: kb(f.downBytes),
      goal: goal(`≤ ${kb(GOALS.firstScreenBytes)}`, f.downBytes <= GOALS.firstScreenBytes),
    },
    { figure: '首屏 requests / levels', value: `${f.requests} / ${f.depth}`, goal: goal(`≤ ${GOALS.firstScreenRequests} requests`, f.requests <= GOALS.firstScreenRequests) },
    { figure: '首屏 bodies gzip / brotli', value: `${kb(f.gzipBytes)} / ${kb(f.brotliBytes)}` },
    { figure: '首屏 bytes up', value: kb(f.upBytes) },
    { figure: '表单 cold wire bytes', value: kb(b.form.downBytes) },
    { figure: '表单 requests / levels', value: `${b.form.requests} / ${b.form.depth}` },
    { figure: '表单 bodies gzip / brotli', value: `${kb(b.form.gzipBytes)} / ${kb(b.form.brotliBytes)}` },
    {
      figure: `precache (${b.precache.files} files incl. sw.js) gzip`,
      value: kb(b.precache.gzipBytes),
      goal: goal(`≤ ${kb(GOALS.precacheGzip)}`, b.precache.gzipBytes <= GOALS.precacheGzip),
    },
    { figure: 'precache brotli / raw', value: `${kb(b.precache.brotliBytes)} / ${kb(b.precache.rawBytes)}` },
    { figure: 'sw.js gzip', value: kb(b.precache.swGzipBytes) },
  ];
}

function networkRows(n: NetworkFigures): Row[] {
  const p = `${n.profile.name}`;
  const floorRow = (name: string, t: NetworkFigures['firstLoad'], limit?: number): Row => ({
    figure: `${p} ${name}`,
    value: t.error ? `failed: ${t.error}` :
      `${ms(t.ms)}; floor ${ms(t.emulatedFloorMs!)} → ${ratio(t.ratio!)} (with TCP ${ms(t.floorMs!)} → ${ratio(t.physicalRatio!)}); ` +
      `${kb(t.traffic!.downBytes)}↓ ${kb(t.traffic!.upBytes)}↑, ${t.traffic!.requests} req, ${t.traffic!.depth} levels`,
    ...(limit === undefined ? {} : { goal: goal(`≤ ${ratio(limit)} floor`, t.ratio! <= limit) }),
  });
  const onProfileA = n.profile.name === 'A';
  return [
    floorRow('cold first load → 在线办理', n.firstLoad, onProfileA ? GOALS.firstLoadRatio : undefined),
    floorRow('cold form load', n.formLoad, onProfileA ? GOALS.formLoadRatio : undefined),
    { figure: `${p} repeat load`, value: n.repeatLoad.error ? `failed: ${n.repeatLoad.error}` : ms(n.repeatLoad.ms), goal: goal(`≤ ${GOALS.warmMs} ms`, n.repeatLoad.ms <= GOALS.warmMs) },
    { figure: `${p} offline start`, value: n.offlineStart.error ? `failed: ${n.offlineStart.error}` : ms(n.offlineStart.ms), goal: goal(`≤ ${GOALS.warmMs} ms`, n.offlineStart.ms <= GOALS.warmMs) },
    floorRow('submission 下一步 → receipt', n.submission, GOALS.submissionRatio),
  ];
}

function typingRows(t: TypingFigures): Row[] {
  return [
    {
      figure: `input→paint, CPU ×6 (${t.keys} keys) p50 / p95 / max`,
      value: `${ms(t.p50)} / ${ms(t.p95)} / ${ms(t.max)}`,
      goal: goal(`p95 ≤ ${GOALS.typingP95} ms`, t.p95 <= GOALS.typingP95),
    },
  ];
}

function lighthouseRows(l: LighthouseFigures): Row[] {
  return [
    { figure: 'performance (mobile)', value: String(l.performance), goal: goal(`≥ ${GOALS.lighthousePerformance}`, l.performance >= GOALS.lighthousePerformance) },
    { figure: 'accessibility', value: String(l.accessibility), goal: goal(`= ${GOALS.lighthouseAccessibility}`, l.accessibility >= GOALS.lighthouseAccessibility) },
    { figure: 'FCP / LCP / SI', value: `${ms(l.fcpMs)} / ${ms(l.lcpMs)} / ${ms(l.siMs)}` },
    { figure: 'TBT / CLS', value: `${ms(l.tbtMs)} / ${l.cls.toFixed(3)}` },
  ];
}

function loadRows(load: LoadFigures): Row[] {
  const rows: Row[] = [];
  for (const setup of load.setups) {
    for (const r of setup.runs) {
      const isDraft = r.scenario === 'draft save';
      const isSearch1M = r.scenario.startsWith('search') && r.scenario.includes('1,000,000');
      const share = isDraft && load.baseline ? r.requestsPerSecond / load.baseline.requestsPerSecond : undefined;
      rows.push({
        figure: `${setup.name}: ${r.scenario}`,
        value:
          `${Math.round(r.requestsPerSecond)} req/s, p50 ${ms(r.p50)}, p99 ${ms(r.p99)}, non-2xx ${r.non2xx}, errors ${r.errors}, RSS ${r.rssPeakMb.toFixed(0)} MB` +
          (share === undefined ? '' : `, ${(share * 100).toFixed(0)}% of bare`) +
          (r.unloadedP95 === undefined ? '' : `, one at a time p95 ${ms(r.unloadedP95)}`),
        ...(isDraft && share !== undefined
          ? { goal: goal(`≥ ${GOALS.draftShare * 100}% of bare, p99 < ${GOALS.draftP99} ms`, share >= GOALS.draftShare && r.p99 < GOALS.draftP99) }
          : isSearch1M && r.unloadedP95 !== undefined
            ? { goal: goal(`p95 < ${GOALS.searchP95} ms`, r.unloadedP95 < GOALS.searchP95) }
            : { goal: goal(`RSS < ${GOALS.rssMb} MB`, r.rssPeakMb < GOALS.rssMb) }),
      });
    }
  }
  if (load.baseline) {
    const b = load.baseline;
    rows.push({ figure: 'bare Hono + better-sqlite3 upsert', value: `${Math.round(b.requestsPerSecond)} req/s, p50 ${ms(b.p50)}, p99 ${ms(b.p99)}, non-2xx ${b.non2xx}` });
  }
  return rows;
}

const started = new Date();
console.log(`bench: sections ${sections.join(', ')}${quick ? ' (quick)' : ''}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
if (process.env.BENCH_SKIP_BUILD !== '1') {
  const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');
}

const figures: Record<string, unknown> = {};
const failures: Record<string, string> = {};
/** One section; if it fails, the error is printed and recorded, and the other sections still run. */
async function section(name: Section, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    failures[name] = err instanceof Error ? err.message : String(err);
    console.error(`\n## ${name}: FAILED\n${err instanceof Error ? err.stack : String(err)}`);
    process.exitCode = 1;
  }
}
const tables: { title: string; rows: Row[] }[] = [];
const show = (title: string, rows: Row[]) => {
  tables.push({ title, rows });
  printTable(title, rows);
};

// The server reads a copy of the build: a rebuild in this checkout meanwhile cannot change what is measured.
const snapshot = await mkdtemp(join(tmpdir(), 'jl-bench-build-'));
await cp('dist/client', join(snapshot, 'dist', 'client'), { recursive: true });
// `--import tsx` is resolved from the working directory.
await symlink(resolve('node_modules'), join(snapshot, 'node_modules'));
const CLIENT_ROOT = join(snapshot, 'dist', 'client');

if (sections.some((s) => s !== 'load')) {
  const server = await startServer({}, { cwd: snapshot });
  const browser = sections.some((s) => s === 'bytes' || s === 'network') ? await launchBrowser() : undefined;
  try {
    if (sections.includes('bytes') && browser) {
      await section('bytes', async () => {
        const bytes = await measureBytes(browser, server.port, CLIENT_ROOT);
        figures.bytes = bytes;
        show('Bytes', bytesRows(bytes));
      });
    }
    if (sections.includes('network') && browser) {
      await section('network', async () => {
        const network: Record<string, NetworkFigures | TypingFigures> = {};
        figures.network = network;
        for (const profile of PROFILES) {
          const figuresOfProfile = await measureNetwork(browser, server.port, profile);
          network[profile.name] = figuresOfProfile;
          show(`Weak network, profile ${profile.name}: ${profile.kbps} kbps each way, ${profile.rttMs} ms RTT, CPU ×4`, networkRows(figuresOfProfile));
        }
        const typing = await measureTyping(browser, server.port);
        network.typing = typing;
        show('Typing in the form', typingRows(typing));
      });
    }
    if (sections.includes('lighthouse')) {
      await section('lighthouse', async () => {
        const lh = await measureLighthouse(`${server.url}/`);
        figures.lighthouse = lh;
        show(`Lighthouse ${lh.lighthouseVersion}, mobile`, lighthouseRows(lh));
      });
    }
  } finally {
    await browser?.close();
    await server.stop();
  }
}

if (sections.includes('load')) {
  await section('load', async () => {
    const load = await measureLoad({ quick });
    figures.load = load;
    show(`Server under load: autocannon in a second process, ${load.connections} connections, ${load.durationSeconds} s each`, loadRows(load));
  });
}

await rm(snapshot, { recursive: true, force: true });

const goals = tables.flatMap((t) => t.rows.filter((r) => r.goal).map((r) => ({ section: t.title, figure: r.figure, value: r.value, goal: r.goal!.text, met: r.goal!.met })));
const cpuList = cpus();
const result = {
  date: started.toISOString(),
  commit: gitCommit(),
  sections,
  quick,
  machine: {
    cpuModel: cpuList[0]?.model ?? 'unknown',
    cpuCount: cpuList.length,
    memoryBytes: totalmem(),
    node: process.version,
    chromium: chromiumVersion(),
    loadAverageAtStart: loadavg(),
  },
  figures,
  failures,
  goals,
};
const complete = !quick && ALL_SECTIONS.every((s) => sections.includes(s)) && Object.keys(failures).length === 0;
await mkdir('bench/results', { recursive: true });
const out = complete ? 'bench/results/latest.json' : 'bench/results/partial.json';
await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
await writeFile(out.replace(/\.json$/, '.md'), `${markdownTables(tables)}\n`);
console.log(`\n${goals.filter((g) => g.met).length} of ${goals.length} goals met; written to ${out}`);
