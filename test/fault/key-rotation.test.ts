/**
 * Receipt key rotation with two server instances on one PostgreSQL: `npm run keys -- rotate` is run
 * against the database while both serve; both switch to the new key, and a receipt signed before still
 * verifies with the key both go on publishing.
 *
 * Run from the project root: node --import tsx --test test/fault/key-rotation.test.ts (needs Debian's postgresql).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { verifyReceipt } from '../../shared/receipt-signature.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../postgres/throwaway-postgres.ts';
import { type RunningServer, startServer } from '../server-process.ts';
import { prepareApplicant } from './applicant.ts';
import { ensureClientBuilt, readAnswer, submit } from './submission-client.ts';

const run = promisify(execFile);

interface PublishedKey {
  keyId: string;
  publicKey: string;
  active: boolean;
}

const getJson = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;

describe('receipt key rotation across two server instances on one PostgreSQL', { timeout: 300_000 }, () => {
  let postgres: ThrowawayPostgres;
  let a: RunningServer;
  let b: RunningServer;

  before(async () => {
    ensureClientBuilt();
    postgres = await startThrowawayPostgres();
    const env = { DATABASE_URL: postgres.url, RECEIPT_KEY_CHECK_SECONDS: '1' };
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
  });

  after(async () => {
    await a?.stop();
    await b?.stop();
    postgres?.stop();
  });

  it('both instances sign with the rotated key within their check interval; the earlier receipt still verifies', async () => {
    const before = await readAnswer(await submit(a.url, await prepareApplicant(a.url, 0), randomUUID()));

    const { stdout } = await run('npm', ['run', '--silent', 'keys', '--', 'rotate'], {
      env: { ...process.env, DATABASE_URL: postgres.url, RECEIPT_SIGNING_KEY: '' },
    });
    const newKeyId = /新的回执签名密钥：([0-9a-f]{16})/.exec(stdout)?.[1];
    assert.ok(newKeyId && newKeyId !== before.receipt.keyId, stdout);

    for (const server of [a, b]) {
      let current = '';
      for (let round = 0; round < 150 && current !== newKeyId; round++) {
        current = (await getJson<{ keyId: string }>(`${server.url}/api/receipts/public-key`)).keyId;
        if (current !== newKeyId) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(current, newKeyId, `${server.url} took up the new key`);
    }

    const after = await readAnswer(await submit(b.url, await prepareApplicant(b.url, 1), randomUUID()));
    assert.equal(after.receipt.keyId, newKeyId);

    for (const server of [a, b]) {
      const { keys } = await getJson<{ keys: PublishedKey[] }>(`${server.url}/api/receipts/public-keys`);
      const byId = new Map(keys.map((key) => [key.keyId, key]));
      assert.deepEqual(
        keys.filter((key) => key.active).map((key) => key.keyId),
        [newKeyId],
      );
      assert.equal(await verifyReceipt(before.receipt, byId.get(before.receipt.keyId)?.publicKey ?? ''), true, 'the retired key is published');
      assert.equal(await verifyReceipt(after.receipt, byId.get(newKeyId)?.publicKey ?? ''), true);
    }

    const { stdout: listing } = await run('npm', ['run', '--silent', 'keys', '--', 'list'], {
      env: { ...process.env, DATABASE_URL: postgres.url, RECEIPT_SIGNING_KEY: '' },
    });
    const lines = listing.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, new RegExp(`^${before.receipt.keyId}  \\S+  已停用 `));
    assert.match(lines[1]!, new RegExp(`^${newKeyId}  \\S+  签发中$`));
  });
});
