import { createPrivateKey, type KeyObject, sign } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  RECEIPT_SIGNATURE_ALGORITHM,
  type Receipt,
  type SignedReceipt,
  receiptSigningPayload,
} from '../../shared/receipt-signature.ts';
import type { Database } from '../db/schema.ts';
import { errorFields, logger } from '../observability/logger.ts';
import {
  activeSigningKeyId,
  ensureSigningKey,
  findActiveSigningKey,
  recordConfiguredKey,
  type StoredSigningKey,
} from '../db/server-keys-store.ts';
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
 * The configured key (RECEIPT_SIGNING_KEY, parsed by config.ts) if there is one, its public half
 * recorded in the database so it stays published after the configuration names another key;
 * otherwise the database's signing key, made on the first start. Every instance on one database
 * gets the same key.
 */
export async function loadReceiptSigner(db: Kysely<Database>, configured?: KeyObject): Promise<ReceiptSigner> {
  if (configured) {
    const signer = receiptSignerFor(configured);
    await recordConfiguredKey(db, { id: signer.keyId, algorithm: signer.algorithm, publicRaw: signer.publicKey });
    return signer;
  }
  const stored = await ensureSigningKey(db, RECEIPT_SIGNATURE_ALGORITHM, newStoredSigningKey);
  return signerOfStored(stored);
}

function signerOfStored(stored: StoredSigningKey): ReceiptSigner {
  return receiptSignerFor(createPrivateKey({ key: Buffer.from(stored.privatePkcs8, 'base64'), format: 'der', type: 'pkcs8' }));
}

/** How often a running instance looks for a rotated key by default (RECEIPT_KEY_CHECK_SECONDS). */
export const RECEIPT_KEY_CHECK_MS = 60_000;

export interface ReceiptSignerWatch {
  /** The signer now: never waits on the database, so it is safe inside a transaction. */
  signer: () => Promise<ReceiptSigner>;
  /** Looks for a rotated key at once (the timer does it every `checkEveryMs`). */
  check(): Promise<void>;
  stop(): void;
}

/**
 * The signer of a running instance. A configured key never changes while it runs. The database's
 * key may be rotated by `npm run keys -- rotate` from another process: every `checkEveryMs` the
 * instance reads the signing key's id (one small query) and, if it changed, loads the new key. So
 * instances sign with the old key for at most that long after a rotation; receipts signed so stay
 * valid, as every earlier public key stays published.
 */
export async function watchReceiptSigner(
  db: Kysely<Database>,
  options: { configured?: KeyObject | undefined; checkEveryMs?: number } = {},
): Promise<ReceiptSignerWatch> {
  let current = await loadReceiptSigner(db, options.configured);
  const signer = () => Promise.resolve(current);
  if (options.configured) return { signer, check: () => Promise.resolve(), stop() {} };
  const check = async () => {
    const id = await activeSigningKeyId(db, RECEIPT_SIGNATURE_ALGORITHM);
    if (id === current.keyId) return;
    const stored = await findActiveSigningKey(db, RECEIPT_SIGNATURE_ALGORITHM);
    if (stored) current = signerOfStored(stored);
  };
  // One check at a time: a slow database must not pile them up.
  let checking = false;
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    check()
      .catch((err: unknown) => {
        // Keep signing with the key in hand; the next round tries again.
        logger.error(errorFields(err), '回执签名密钥检查失败');
      })
      .finally(() => {
        checking = false;
      });
  }, options.checkEveryMs ?? RECEIPT_KEY_CHECK_MS);
  // The check alone must not keep the process alive.
  timer.unref();
  return { signer, check, stop: () => clearInterval(timer) };
}

/**
 * What routes take: a signer, the way to get one on first use (the database's key by default), or a
 * running instance's watch, which follows rotations.
 */
export type ReceiptSignerSource = ReceiptSigner | ReceiptSignerWatch | (() => Promise<ReceiptSigner>);

/** Resolves a lazy source once and keeps the signer; a failed load is tried again on the next call. */
export function receiptSignerResolver(source: ReceiptSignerSource): () => Promise<ReceiptSigner> {
  if (typeof source !== 'function') return 'signer' in source ? source.signer : () => Promise.resolve(source);
  let loading: Promise<ReceiptSigner> | undefined;
  return () => {
    loading ??= source().catch((err: unknown) => {
      loading = undefined;
      throw err;
    });
    return loading;
  };
}
