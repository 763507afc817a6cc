/**
 * Checks the server's signature on a receipt kept on the device. The public key is fetched once and
 * kept in localStorage, so a receipt can be checked later with no network.
 */
import * as v from 'valibot';
import { type ReceiptPublicKey, receiptPublicKeySchema } from '../../shared/api/receipts.ts';
import { type SignedReceipt, verifyReceipt } from '../../shared/receipt-signature.ts';
import { api, readAnswer } from '../net/api-client.ts';
import type { ReceiptRecord } from './local-db.ts';

export type { ReceiptPublicKey };

export type ReceiptSignatureState = 'verified' | 'invalid' | 'needs-network' | 'unknown-key' | 'unsigned';

export const RECEIPT_SIGNATURE_TEXT: Record<ReceiptSignatureState, string> = {
  verified: '回执签名：已验证',
  invalid: '回执签名：验证未通过，此回执可能已被改动',
  'needs-network': '回执签名：联网后验证',
  'unknown-key': '回执签名：签名密钥已更换，无法在本机验证',
  unsigned: '回执签名：无',
};

export const RECEIPT_KEY_STORAGE_KEY = 'jl.receipt-public-key';

export interface ReceiptVerificationDeps {
  /** GET /api/receipts/public-key; undefined when there is no answer. */
  fetchPublicKey?: () => Promise<ReceiptPublicKey | undefined>;
  /** Where the key is kept (default localStorage). */
  storage?: Storage;
  verify?: (receipt: SignedReceipt, publicKey: string) => Promise<boolean>;
}

const isPublicKey = (value: unknown): value is ReceiptPublicKey => v.is(receiptPublicKeySchema, value);

async function fetchFromServer(): Promise<ReceiptPublicKey | undefined> {
  const result = await readAnswer(api.receipts['public-key'].$get(), receiptPublicKeySchema);
  return result.ok ? result.data : undefined;
}

function defaultStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/** Every key seen, by keyId: a receipt signed before a key change can still be checked. */
function storedKeys(storage: Storage | undefined): Record<string, ReceiptPublicKey> {
  try {
    const raw = storage?.getItem(RECEIPT_KEY_STORAGE_KEY);
    const value: unknown = raw ? JSON.parse(raw) : undefined;
    if (typeof value !== 'object' || value === null) return {};
    return Object.fromEntries(Object.entries(value).filter(([id, key]) => isPublicKey(key) && key.keyId === id));
  } catch {
    return {};
  }
}

function keep(storage: Storage | undefined, key: ReceiptPublicKey) {
  try {
    storage?.setItem(RECEIPT_KEY_STORAGE_KEY, JSON.stringify({ ...storedKeys(storage), [key.keyId]: key }));
  } catch {
    // Not kept: fetched again next time.
  }
}

/** The receipt's signed fields, as shared/receipt-signature.ts checks them. */
export function signedReceiptOf(receipt: ReceiptRecord): SignedReceipt | undefined {
  if (!receipt.signature || !receipt.keyId) return undefined;
  const { receiptNumber, submissionId, submittedAt, bodySha256, keyId, signature } = receipt;
  return { receiptNumber, submissionId, submittedAt, bodySha256, keyId, signature };
}

export async function checkReceiptSignature(
  receipt: ReceiptRecord,
  deps: ReceiptVerificationDeps = {},
): Promise<ReceiptSignatureState> {
  const signed = signedReceiptOf(receipt);
  if (!signed) return 'unsigned';
  const storage = deps.storage ?? defaultStorage();
  let key = storedKeys(storage)[signed.keyId];
  let fetched = false;
  if (!key) {
    const current = await (deps.fetchPublicKey ?? fetchFromServer)().catch(() => undefined);
    if (current) {
      fetched = true;
      keep(storage, current);
      if (current.keyId === signed.keyId) key = current;
    }
  }
  if (!key) return fetched ? 'unknown-key' : 'needs-network';
  const verify = deps.verify ?? verifyReceipt;
  const valid = await verify(signed, key.publicKey).catch(() => false);
  return valid ? 'verified' : 'invalid';
}
