import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ensureSystemPackages } from './system-requirements.ts';

/**
 * The one test command: typecheck, lint, unit tests (node), element tests (web-test-runner in Chromium),
 * the storage tests on a throwaway PostgreSQL, the built files' syntax against the oldest browsers, fault
 * tests against the real server process, fuzzing of every documented endpoint, and end-to-end tests
 * (Playwright). Every step runs even when an earlier one failed, so one run shows everything; the exit
 * code is non-zero on any failure.
 */

const bin = (name: string) => join('node_modules', '.bin', name);
const node = process.execPath;
const CLOSING = /^(?:\S+: )?(\d+) passed, (\d+) failed/;
// A failing test as each runner prints it: node's spec reporter (✖), Playwright's list reporter (✘),
// this project's web-test-runner reporter (✖).
const FAILING_TEST = /^(?:✖|✘)\s+(.+)$/;

function testFiles(...dirs: string[]): string[] {
  return dirs
    .flatMap((dir) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((file) => join(dir, file)))
    .filter((file) => file.endsWith('.test.ts'))
    .sort();
}

// Node's default runs one file fewer than the cores at a time: one file on two cores. The unit and fault
// files mostly wait on child processes, sockets and fsync, so two at a time on two cores shortens those
// steps by about a third without starving either.
const nodeConcurrency = `--test-concurrency=${Math.max(2, availableParallelism())}`;

const nodeReporters = [
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=./test/reporters/node-summary.mjs',
  '--test-reporter-destination=stdout',
];

interface Step {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  /**
   * Runs beside the steps after it instead of before them: a short single-core step (typecheck, lint,
   * the PostgreSQL suite) next to a step that keeps one core busy. Nothing may depend on it. Its output
   * is printed in one piece at its end.
   */
  beside?: boolean;
}

const steps: Step[] = [
  { name: 'typecheck', command: bin('tsc'), args: ['--noEmit', '-p', '.'], beside: true },
  { name: 'lint', command: bin('biome'), args: ['lint', '--error-on-warnings', '.'], beside: true },
  {
    name: 'unit',
    command: node,
    args: ['--import', 'tsx', '--test', nodeConcurrency, ...nodeReporters, ...testFiles('shared', 'server')],
    env: { TEST_LABEL: 'unit' },
  },
  {
    name: 'postgres',
    command: node,
    args: ['--import', 'tsx', 'test/postgres/run-storage-suite.ts', ...nodeReporters],
    env: { TEST_LABEL: 'postgres' },
    // Beside the element tests (one browser page at a time): about 30 s of one core.
    beside: true,
  },
  { name: 'element', command: bin('web-test-runner'), args: ['--config', 'web-test-runner.config.mjs'] },
  { name: 'build', command: 'npm', args: ['run', 'build'] },
  {
    name: 'syntax-target',
    command: node,
    args: ['--import', 'tsx', '--test', ...nodeReporters, ...testFiles('test/build')],
    env: { TEST_LABEL: 'syntax-target' },
  },
  {
    name: 'fault',
    command: node,
    // The soak in miniature too (test/soak/README.md).
    args: ['--import', 'tsx', '--test', nodeConcurrency, ...nodeReporters, ...testFiles('test/fault', 'test/soak')],
    env: { TEST_LABEL: 'fault' },
  },
  {
    name: 'fuzz',
    command: node,
    args: ['--import', 'tsx', '--test', ...nodeReporters, ...testFiles('test/fuzz')],
    env: { TEST_LABEL: 'fuzz' },
  },
  { name: 'e2e', command: bin('playwright'), args: ['test'] },
  // The production layout (deploy/): nginx with TLS, two instances, PostgreSQL; about a minute.
  { name: 'deploy', command: bin('playwright'), args: ['test', '--config', 'test/deploy/playwright.config.ts'] },
];

interface Outcome {
  name: string;
  ok: boolean;
  passed: number;
  failed: number;
  seconds: number;
  failures: string[];
}

function run(step: Step): Promise<Outcome> {
  const started = Date.now();
  const heading = `\n=== ${step.name} ===\n`;
  let held = '';
  const show = (text: string | Buffer) => {
    if (step.beside) held += text.toString();
    else process.stdout.write(text);
  };
  show(heading);
  return new Promise((resolve) => {
    const child = spawn(step.command, step.args, {
      env: { ...process.env, FORCE_COLOR: '0', ...step.env },
      stdio: ['ignore', 'pipe', step.beside ? 'pipe' : 'inherit'],
    });
    child.stderr?.on('data', show);
    let passed = 0;
    let failed = 0;
    const failures: string[] = [];
    let pending = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      show(chunk);
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = CLOSING.exec(line.trim());
        if (match) {
          passed = Number(match[1]);
          failed = Number(match[2]);
        }
        const failing = FAILING_TEST.exec(line.trim());
        const name = failing?.[1];
        if (name && !failures.includes(name)) failures.push(name);
      }
    });
    let finished = false;
    const finish = (code: number | null) => {
      // 'error' may come before 'close': the first settles.
      if (finished) return;
      finished = true;
      if (step.beside) process.stdout.write(held);
      resolve({ name: step.name, ok: code === 0, passed, failed, failures, seconds: (Date.now() - started) / 1000 });
    };
    child.on('error', (err) => {
      console.error(`${step.name}: ${err.message}`);
      finish(1);
    });
    child.on('close', finish);
  });
}

if (!ensureSystemPackages()) process.exit(1);

const running: Promise<Outcome>[] = [];
for (const step of steps) {
  const outcome = run(step);
  running.push(outcome);
  if (!step.beside) await outcome;
}
const outcomes = await Promise.all(running);

console.log('\n=== summary ===');
for (const o of outcomes) {
  const counts = o.passed || o.failed ? ` (${o.passed} passed, ${o.failed} failed)` : '';
  console.log(`${o.ok ? 'ok  ' : 'FAIL'} ${o.name}${counts} ${o.seconds.toFixed(1)}s`);
  // The names again at the end, so the last lines of a long log say what failed (bounded).
  if (!o.ok) for (const name of o.failures.slice(0, 10)) console.log(`       ${name}`);
}
const passed = outcomes.reduce((sum, o) => sum + o.passed, 0);
// A step that failed without reporting a failing test (typecheck, lint, a crash) still counts as one failure.
const failed = outcomes.reduce((sum, o) => sum + (o.failed || (o.ok ? 0 : 1)), 0);
console.log(`all: ${passed} passed, ${failed} failed`);
process.exit(outcomes.every((o) => o.ok) ? 0 : 1);
