/**
 * Graceful shutdown of the real server process (server/main.ts on SQLite, loopback only): SIGTERM
 * while 50 submissions are in flight fails none of them; a request half-sent when the signal comes
 * is still answered, with `Connection: close`; kept-alive idle connections do not hold the stop, and a
 * stalled client holds it no longer than SHUTDOWN_GRACE_SECONDS. After a restart on the same data
 * every submission is stored exactly once.
 *
 * Run from the project root: node --import tsx --test test/fault/graceful-shutdown.test.ts
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Agent, request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setImmediate as tick, setTimeout as sleep } from 'node:timers/promises';
import SqliteDatabase from 'better-sqlite3';
import { type RunningServer, startServer } from '../server-process.ts';
import { type Applicant, prepareApplicant } from './applicant.ts';
import { ensureClientBuilt, parseAnswer, retryUntilAnswered, submit } from './submission-client.ts';

const SERVER_ENV = { SUBMISSION_LOCK_SECONDS: '2', SHUTDOWN_GRACE_SECONDS: '10' };
/** Registrations are limited per address (20 an hour), so 10 applicants send 5 applications each. */
const APPLICANTS = 10;
const PER_APPLICANT = 5;

type Outcome = { key: string; applicant: Applicant } & ({ status: number; text: string } | { error: string });

/** The error code under fetch's TypeError: ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET, … */
function errorCode(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as { code?: string } | undefined) : undefined;
  return cause?.code ?? (err instanceof Error ? err.message : String(err));
}

function send(baseUrl: string, applicant: Applicant, key: string): Promise<Outcome> {
  return submit(baseUrl, applicant, key).then(
    async (response) => ({ key, applicant, status: response.status, text: await response.text() }),
    (err: unknown) => ({ key, applicant, error: errorCode(err) }),
  );
}

/** Resolves with the exit code once the process has ended. */
function exited(server: RunningServer): Promise<number | null> {
  const child = server.process;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return once(child, 'exit').then(([code]) => code as number | null);
}

/** Whether a new connection to the port is refused: the listener has closed, so the drain has begun. */
async function refusesConnections(port: number): Promise<boolean> {
  const socket = connect(port, '127.0.0.1');
  try {
    await once(socket, 'connect');
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ECONNREFUSED';
  } finally {
    socket.destroy();
  }
}

async function waitUntilRefused(port: number): Promise<void> {
  // Slower than the server's quiet period: each probe is a connection it accepts while it still listens.
  for (let attempt = 0; attempt < 60; attempt++) {
    if (await refusesConnections(port)) return;
    await sleep(400);
  }
  assert.fail('the server kept accepting connections after SIGTERM');
}

/** Everything the socket receives until it closes. */
function readUntilClosed(socket: Socket): Promise<string> {
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    text += chunk;
  });
  return new Promise((resolve) => socket.once('close', () => resolve(text)));
}

describe('graceful shutdown of the real server', { timeout: 600_000 }, () => {
  let original: RunningServer;
  let server: RunningServer;
  const applicants: Applicant[] = [];

  async function restart(env: Record<string, string> = SERVER_ENV): Promise<void> {
    server = await startServer(env, { dataDir: original.dataDir, port: original.port });
  }

  /** How many submissions the database holds for each key (opened beside the server; WAL allows it). */
  function storedCounts(keys: string[]): Map<string, number> {
    const file = new SqliteDatabase(join(original.dataDir, 'app.sqlite'), { readonly: true });
    try {
      const count = file.prepare<[string], { n: number }>('select count(*) as n from submissions where idempotency_key = ?');
      return new Map(keys.map((key) => [key, count.get(key)?.n ?? 0]));
    } finally {
      file.close();
    }
  }

  before(async () => {
    ensureClientBuilt();
    original = await startServer(SERVER_ENV);
    server = original;
    for (let i = 0; i < APPLICANTS; i++) applicants.push(await prepareApplicant(server.url, i));
  });

  after(async () => {
    await server?.stop();
    await original?.stop();
  });

  it('SIGTERM during 50 parallel submissions: no 5xx, no reset, each stored once after a restart', async (t) => {
    const keys: string[] = [];
    const inFlight = applicants.flatMap((applicant) =>
      Array.from({ length: PER_APPLICANT }, () => {
        const key = randomUUID();
        keys.push(key);
        return send(server.url, applicant, key);
      }),
    );
    // The signal comes once the server is at work on them: the first key claimed.
    const db = new SqliteDatabase(join(original.dataDir, 'app.sqlite'), { readonly: true });
    try {
      const claimed = db.prepare<[], { n: number }>(`select count(*) as n from idempotency_keys where key in (${keys.map((k) => `'${k}'`).join(',')})`);
      let polls = 0;
      while ((claimed.get()?.n ?? 0) === 0) {
        assert.ok(++polls < 200_000, 'the server never claimed a key');
        await tick();
      }
    } finally {
      db.close();
    }
    const stopped = exited(server);
    server.process.kill('SIGTERM');
    // Sent as the signal lands: answered, or refused before anything was accepted.
    const late = applicants.map((applicant) => {
      const key = randomUUID();
      keys.push(key);
      return send(server.url, applicant, key);
    });
    const outcomes = await Promise.all([...inFlight, ...late]);
    assert.equal(await stopped, 0, 'the server exits 0 after draining');

    const refused: Outcome[] = [];
    for (const outcome of outcomes) {
      if ('error' in outcome) {
        assert.equal(outcome.error, 'ECONNREFUSED', 'a connection is refused, never cut');
        refused.push(outcome);
      } else {
        assert.equal(outcome.status, 201, outcome.text);
        parseAnswer(outcome.text);
      }
    }
    assert.equal(inFlight.length, 50);
    assert.deepEqual(outcomes.slice(0, 50).filter((o) => 'error' in o), [], 'every submission in flight at the signal is answered');
    t.diagnostic(`answered while stopping: ${outcomes.length - refused.length}, refused and retried after the restart: ${refused.length}`);

    await restart();
    for (const outcome of refused) {
      // 201, not a replay: the refused request had never reached the server.
      assert.equal((await retryUntilAnswered(server.url, outcome.applicant, outcome.key)).status, 201);
    }
    const counts = storedCounts(keys);
    assert.deepEqual([...counts.values()].filter((n) => n !== 1), [], 'every submission stored exactly once');
    assert.equal(counts.size, 60);
  });

  it('a request half-sent at SIGTERM is answered with Connection: close, a new connection is refused, an idle kept-alive one closed', async () => {
    const applicant = applicants[0]!;
    // An idle kept-alive connection, as a browser or nginx leaves one.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const idleClosed = new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${server.url}/api/health`, { agent }, (res) => {
        assert.equal(res.headers.connection, 'keep-alive');
        res.resume();
      });
      req.once('socket', (socket) => socket.once('close', () => resolve()));
      req.on('error', reject);
      req.end();
    });

    const body = JSON.stringify(applicant.application);
    const socket = connect(server.port, '127.0.0.1');
    await once(socket, 'connect');
    const answer = readUntilClosed(socket);
    const half = Math.floor(body.length / 2);
    socket.write(
      `POST /api/submissions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nCookie: ${applicant.cookie}\r\n` +
        `Idempotency-Key: ${randomUUID()}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`,
    );
    await sleep(50);
    const stopped = exited(server);
    server.process.kill('SIGTERM');
    await waitUntilRefused(server.port);
    // Sent on a new connection once the listener has closed: refused before anything is sent, so the
    // retry is safe. (On a connection already open it would still be answered, with Connection: close.)
    const lateKey = randomUUID();
    const late = await new Promise<string>((resolve) => {
      const req = httpRequest(`${server.url}/api/submissions`, {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', cookie: applicant.cookie, 'idempotency-key': lateKey },
      });
      req.once('response', (res) => resolve(String(res.statusCode)));
      req.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
      req.end(body);
    });
    assert.equal(late, 'ECONNREFUSED');
    socket.write(body.slice(half));

    const text = await answer;
    const [head = '', json = ''] = text.split('\r\n\r\n');
    assert.match(head, /^HTTP\/1\.1 201 /);
    assert.match(head, /\r\nconnection: close\r\n/i);
    parseAnswer(json);
    await idleClosed;
    agent.destroy();
    assert.equal(await stopped, 0);
    await restart();
    assert.equal((await retryUntilAnswered(server.url, applicant, lateKey)).status, 201, 'the refused one had never reached the server');
    assert.equal(storedCounts([lateKey]).get(lateKey), 1);
  });

  it('a client that stalls mid-request holds the stop no longer than the grace', async () => {
    await server.stop();
    await restart({ ...SERVER_ENV, SHUTDOWN_GRACE_SECONDS: '1' });
    const socket = connect(server.port, '127.0.0.1');
    await once(socket, 'connect');
    const closed = readUntilClosed(socket);
    // Promises 1000 bytes, sends 10, then nothing.
    socket.write(`POST /api/submissions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":"x`);
    await sleep(50);
    const stopped = exited(server);
    server.process.kill('SIGTERM');
    assert.equal(await stopped, 0, 'cut after the grace, then a clean exit');
    await closed;
    await restart();
  });
});
