/**
 * The servers a soak phase runs against, and how one of them is killed and brought back: one
 * instance on SQLite, or two instances on one throwaway PostgreSQL behind a round-robin balancer.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseConfig } from '../../server/db/database.ts';
import { startThrowawayPostgres } from '../postgres/throwaway-postgres.ts';
import { type RunningServer, startServer } from '../server-process.ts';
import { startRoundRobin } from './round-robin.ts';

export type SoakDatabase = 'sqlite' | 'postgres';

export interface SoakCluster {
  database: SoakDatabase;
  /** What the fault-injecting proxy forwards to: the one server, or the balancer. */
  entryPort: number;
  /** A server reached directly, without faults (set-up and the final count). */
  directUrl(): string;
  instances: number;
  /** The same database, opened by the soak itself (seeding accounts, counting rows). */
  storageConfig: DatabaseConfig;
  /** Details for the report, e.g. the PostgreSQL version. */
  description: string;
  /** SIGKILL instance `i`, then start it again on the same data and port. */
  killAndRestart(i: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Instances that can be killed and restarted on the same data directory and port. Each first process
 * owns its data directory (stopping it removes the directory); its replacements do not.
 */
function restartable(first: RunningServer[], env: Record<string, string>) {
  const current = [...first];
  return {
    current,
    async killAndRestart(i: number) {
      const original = first[i]!;
      await current[i]!.kill();
      current[i] = await startServer(env, { dataDir: original.dataDir, port: original.port });
    },
    async stop() {
      await Promise.all(current.map((s) => s.stop()));
      await Promise.all(first.map((s) => s.stop()));
    },
  };
}

export async function startCluster(database: SoakDatabase, env: Record<string, string>): Promise<SoakCluster> {
  if (database === 'sqlite') {
    const server = await startServer(env);
    const servers = restartable([server], env);
    return {
      database,
      entryPort: server.port,
      directUrl: () => servers.current[0]!.url,
      instances: 1,
      storageConfig: { dataDir: server.dataDir },
      description: 'SQLite (WAL, synchronous=FULL), 1 instance',
      killAndRestart: servers.killAndRestart,
      stop: servers.stop,
    };
  }

  const postgres = await startThrowawayPostgres();
  const withDb = { ...env, DATABASE_URL: postgres.url };
  const scratch = await mkdtemp(join(tmpdir(), 'jl-soak-'));
  let started: RunningServer[] = [];
  try {
    // Started together on the fresh database: they must agree on one signing key.
    started = await Promise.all([startServer(withDb), startServer(withDb)]);
    const servers = restartable(started, withDb);
    const balancer = await startRoundRobin(started.map((s) => s.port));
    return {
      database,
      entryPort: balancer.port,
      directUrl: () => servers.current[0]!.url,
      instances: started.length,
      storageConfig: { dataDir: scratch, databaseUrl: postgres.url },
      description: `PostgreSQL ${postgres.version}, 2 instances behind a round-robin balancer`,
      killAndRestart: servers.killAndRestart,
      async stop() {
        await balancer.close();
        await servers.stop();
        postgres.stop();
        await rm(scratch, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await Promise.all(started.map((s) => s.stop()));
    postgres.stop();
    await rm(scratch, { recursive: true, force: true });
    throw err;
  }
}
