import { createPrivateKey, type KeyObject, sign } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  RECEIPT_SIGNATURE_ALGORITHM,
  type Receipt,
  type SignedReceipt,
  receiptSigningPayload,
} from '../../shared/receipt-signature.ts';
import type { Database } from '../db/schema.ts';
import { ensureSigningKey } from '../db/server-keys-store.ts';
import { newStoredSigningKey, rawPublicKeyOf, signingKeyId } from './signing-key.ts';

/** Signs receipts with one Ed25519 key and tells which one (GET /api/receipts/public-key). */
export interface ReceiptSigner {
  readonly keyId: string;
  readonly algorithm: typeof RECEIPT_SIGNATURE_ALGORITHM;
  /** Raw 32-byte public key, base64url. */
  readonly publicKey: string;
  /** Ed25519 is deterministic: the same receipt always gets the same signature. */
  sign(receipt: Omit<Receipt, 'keyId'>): SignedReceipt;
}

export function receiptSignerFor(privateKey: KeyObject): ReceiptSigner {
  const publicKey = rawPublicKeyOf(privateKey);
  const keyId = signingKeyId(publicKey);
  return {
    keyId,
    algorithm: RECEIPT_SIGNATURE_ALGORITHM,
    publicKey,
    sign(fields) {
      const receipt: Receipt = {
        receiptNumber: fields.receiptNumber,
        submissionId: fields.submissionId,
        submittedAt: fields.submittedAt,
        bodySha256: fields.bodySha256,
        keyId,
      };
      const signature = sign(null, Buffer.from(receiptSigningPayload(receipt), 'utf8'), privateKey).toString('base64url');
      return { ...receipt, signature };
    },
  };
}

/**
 * The configured key (RECEIPT_SIGNING_KEY, parsed by config.ts) if there is one; otherwise the key
 * kept in the database, made on the first start. Every instance on one database gets the same key.
 */
export async function loadReceiptSigner(db: Kysely<Database>, configured?: KeyObject): Promise<ReceiptSigner> {
  if (configured) return receiptSignerFor(configured);
  const stored = await ensureSigningKey(db, RECEIPT_SIGNATURE_ALGORITHM, newStoredSigningKey);
  return receiptSignerFor(createPrivateKey({ key: Buffer.from(stored.privatePkcs8, 'base64'), format: 'der', type: 'pkcs8' }));
}

/** What routes take: a signer, or the way to get one on first use (the database's key by default). */
export type ReceiptSignerSource = ReceiptSigner | (() => Promise<ReceiptSigner>);

/** Resolves a source once and keeps the signer; a failed load is tried again on the next call. */
export function receiptSignerResolver(source: ReceiptSignerSource): () => Promise<ReceiptSigner> {
  if (typeof source !== 'function') return () => Promise.resolve(source);
  let loading: Promise<ReceiptSigner> | undefined;
  return () => {
    loading ??= source().catch((err: unknown) => {
      loading = undefined;
      throw err;
    });
    return loading;
  };
}
