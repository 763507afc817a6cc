import { Hono } from 'hono';
import type { Storage } from '../db/database.ts';
import { loadReceiptSigner, type ReceiptSignerSource, receiptSignerResolver } from './receipt-signer.ts';

/** /api/receipts: the public key that checks every receipt's signature. No sign-in: it is public. */
export function receiptRoutes(storage: Storage, signer?: ReceiptSignerSource) {
  const signerNow = receiptSignerResolver(signer ?? (() => loadReceiptSigner(storage.db)));
  return new Hono().get('/public-key', async (c) => {
    const { keyId, algorithm, publicKey } = await signerNow();
    // The key changes only with a new deployment's configuration; an hour of caching is harmless.
    c.header('Cache-Control', 'public, max-age=3600');
    return c.json({ keyId, algorithm, publicKey }, 200);
  });
}
