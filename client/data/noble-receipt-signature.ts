/**
 * The receipt check for browsers whose WebCrypto refuses Ed25519 or has no crypto.subtle at all
 * (Chromium before 137, older WebViews, a page not served over HTTPS). Imported dynamically, only
 * there, so every other browser never downloads it.
 */
import { hashes, verify } from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import { fromBase64url, receiptSigningPayload, type SignedReceipt } from '../../shared/receipt-signature.ts';

// noble's default SHA-512 is crypto.subtle's, which may be missing too.
hashes.sha512 = sha512;

/** Same answers as verifyReceipt in shared/receipt-signature.ts: false for anything malformed, never throws. */
export function verifyReceiptWithNoble(receipt: SignedReceipt, publicKeyBase64url: string): boolean {
  const publicKey = fromBase64url(publicKeyBase64url);
  const signature = typeof receipt.signature === 'string' ? fromBase64url(receipt.signature) : undefined;
  if (!publicKey || !signature) return false;
  try {
    const payload = new TextEncoder().encode(receiptSigningPayload(receipt));
    // RFC 8032 rules, as WebCrypto applies them, rather than noble's more lenient ZIP-215 default.
    return verify(signature, payload, publicKey, { zip215: false });
  } catch {
    // Wrong lengths, or a field that is not JSON-safe.
    return false;
  }
}
