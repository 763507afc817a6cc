import { canonicalJson } from './canonical-json.ts';

/**
 * The receipt the server signs when it accepts a submission, and its check. WebCrypto only, so the
 * same code verifies on the device (offline, from the stored public key) and in Node.
 */

/** What the signature covers. */
export interface Receipt {
  /** 申请编号 (receipt number), e.g. JL20260101123456. */
  receiptNumber: string;
  submissionId: string;
  /** When the server accepted the submission (ISO 8601, UTC). */
  submittedAt: string;
  /** SHA-256 (hex) of the canonical JSON of the stored application. */
  bodySha256: string;
  /** Which signing key: the first 16 hex digits of the SHA-256 of its raw public key. */
  keyId: string;
}

export interface SignedReceipt extends Receipt {
  /** Ed25519 signature (base64url) over the UTF-8 bytes of `receiptSigningPayload(receipt)`. */
  signature: string;
}

export const RECEIPT_SIGNATURE_ALGORITHM = 'Ed25519';

/**
 * The exact text that is signed: canonical JSON of the receipt's own fields. Only those fields are
 * taken, so a device may keep the receipt alongside other data without breaking the check.
 */
export function receiptSigningPayload(receipt: Receipt): string {
  const { receiptNumber, submissionId, submittedAt, bodySha256, keyId } = receipt;
  return canonicalJson({ receiptNumber, submissionId, submittedAt, bodySha256, keyId });
}

/** base64url (padding optional) to bytes; undefined for anything else. */
export function fromBase64url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) return undefined;
  const base64 = text.replace(/=+$/, '').replaceAll('-', '+').replaceAll('_', '/');
  try {
    const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
    return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/**
 * Whether `receipt.signature` is a valid Ed25519 signature of the receipt under the public key
 * (raw 32 bytes, base64url, as GET /api/receipts/public-key gives it). False for any malformed input;
 * it never throws for a bad receipt.
 */
export async function verifyReceipt(receipt: SignedReceipt, publicKeyBase64url: string): Promise<boolean> {
  const publicKey = fromBase64url(publicKeyBase64url);
  const signature = typeof receipt.signature === 'string' ? fromBase64url(receipt.signature) : undefined;
  if (publicKey?.byteLength !== 32 || signature?.byteLength !== 64) return false;
  try {
    const payload = new TextEncoder().encode(receiptSigningPayload(receipt));
    const key = await crypto.subtle.importKey('raw', publicKey, { name: RECEIPT_SIGNATURE_ALGORITHM }, false, ['verify']);
    return await crypto.subtle.verify(RECEIPT_SIGNATURE_ALGORITHM, key, signature, payload);
  } catch {
    // A field that is not JSON-safe, or a key the platform refuses: not a valid receipt either way.
    return false;
  }
}
