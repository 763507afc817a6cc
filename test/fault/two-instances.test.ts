/**
 * Exactly-once across server instances: two real server processes on one throwaway PostgreSQL
 * (loopback), as a province behind a load balancer runs them. Nothing is shared but the database.
 *
 * Run from the project root: node --import tsx --test test/fault/*.test.ts (needs Debian's postgresql).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { verifyReceipt } from '../../shared/receipt-signature.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../postgres/throwaway-postgres.ts';
import { type RunningServer, startServer } from '../server-process.ts';
import { prepareApplicant } from './applicant.ts';
import type { SubmissionReceipt } from '../../shared/api/submissions.ts';
import {
  assertStoredOnce,
  changeLastDigit,
  ensureClientBuilt,
  readAnswer,
  retryUntilAnswered,
  submit,
  submitAtOnce,
} from './submission-client.ts';

describe('exactly-once across two server instances on one PostgreSQL', { timeout: 600_000 }, () => {
  let postgres: ThrowawayPostgres;
  let a: RunningServer;
  let b: RunningServer;
  let sequence = 0;

  before(async () => {
    ensureClientBuilt();
    postgres = await startThrowawayPostgres();
    const env = { DATABASE_URL: postgres.url, SUBMISSION_LOCK_SECONDS: '2' };
    // Started together: they must agree on one receipt signing key made on this fresh database.
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
  });

  after(async () => {
    await a?.stop();
    await b?.stop();
    postgres?.stop();
  });

  it('publishes one signing key from both instances, started together on a fresh database', async () => {
    const keyOf = async (server: RunningServer) => (await (await fetch(`${server.url}/api/receipts/public-key`)).json()) as unknown;
    assert.deepEqual(await keyOf(a), await keyOf(b));
  });

  it('stores once when 50 identical requests are spread over both instances, with one receipt', async () => {
    const applicant = await prepareApplicant(a.url, sequence++);
    const key = randomUUID();
    const answers = await submitAtOnce([a.url, b.url], applicant, key, 50);
    for (const server of [a, b]) {
      const replay = await submit(server.url, applicant, key);
      assert.equal(replay.status, 200);
      answers.push(await readAnswer(replay));
    }
    const receipt = await assertStoredOnce(b.url, applicant, answers);
    const { publicKey } = (await (await fetch(`${a.url}/api/receipts/public-key`)).json()) as { publicKey: string };
    assert.equal(await verifyReceipt(receipt, publicKey), true);
    assert.equal(await verifyReceipt({ ...receipt, receiptNumber: changeLastDigit(receipt.receiptNumber) }, publicKey), false);
  });

  it('lets the other instance finish a submission whose instance died holding the key', async (t) => {
    const applicant = await prepareApplicant(a.url, sequence++);
    const key = randomUUID();
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      const first = submit(a.url, applicant, key).then(
        (response) => response,
        () => undefined,
      );
      // Freeze instance A the moment it has claimed the key, then kill it.
      let polls = 0;
      while ((await client.query('select 1 from idempotency_keys where key = $1', [key])).rowCount === 0) {
        assert.ok(++polls < 20_000, 'instance A never claimed the key');
      }
      a.process.kill('SIGSTOP');
      const committed = (await client.query('select 1 from submissions where idempotency_key = $1', [key])).rowCount === 1;
      t.diagnostic(`instance A died ${committed ? 'after the commit' : 'holding the claim, with nothing stored'}`);
      await a.kill();
      const answers: SubmissionReceipt[] = [];
      const firstResponse = await first;
      if (firstResponse) {
        assert.equal(firstResponse.status, 201);
        answers.push(await readAnswer(firstResponse));
      }

      // The device retries; the load balancer now sends it to B, which takes the key over once A's lock runs out.
      const { answer, seen } = await retryUntilAnswered(b.url, applicant, key);
      t.diagnostic(`answers from B: ${seen.join(', ')}`);
      answers.push(answer);
      await assertStoredOnce(b.url, applicant, answers);
    } finally {
      await client.end();
    }
  });
});
