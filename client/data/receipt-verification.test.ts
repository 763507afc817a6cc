import { expect } from '@esm-bundle/chai';
import { receiptSigningPayload } from '../../shared/receipt-signature.ts';
import type { ReceiptRecord } from './local-db.ts';
import { checkReceiptSignature, RECEIPT_KEY_STORAGE_KEY, type ReceiptPublicKey } from './receipt-verification.ts';

const base64url = (bytes: ArrayBuffer) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');

/** A real Ed25519 key pair, and a receipt signed with it as the server would. */
async function signedReceipt(): Promise<{ receipt: ReceiptRecord; key: ReceiptPublicKey }> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const publicKey = base64url(await crypto.subtle.exportKey('raw', pair.publicKey));
  const fields = {
    receiptNumber: 'JL20260105000001',
    submissionId: 'submission-1',
    submittedAt: '2026-01-05T01:00:00.000Z',
    bodySha256: 'ab'.repeat(32),
    keyId: '0123456789abcdef',
  };
  const signature = await crypto.subtle.sign('Ed25519', pair.privateKey, new TextEncoder().encode(receiptSigningPayload(fields)));
  return {
    receipt: {
      ...fields,
      accountId: 'a',
      status: 'submitted',
      summary: { name: '李明', enterpriseName: '示例', specialty1: '01', specialty2: '02' },
      signature: base64url(signature),
    },
    key: { keyId: fields.keyId, algorithm: 'Ed25519', publicKey },
  };
}

/** An in-memory Storage, so the test leaves the page's localStorage alone. */
function memoryStorage(): Storage {
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

describe('receipt verification', () => {
  it('verifies with the fetched key, keeps it, and verifies again offline', async () => {
    const { receipt, key } = await signedReceipt();
    const storage = memoryStorage();
    let fetches = 0;
    const fetchPublicKey = async () => {
      fetches += 1;
      return key;
    };
    expect(await checkReceiptSignature(receipt, { storage, fetchPublicKey })).to.equal('verified');
    expect(storage.getItem(RECEIPT_KEY_STORAGE_KEY)).to.contain(key.publicKey);
    const offline = async () => undefined;
    expect(await checkReceiptSignature(receipt, { storage, fetchPublicKey: offline })).to.equal('verified');
    expect(fetches).to.equal(1);
  });

  it('says 联网后验证 offline with no key yet, and 无 for an unsigned receipt', async () => {
    const { receipt } = await signedReceipt();
    const storage = memoryStorage();
    expect(await checkReceiptSignature(receipt, { storage, fetchPublicKey: async () => undefined })).to.equal('needs-network');
    const { signature: _s, keyId: _k, ...unsigned } = receipt;
    expect(await checkReceiptSignature(unsigned, { storage })).to.equal('unsigned');
  });

  it('catches a receipt changed on the device', async () => {
    const { receipt, key } = await signedReceipt();
    const changed = { ...receipt, receiptNumber: 'JL20260105000002' };
    expect(await checkReceiptSignature(changed, { storage: memoryStorage(), fetchPublicKey: async () => key })).to.equal('invalid');
  });

  it('tells a receipt signed with a key the server no longer offers', async () => {
    const { receipt, key } = await signedReceipt();
    const other = { ...key, keyId: 'fedcba9876543210' };
    expect(await checkReceiptSignature(receipt, { storage: memoryStorage(), fetchPublicKey: async () => other })).to.equal('unknown-key');
  });
});
