import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** A port the OS just handed out on loopback, released for the caller to take. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  url: string;
  port: number;
  dataDir: string;
  process: ChildProcess;
  /** SIGTERM, then removes the data directory unless the caller passed it in. */
  stop(): Promise<void>;
  /** SIGKILL, as a power cut would: no shutdown code runs; the data directory stays. */
  kill(): Promise<void>;
  /** Everything the process wrote so far, stdout and stderr together. */
  output(): string;
}

export interface StartServerOptions {
  /** Start on an existing data directory (a restart); the caller removes it. Default: a fresh temp dir. */
  dataDir?: string;
  /** Listen on this port (a restart on the same address). Default: a spare one. */
  port?: number;
  /** Run in this directory, so `dist/client` is read from it (a snapshot of the build). Default: here. */
  cwd?: string;
}

/**
 * Starts the real server (server/main.ts on the built client) as `npm start` would, on a spare loopback
 * port with its own data directory, and waits until /api/health answers.
 */
export async function startServer(env: Record<string, string> = {}, options: StartServerOptions = {}): Promise<RunningServer> {
  const port = options.port ?? (await freePort());
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'jl-e2e-')));
  const child = spawn(process.execPath, ['--import', 'tsx', resolve('server/main.ts')], {
    cwd: options.cwd,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(name);
      await exited;
    }
  };
  const stop = async () => {
    await signal('SIGTERM');
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
  };
  const kill = () => signal('SIGKILL');
  for (let attempt = 0; attempt < 150; attempt++) {
    if (child.exitCode !== null) break;
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return { url, port, dataDir, process: child, stop, kill, output: () => output };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`server did not start on ${url}:\n${output}`);
}
