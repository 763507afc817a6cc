import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import { verifyReceipt } from '../../shared/receipt-signature.ts';
import { openTestStorage, type TestStorage } from '../../test/support/route-fixtures.ts';
import { receiptRoutes } from './receipt-routes.ts';
import { loadReceiptSigner, receiptSignerFor } from './receipt-signer.ts';

describe('GET /api/receipts/public-key', () => {
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
});
