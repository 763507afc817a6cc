import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startThrowawayPostgres, type ThrowawayPostgres } from './throwaway-postgres.ts';

/**
 * Runs the storage tests (every server/db/*.test.ts) against a throwaway PostgreSQL.
 * Usage: node --import tsx test/postgres/run-storage-suite.ts [extra node --test args, e.g. reporters]
 * Exits with the suite's exit code (130 when interrupted); the server is stopped whatever happens.
 */

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const extraArgs = process.argv.slice(2);

/** Every storage test honours TEST_DATABASE_URL, so all of them run on PostgreSQL here. */
function storageTestFiles(): string[] {
  return readdirSync('server/db')
    .filter((file) => file.endsWith('.test.ts'))
    .sort()
    .map((file) => `server/db/${file}`);
}

let server: ThrowawayPostgres | undefined;
let child: ChildProcess | undefined;
let interrupted = false;

function finish(code: number): never {
  try {
    server?.stop();
  } catch (err) {
    console.error(`stopping PostgreSQL failed: ${err instanceof Error ? err.message : String(err)}`);
    if (code === 0) code = 1;
  }
  process.exit(code);
}

// Registered before the server starts, so an interrupt during start-up still cleans up.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    interrupted = true;
    // On a terminal the child has the signal already (same process group); from a supervisor it may not.
    // Its 'close' handler then stops the server, once the suite has let go of its connections.
    if (child) child.kill(signal);
    else if (server) finish(130);
  });
}

try {
  server = await startThrowawayPostgres();
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  finish(1);
}
if (interrupted) finish(130);
console.log(`PostgreSQL ${server.version} on 127.0.0.1:${server.port}`);

child = spawn(process.execPath, ['--import', 'tsx', '--test', ...extraArgs, ...storageTestFiles()], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: { ...process.env, TEST_DATABASE_URL: server.url },
});
child.on('error', (err) => {
  console.error(`could not run the storage suite: ${err.message}`);
  finish(1);
});
child.on('close', (code) => finish(interrupted ? 130 : (code ?? 1)));
