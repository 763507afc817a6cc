import { Hono } from 'hono';
import { type ReceiptPublicKeyList, receiptPublicKeyListSchema, receiptPublicKeySchema } from '../../shared/api/receipts.ts';
import { RECEIPT_SIGNATURE_ALGORITHM } from '../../shared/receipt-signature.ts';
import type { Storage } from '../db/database.ts';
import { listSigningKeys } from '../db/server-keys-store.ts';
import { describeRoute } from '../openapi/describe-route.ts';
import { loadReceiptSigner, type ReceiptSignerSource, receiptSignerResolver } from './receipt-signer.ts';

// The signing key changes only on a rotation, after which devices find the receipt's key in the list.
const CACHE_CONTROL = 'public, max-age=3600';
// The list grows on a rotation; a device asks for it only when it meets a key it does not know.
const LIST_CACHE_CONTROL = 'public, max-age=60';

/** /api/receipts: the public keys that check receipts' signatures. No sign-in: they are public. */
export function receiptRoutes(storage: Storage, signer?: ReceiptSignerSource) {
  const signerNow = receiptSignerResolver(signer ?? (() => loadReceiptSigner(storage.db)));
  return new Hono()
    .get(
      '/public-key',
      describeRoute({
        operationId: 'getReceiptPublicKey',
        summary: '回执验签公钥',
        description:
          '当前签发受理回执所用的 Ed25519 公钥；无需登录，可缓存一小时。设备可保存它，离线验证回执。密钥更换后，旧回执的公钥见 /api/receipts/public-keys。',
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
    )
    .get(
      '/public-keys',
      describeRoute({
        operationId: 'listReceiptPublicKeys',
        summary: '全部回执验签公钥',
        description:
          '服务器用过的全部 Ed25519 公钥（含已停用的），按启用时间先后；无需登录，可缓存一分钟。回执的 keyId 不在设备已存的公钥中时，设备取此列表。',
        tags: ['申报'],
        security: 'public',
        responses: {
          200: {
            description: '公钥列表',
            schema: receiptPublicKeyListSchema,
            headers: { 'Cache-Control': { description: LIST_CACHE_CONTROL } },
          },
        },
      }),
      async (c) => {
        const current = await signerNow();
        const stored = await listSigningKeys(storage.db);
        const keys: ReceiptPublicKeyList['keys'] = stored
          .filter((key) => key.algorithm === RECEIPT_SIGNATURE_ALGORITHM)
          .map((key) => ({
            keyId: key.id,
            algorithm: RECEIPT_SIGNATURE_ALGORITHM,
            publicKey: key.publicRaw,
            createdAt: key.createdAt,
            active: key.id === current.keyId,
          }));
        // A signer handed in directly (not recorded in the database) is published all the same.
        if (!keys.some((key) => key.active)) {
          const { keyId, algorithm, publicKey } = current;
          keys.push({ keyId, algorithm, publicKey, createdAt: new Date().toISOString(), active: true });
        }
        c.header('Cache-Control', LIST_CACHE_CONTROL);
        return c.json({ keys }, 200);
      },
    );
}
