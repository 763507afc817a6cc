import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A PostgreSQL server of our own for one test run: a fresh cluster in a temp dir, trust auth,
 * listening on 127.0.0.1 only (plus a unix socket inside the temp dir), on a free port.
 * Nothing of the machine's own PostgreSQL (config, data, service) is used or touched.
 */

export interface ThrowawayPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** e.g. "15.14" */
  version: string;
  /** Stops the server (fast shutdown) and removes its files; safe to call more than once. */
  stop(): void;
}

export const INSTALL_HINT = 'apt-get update && apt-get install -y postgresql';

/** The newest installed server binaries (Debian layout first, then pg_config). */
function findBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')))
        .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
    : [];
  const newest = versions[0];
  if (newest) return join(root, newest, 'bin');
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  } catch {
    // no pg_config either; fall through to the hint
  }
  throw new Error(`PostgreSQL server binaries (initdb, pg_ctl) not found. Install them with: ${INSTALL_HINT}`);
}

/** initdb refuses to run as root, so as root every server command runs as the `postgres` user. */
function runAs(): { prefix: string[]; uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return { prefix: [] };
  const id = (flag: string) =>
    Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim());
  let uid: number;
  let gid: number;
  try {
    uid = id('-u');
    gid = id('-g');
  } catch {
    throw new Error(`running as root needs the 'postgres' user, which does not exist. Install it with: ${INSTALL_HINT}`);
  }
  return { prefix: ['runuser', '-u', 'postgres', '--'], uid, gid };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not find a free port'))));
    });
  });
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = findBinDir();
  const user = runAs();
  const root = mkdtempSync(join(tmpdir(), 'throwaway-pg-'));
  const dataDir = join(root, 'data');
  const logFile = join(root, 'server.log');

  const run = (program: string, args: string[]) => {
    const [command, ...rest] = [...user.prefix, join(bin, program), ...args];
    // cwd is the temp dir: the postgres user may not be allowed into the caller's directory.
    const result = spawnSync(command!, rest, { cwd: root, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    if (result.error) throw result.error;
    return result;
  };
  const fail = (what: string, result: { stdout: string; stderr: string }): never => {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n') : '';
    throw new Error(`${what} failed:\n${result.stdout}${result.stderr}${log ? `\nserver log:\n${log}` : ''}`);
  };

  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    if (existsSync(join(dataDir, 'postmaster.pid'))) run('pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w']);
    rmSync(root, { recursive: true, force: true });
  };

  try {
    if (user.uid !== undefined && user.gid !== undefined) chownSync(root, user.uid, user.gid);
    const init = run('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--encoding=UTF8', '--locale=C', '--no-sync']);
    if (init.status !== 0) fail('initdb', init);

    // The port is free when probed but could be taken before the server binds it: try a few.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${root}`;
      const start = run('pg_ctl', ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', options]);
      if (start.status === 0) {
        const version = run('postgres', ['--version']).stdout.match(/(\d+(?:\.\d+)*)/)?.[1] ?? 'unknown';
        return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, version, stop };
      }
      if (attempt === 3) fail('pg_ctl start', start);
    }
  } catch (err) {
    stop();
    throw err;
  }
}
