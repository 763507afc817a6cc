/**
 * Fault tests of exactly-once submission against the real server process (server/main.ts on SQLite,
 * loopback only): the request lost, the answer lost after the commit, the server killed mid-submit and
 * restarted, a stale claim, and 50 identical requests at once. Each scenario ends with exactly one stored
 * submission and the same signed receipt on every answer that got through.
 *
 * Run from the project root: node --import tsx --test test/fault/*.test.ts
 * (builds the client once if dist/client is missing, as the server serves it).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import SqliteDatabase from 'better-sqlite3';
import { type SignedReceipt, verifyReceipt } from '../../shared/receipt-signature.ts';
import { type RunningServer, startServer } from '../server-process.ts';
import { type Applicant, prepareApplicant } from './applicant.ts';
import { startCuttingProxy } from './cutting-proxy.ts';
import type { SubmissionReceipt } from '../../shared/api/submissions.ts';
import {
  assertStoredOnce as assertStoredOnceAt,
  changeLastDigit,
  ensureClientBuilt,
  readAnswer,
  retryUntilAnswered,
  storedSubmissions,
  submit,
  submitAtOnce,
} from './submission-client.ts';

/** The server's lock on an in-flight key (SUBMISSION_LOCK_SECONDS): short, so a dead holder's claim expires soon. */
const LOCK_SECONDS = 2;
const SERVER_ENV = { SUBMISSION_LOCK_SECONDS: String(LOCK_SECONDS) };

describe('exactly-once submission against the real server', { timeout: 600_000 }, () => {
  /** The first server owns the data directory; restarts reuse it and its port. */
  let original: RunningServer;
  let server: RunningServer;
  let sequence = 0;
  /** Every receipt that got through, to check against the published key at the end. */
  const receipts: SignedReceipt[] = [];

  async function restart(): Promise<void> {
    await server.kill();
    server = await startServer(SERVER_ENV, { dataDir: original.dataDir, port: original.port });
  }

  const stored = (applicant: Applicant) => storedSubmissions(server.url, applicant);

  /** Exactly one submission stored, and every answer (and GET) shows the same receipt. */
  async function assertStoredOnce(applicant: Applicant, answers: SubmissionReceipt[]): Promise<void> {
    receipts.push(await assertStoredOnceAt(server.url, applicant, answers));
  }

  /** The SQLite file of the server, opened by the test beside it (WAL lets both read and write). */
  function openServerDatabase(): SqliteDatabase.Database {
    const file = new SqliteDatabase(join(original.dataDir, 'app.sqlite'));
    file.pragma('busy_timeout = 5000');
    return file;
  }

  before(async () => {
    ensureClientBuilt();
    original = await startServer(SERVER_ENV);
    server = original;
  });

  after(async () => {
    await server?.stop();
    await original?.stop();
  });

  it('a request lost before reaching the server: the retry under the same key is stored once', async () => {
    const applicant = await prepareApplicant(server.url, sequence++);
    const proxy = await startCuttingProxy(server.port, { faultFor: (n) => (n === 0 ? 'drop-request' : 'pass') });
    try {
      const key = randomUUID();
      await assert.rejects(submit(proxy.url, applicant, key), TypeError);
      assert.deepEqual(await stored(applicant), [], 'the server never saw the first request');
      const retry = await submit(proxy.url, applicant, key);
      assert.equal(retry.status, 201);
      await assertStoredOnce(applicant, [await readAnswer(retry)]);
      assert.equal(proxy.connections, 2);
    } finally {
      await proxy.close();
    }
  });

  it('the answer lost after the server committed: the retry replays it (200, same receipt)', async () => {
    const applicant = await prepareApplicant(server.url, sequence++);
    const proxy = await startCuttingProxy(server.port, { faultFor: (n) => (n === 0 ? 'cut-response' : 'pass') });
    try {
      const key = randomUUID();
      await assert.rejects(submit(proxy.url, applicant, key), TypeError);
      assert.equal((await stored(applicant)).length, 1, 'the server had stored it before answering');
      const retry = await submit(proxy.url, applicant, key);
      assert.equal(retry.status, 200);
      const answer = await readAnswer(retry);
      const again = await readAnswer(await submit(server.url, applicant, key));
      await assertStoredOnce(applicant, [answer, again]);
    } finally {
      await proxy.close();
    }
  });

  it('the server killed (SIGKILL) mid-submit and restarted on the same data: the retries end with one stored', async (t) => {
    const applicant = await prepareApplicant(server.url, sequence++);
    const key = randomUUID();
    const db = openServerDatabase();
    const answers: SubmissionReceipt[] = [];
    let diedHolding: string;
    try {
      const claimOf = db.prepare<[string], { state: string }>('select state from idempotency_keys where key = ?');
      const submissionOf = db.prepare<[string], { id: string }>('select id from submissions where idempotency_key = ?');
      const first = submit(server.url, applicant, key).then(
        (response) => response,
        () => undefined,
      );
      // Freeze the server the moment it has claimed the key, then kill it: it dies mid-submit,
      // between the claim and the commit unless it was quicker than this loop.
      let polls = 0;
      while (!claimOf.get(key)) {
        assert.ok(++polls < 200_000, 'the server never claimed the key');
        await tick();
      }
      server.process.kill('SIGSTOP');
      diedHolding = submissionOf.get(key) ? 'after the commit' : 'the claim, with nothing stored';
      await restart();
      // Usually the connection just dies; an answer that slipped out before the freeze must be the 201.
      const firstResponse = await first;
      if (firstResponse) {
        assert.equal(firstResponse.status, 201);
        answers.push(await readAnswer(firstResponse));
      }
    } finally {
      db.close();
    }
    t.diagnostic(`the server died holding ${diedHolding}`);

    const { answer, seen } = await retryUntilAnswered(server.url, applicant, key);
    t.diagnostic(`answers after the restart: ${seen.join(', ')}`);
    answers.push(answer);
    const replay = await submit(server.url, applicant, key);
    assert.equal(replay.status, 200);
    answers.push(await readAnswer(replay));
    await assertStoredOnce(applicant, answers);
  });

  it('a stale claim left by a dead server holds its key only until its lock runs out', async () => {
    const applicant = await prepareApplicant(server.url, sequence++);
    const key = randomUUID();
    // What a server killed between claiming and storing leaves behind (here with a 4 s lock, so the
    // first retry surely meets it), written straight into the server's database.
    const db = openServerDatabase();
    try {
      const now = Date.now();
      db.prepare(
        `insert into idempotency_keys (key, account_id, body_sha256, state, response, locked_until, claim_id, created_at)
         values (?, ?, ?, 'in_flight', null, ?, ?, ?)`,
      ).run(key, applicant.accountId, '0'.repeat(64), new Date(now + 4_000).toISOString(), randomUUID(), new Date(now).toISOString());
    } finally {
      db.close();
    }
    const blocked = await submit(server.url, applicant, key);
    assert.equal(blocked.status, 409);
    assert.equal(blocked.headers.get('retry-after'), '2');
    assert.deepEqual(await blocked.json(), { error: '该申请正在提交中，请稍后查看结果' });

    const { status, answer, seen } = await retryUntilAnswered(server.url, applicant, key);
    assert.equal(status, 201, `answers: ${seen.join(',')}`);
    await assertStoredOnce(applicant, [answer]);
  });

  it('the same submission 50 times at once: one stored, every answer 201, 200 or 409, one receipt', async () => {
    const applicant = await prepareApplicant(server.url, sequence++);
    const key = randomUUID();
    const answers = await submitAtOnce([server.url], applicant, key, 50);
    const retry = await submit(server.url, applicant, key);
    assert.equal(retry.status, 200);
    answers.push(await readAnswer(retry));
    await assertStoredOnce(applicant, answers);
  });

  it('every receipt verifies with the published public key, and not once a character is changed', async () => {
    const response = await fetch(`${server.url}/api/receipts/public-key`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'public, max-age=3600');
    const { keyId, algorithm, publicKey } = (await response.json()) as { keyId: string; algorithm: string; publicKey: string };
    assert.equal(algorithm, 'Ed25519');
    // Receipts from before the restarts too: the key is kept in the database, not made per process.
    assert.equal(receipts.length, 5);
    for (const receipt of receipts) {
      assert.equal(receipt.keyId, keyId);
      assert.equal(await verifyReceipt(receipt, publicKey), true);
      assert.equal(await verifyReceipt({ ...receipt, receiptNumber: changeLastDigit(receipt.receiptNumber) }, publicKey), false);
    }
  });
});
