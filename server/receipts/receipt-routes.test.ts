import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import { verifyReceipt } from '../../shared/receipt-signature.ts';
import { openTestStorage, type TestStorage } from '../../test/support/route-fixtures.ts';
import { receiptRoutes } from './receipt-routes.ts';
import { rotateSigningKey } from '../db/server-keys-store.ts';
import { loadReceiptSigner, receiptSignerFor, watchReceiptSigner } from './receipt-signer.ts';
import { newStoredSigningKey } from './signing-key.ts';

describe('GET /api/receipts/public-key and /public-keys', () => {
  let test: TestStorage;

  before(async () => {
    test = await openTestStorage();
  });

  after(() => test?.cleanup());

  it('publishes the database key with which receipts are signed, cacheable for an hour, to anyone', async () => {
    const app = new Hono().route('/api/receipts', receiptRoutes(test.storage));
    const res = await app.request('/api/receipts/public-key');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=3600');
    const body = (await res.json()) as { keyId: string; algorithm: string; publicKey: string };
    assert.deepEqual(Object.keys(body).sort(), ['algorithm', 'keyId', 'publicKey']);
    assert.equal(body.algorithm, 'Ed25519');
    assert.equal(Buffer.from(body.publicKey, 'base64url').byteLength, 32);

    // What the submission routes sign with (loaded separately) checks against what is published.
    const signer = await loadReceiptSigner(test.storage.db);
    assert.equal(body.keyId, signer.keyId);
    const receipt = signer.sign({
      receiptNumber: 'JL20260301000001',
      submissionId: 'id',
      submittedAt: '2026-03-01T00:00:00.000Z',
      bodySha256: '0'.repeat(64),
    });
    assert.equal(await verifyReceipt(receipt, body.publicKey), true);
  });

  it('publishes a configured key instead', async () => {
    const signer = receiptSignerFor(generateKeyPairSync('ed25519').privateKey);
    const app = new Hono().route('/api/receipts', receiptRoutes(test.storage, signer));
    const body = (await (await app.request('/api/receipts/public-key')).json()) as { keyId: string; publicKey: string };
    assert.deepEqual(body, { keyId: signer.keyId, algorithm: 'Ed25519', publicKey: signer.publicKey });
  });

  it('after a rotation publishes the new key as the signing one, and every earlier key by its id', async () => {
    const watch = await watchReceiptSigner(test.storage.db, { checkEveryMs: 3_600_000 });
    try {
      const app = new Hono().route('/api/receipts', receiptRoutes(test.storage, watch));
      const old = await watch.signer();
      const oldReceipt = old.sign({ receiptNumber: 'JL20260301000002', submissionId: 'id', submittedAt: '2026-03-01T00:00:00.000Z', bodySha256: '1'.repeat(64) });
      const rotated = await rotateSigningKey(test.storage.db, newStoredSigningKey());
      await watch.check();

      const current = (await (await app.request('/api/receipts/public-key')).json()) as { keyId: string };
      assert.equal(current.keyId, rotated.id);

      const res = await app.request('/api/receipts/public-keys');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('cache-control'), 'public, max-age=60');
      const { keys } = (await res.json()) as { keys: { keyId: string; algorithm: string; publicKey: string; createdAt: string; active: boolean }[] };
      assert.deepEqual(Object.keys(keys[0]!).sort(), ['active', 'algorithm', 'createdAt', 'keyId', 'publicKey']);
      assert.deepEqual(
        keys.filter((k) => k.active).map((k) => k.keyId),
        [rotated.id],
      );
      const oldKey = keys.find((k) => k.keyId === oldReceipt.keyId);
      assert.ok(oldKey, 'the retired key is still published');
      assert.equal(await verifyReceipt(oldReceipt, oldKey.publicKey), true);
      assert.ok(keys.every((k) => !JSON.stringify(k).includes('private')));
    } finally {
      watch.stop();
    }
  });

  it('lists a signer handed in directly as the signing key, even if the database does not know it', async () => {
    const signer = receiptSignerFor(generateKeyPairSync('ed25519').privateKey);
    const app = new Hono().route('/api/receipts', receiptRoutes(test.storage, signer));
    const { keys } = (await (await app.request('/api/receipts/public-keys')).json()) as { keys: { keyId: string; active: boolean }[] };
    assert.deepEqual(
      keys.filter((k) => k.active).map((k) => k.keyId),
      [signer.keyId],
    );
    assert.ok(keys.length >= 3, 'the database keys are listed too');
  });
});
