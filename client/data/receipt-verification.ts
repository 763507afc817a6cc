/**
 * Checks the server's signature on a receipt kept on the device. The server's public keys (every one
 * it has signed with, across key rotations) are fetched when a receipt names a key not kept yet, and
 * kept in localStorage by key id, so a receipt can be checked later with no network.
 */
import * as v from 'valibot';
import { type ReceiptPublicKey, receiptPublicKeyListSchema, receiptPublicKeySchema } from '../../shared/api/receipts.ts';
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
  /** GET /api/receipts/public-keys: every key the server has signed with; undefined when there is no answer. */
  fetchPublicKeys?: () => Promise<readonly ReceiptPublicKey[] | undefined>;
  /** Where the key is kept (default localStorage). */
  storage?: Storage;
  /** Default verifyOnThisDevice; a rejection means the check could not run here, not a changed receipt. */
  verify?: (receipt: SignedReceipt, publicKey: string) => Promise<boolean>;
}

const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));

// RFC 8032, section 7.1, TEST 1 (the empty message): a signature every Ed25519 verifier accepts.
const PROBE_PUBLIC_KEY = fromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
const PROBE_SIGNATURE = fromHex(
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
);

/**
 * Whether this browser's WebCrypto verifies Ed25519. Chromium before 137 and older WebViews refuse the
 * algorithm; outside HTTPS there is no crypto.subtle. Asked each time: it costs less than the check itself.
 */
export async function webCryptoVerifiesEd25519(): Promise<boolean> {
  try {
    const subtle = globalThis.crypto?.subtle;
    if (!subtle) return false;
    const key = await subtle.importKey('raw', PROBE_PUBLIC_KEY, { name: 'Ed25519' }, false, ['verify']);
    return await subtle.verify('Ed25519', key, PROBE_SIGNATURE, new Uint8Array(0));
  } catch {
    return false;
  }
}

/** WebCrypto where it can; elsewhere @noble/ed25519, fetched only then (rejects if it cannot be fetched). */
export async function verifyOnThisDevice(receipt: SignedReceipt, publicKey: string): Promise<boolean> {
  if (await webCryptoVerifiesEd25519()) return verifyReceipt(receipt, publicKey);
  const { verifyReceiptWithNoble } = await import('./noble-receipt-signature.ts');
  return verifyReceiptWithNoble(receipt, publicKey);
}

/**
 * Where WebCrypto lacks Ed25519, fetches the fallback verifier while there is a network (the service
 * worker keeps it): a receipt first shown with none (sent by Background Sync, the app opened later
 * offline) is then still checked on this phone.
 */
export async function keepVerifierAhead(): Promise<void> {
  if (!(await webCryptoVerifiesEd25519())) await import('./noble-receipt-signature.ts');
}

const isPublicKey = (value: unknown): value is ReceiptPublicKey => v.is(receiptPublicKeySchema, value);

async function fetchFromServer(): Promise<readonly ReceiptPublicKey[] | undefined> {
  const result = await readAnswer(api.receipts['public-keys'].$get(), receiptPublicKeyListSchema);
  return result.ok ? result.data.keys : undefined;
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

function keep(storage: Storage | undefined, keys: readonly ReceiptPublicKey[]) {
  const added = Object.fromEntries(keys.map(({ keyId, algorithm, publicKey }) => [keyId, { keyId, algorithm, publicKey }]));
  try {
    storage?.setItem(RECEIPT_KEY_STORAGE_KEY, JSON.stringify({ ...storedKeys(storage), ...added }));
  } catch {
    // Not kept: fetched again next time.
  }
}

/**
 * Fetches and keeps the published keys before there is a receipt to check (nothing when some are kept
 * already): the receipt shown right after 下一步 is then checked with no further round trip.
 */
export async function keepPublishedKeysAhead(deps: Pick<ReceiptVerificationDeps, 'fetchPublicKeys' | 'storage'> = {}): Promise<void> {
  const storage = deps.storage ?? defaultStorage();
  if (Object.keys(storedKeys(storage)).length > 0) return;
  const published = await (deps.fetchPublicKeys ?? fetchFromServer)().catch(() => undefined);
  if (published) keep(storage, published);
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
    // A key not kept yet: a first receipt, or one signed after (or, on a new device, before) a rotation.
    const published = await (deps.fetchPublicKeys ?? fetchFromServer)().catch(() => undefined);
    if (published) {
      fetched = true;
      keep(storage, published);
      key = published.find((candidate) => candidate.keyId === signed.keyId);
    }
  }
  if (!key) return fetched ? 'unknown-key' : 'needs-network';
  const verify = deps.verify ?? verifyOnThisDevice;
  const valid = await verify(signed, key.publicKey).catch(() => undefined);
  // The checker itself could not be fetched (offline, not yet cached): the receipt is not to blame.
  if (valid === undefined) return 'needs-network';
  return valid ? 'verified' : 'invalid';
}
