/**
 * One soak phase on one database: devices set up, then all of them sending through the
 * fault-injecting proxy while the server (one instance at a time) is killed and restarted, then
 * the count.
 */
import type { BackoffPolicy } from '../../client/sync/backoff.ts';
import { openDatabase, type Storage } from '../../server/db/database.ts';
import { type ConnectionFault, startCuttingProxy } from '../fault/cutting-proxy.ts';
import { type Count, countOutcome, receiptKeys } from './soak-count.ts';
import { type SoakDatabase, startCluster } from './soak-cluster.ts';
import { type OutboxItem, prepareDevice, runOutbox, seedPeople } from './soak-device.ts';
import { seededRandom } from './seeded-random.ts';

export interface PhaseOptions {
  database: SoakDatabase;
  applications: number;
  devices: number;
  seed: number;
  /** Epoch ms: the phase stops sending then and counts what it has. */
  deadline: number;
  /** Share of connections dropped before the server sees them, and cut after it answered. */
  dropRate: number;
  cutRate: number;
  /** SIGKILL and restart this many times, one instance at a time, spread over the run. */
  restarts: number;
  backoff: BackoffPolicy;
  maxAttempts: number;
  /** SUBMISSION_LOCK_SECONDS of the servers: how long a killed holder's key stays blocked. */
  lockSeconds: number;
  log(line: string): void;
}

export interface PhaseResult extends Count {
  database: SoakDatabase;
  description: string;
  devices: number;
  attempts: number;
  /** Answers by status; 0: none (dropped, cut, refused while the server was down). */
  answers: Map<number, number>;
  connections: number;
  faults: Record<ConnectionFault, number>;
  restartsDone: number;
  seconds: number;
  timedOut: boolean;
}

export async function runPhase(options: PhaseOptions): Promise<PhaseResult> {
  const started = Date.now();
  const { log } = options;
  const cluster = await startCluster(options.database, { SUBMISSION_LOCK_SECONDS: String(options.lockSeconds) });
  let storage: Storage | undefined;
  try {
    storage = await openDatabase(cluster.storageConfig);
    log(`${cluster.description}: seeding ${options.devices} devices`);
    const people = await seedPeople(storage, options.devices);
    const devices = [];
    // A few at a time: the uploads are re-encoded by the server, and this is set-up, not the soak.
    for (let i = 0; i < people.length; i += 5) {
      devices.push(...(await Promise.all(people.slice(i, i + 5).map((p, k) => prepareDevice(cluster.directUrl(), i + k, p)))));
    }

    const faultRandom = seededRandom(options.seed);
    const faults: Record<ConnectionFault, number> = { pass: 0, 'drop-request': 0, 'cut-response': 0 };
    const proxy = await startCuttingProxy(cluster.entryPort, {
      faultFor() {
        const r = faultRandom();
        const fault: ConnectionFault = r < options.dropRate ? 'drop-request' : r < options.dropRate + options.cutRate ? 'cut-response' : 'pass';
        faults[fault]++;
        return fault;
      },
    });

    const answers = new Map<number, number>();
    let acknowledged = 0;
    let attempts = 0;
    let sending = true;
    // Kills at evenly spaced shares of the acknowledged count, one instance after the other. A
    // restart that fails is held until the devices are done, so the finally below still stops everything.
    const killer = (async (): Promise<number | Error> => {
      let done = 0;
      while (sending && done < options.restarts) {
        if (acknowledged >= (options.applications * (done + 1)) / (options.restarts + 1)) {
          const instance = done % cluster.instances;
          log(`  SIGKILL instance ${instance + 1} at ${acknowledged} acknowledged`);
          await cluster.killAndRestart(instance);
          log(`  instance ${instance + 1} restarted`);
          done++;
        } else {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      return done;
    })().catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));

    const numbersOf = (d: number) => Array.from({ length: options.applications }, (_, n) => n).filter((n) => n % options.devices === d);
    const progress = setInterval(() => log(`  ${acknowledged}/${options.applications} acknowledged, ${attempts} attempts`), 10_000);
    let items: OutboxItem[];
    try {
      const perDevice = await Promise.all(
        devices.map((device) =>
          runOutbox(
            {
              baseUrl: proxy.url,
              backoff: options.backoff,
              maxAttempts: options.maxAttempts,
              deadline: options.deadline,
              random: seededRandom(options.seed + 1 + device.index),
              onAnswer(status) {
                attempts++;
                answers.set(status, (answers.get(status) ?? 0) + 1);
              },
              onAcknowledged() {
                acknowledged++;
              },
            },
            device,
            numbersOf(device.index),
          ),
        ),
      );
      items = perDevice.flat().sort((a, b) => a.n - b.n);
    } finally {
      clearInterval(progress);
      sending = false;
      await proxy.close();
    }
    const restartsDone = await killer;
    if (restartsDone instanceof Error) throw restartsDone;

    const count = await countOutcome(
      storage,
      await receiptKeys(cluster.directUrl()),
      items,
      people.map((p) => p.accountId),
    );
    return {
      ...count,
      database: options.database,
      description: cluster.description,
      devices: options.devices,
      attempts,
      answers,
      connections: proxy.connections,
      faults,
      restartsDone,
      seconds: (Date.now() - started) / 1000,
      timedOut: count.unfinished > 0,
    };
  } finally {
    await storage?.close();
    await cluster.stop();
  }
}
