/**
 * Receipts signed as the server signs them (Ed25519 over the canonical payload), with a real key pair
 * made in the browser, and an in-memory Storage so tests leave the page's localStorage alone.
 */
import { receiptSigningPayload } from '../../shared/receipt-signature.ts';
import type { ReceiptRecord } from '../data/local-db.ts';
import type { ReceiptPublicKey } from '../data/receipt-verification.ts';

export const base64url = (bytes: ArrayBuffer) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');

export async function signedReceipt(keyId = '0123456789abcdef'): Promise<{ receipt: ReceiptRecord; key: ReceiptPublicKey }> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const publicKey = base64url(await crypto.subtle.exportKey('raw', pair.publicKey));
  const fields = {
    receiptNumber: 'JL20260105000001',
    submissionId: 'submission-1',
    submittedAt: '2026-01-05T01:00:00.000Z',
    bodySha256: 'ab'.repeat(32),
    keyId,
  };
  const signature = await crypto.subtle.sign('Ed25519', pair.privateKey, new TextEncoder().encode(receiptSigningPayload(fields)));
  return {
    receipt: {
      ...fields,
      accountId: 'a',
      status: 'submitted',
      summary: { name: '李明', enterpriseName: '示例工程监理有限公司', specialty1: '01', specialty2: '02' },
      signature: base64url(signature),
    },
    key: { keyId: fields.keyId, algorithm: 'Ed25519', publicKey },
  };
}

export function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (k) => map.get(k) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (k) => void map.delete(k),
    setItem: (k, v) => void map.set(k, String(v)),
  };
}
