import { Hono } from 'hono';
import { receiptPublicKeySchema } from '../../shared/api/receipts.ts';
import type { Storage } from '../db/database.ts';
import { describeRoute } from '../openapi/describe-route.ts';
import { loadReceiptSigner, type ReceiptSignerSource, receiptSignerResolver } from './receipt-signer.ts';

// The key changes only with a new deployment's configuration; an hour of caching is harmless.
const CACHE_CONTROL = 'public, max-age=3600';

/** /api/receipts: the public key that checks every receipt's signature. No sign-in: it is public. */
export function receiptRoutes(storage: Storage, signer?: ReceiptSignerSource) {
  const signerNow = receiptSignerResolver(signer ?? (() => loadReceiptSigner(storage.db)));
  return new Hono().get(
    '/public-key',
    describeRoute({
      operationId: 'getReceiptPublicKey',
      summary: '回执验签公钥',
      description: '验证受理回执签名所用的 Ed25519 公钥；无需登录，可缓存一小时。设备可保存它，离线验证回执。',
      tags: ['申报'],
      security: 'public',
      responses: {
        200: { description: '公钥', schema: receiptPublicKeySchema, headers: { 'Cache-Control': { description: CACHE_CONTROL } } },
      },
    }),
    async (c) => {
      const { keyId, algorithm, publicKey } = await signerNow();
      c.header('Cache-Control', CACHE_CONTROL);
      return c.json({ keyId, algorithm, publicKey }, 200);
    },
  );
}
