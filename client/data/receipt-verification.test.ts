import { expect } from 'chai';
import { verifyReceipt } from '../../shared/receipt-signature.ts';
import { checkReceiptSignature, keepPublishedKeysAhead, RECEIPT_KEY_STORAGE_KEY, webCryptoVerifiesEd25519 } from './receipt-verification.ts';
import { verifyReceiptWithNoble } from './noble-receipt-signature.ts';
import { memoryStorage, signedReceipt } from '../test-support/signed-receipts.ts';
import { refuseEd25519, removeSubtleCrypto } from '../test-support/webcrypto-refusals.ts';

describe('receipt verification', () => {
  it('verifies with the fetched key, keeps it, and verifies again offline', async () => {
    const { receipt, key } = await signedReceipt();
    const storage = memoryStorage();
    let fetches = 0;
    const fetchPublicKeys = async () => {
      fetches += 1;
      return [key];
    };
    expect(await checkReceiptSignature(receipt, { storage, fetchPublicKeys })).to.equal('verified');
    expect(storage.getItem(RECEIPT_KEY_STORAGE_KEY)).to.contain(key.publicKey);
    const offline = async () => undefined;
    expect(await checkReceiptSignature(receipt, { storage, fetchPublicKeys: offline })).to.equal('verified');
    expect(fetches).to.equal(1);
  });

  it('keeps the published keys ahead of a first receipt, which then verifies offline; asks once only', async () => {
    const { receipt, key } = await signedReceipt();
    const storage = memoryStorage();
    await keepPublishedKeysAhead({ storage, fetchPublicKeys: async () => Promise.reject(new TypeError('Failed to fetch')) });
    expect(storage.getItem(RECEIPT_KEY_STORAGE_KEY)).to.equal(null);
    let fetches = 0;
    const fetchPublicKeys = async () => {
      fetches += 1;
      return [key];
    };
    await keepPublishedKeysAhead({ storage, fetchPublicKeys });
    await keepPublishedKeysAhead({ storage, fetchPublicKeys });
    expect(fetches).to.equal(1);
    expect(await checkReceiptSignature(receipt, { storage, fetchPublicKeys: async () => undefined })).to.equal('verified');
  });

  it('says 联网后验证 offline with no key yet, and 无 for an unsigned receipt', async () => {
    const { receipt } = await signedReceipt();
    const storage = memoryStorage();
    expect(await checkReceiptSignature(receipt, { storage, fetchPublicKeys: async () => undefined })).to.equal('needs-network');
    const { signature: _s, keyId: _k, ...unsigned } = receipt;
    expect(await checkReceiptSignature(unsigned, { storage })).to.equal('unsigned');
  });

  it('catches a receipt changed on the device', async () => {
    const { receipt, key } = await signedReceipt();
    const changed = { ...receipt, receiptNumber: 'JL20260105000002' };
    expect(await checkReceiptSignature(changed, { storage: memoryStorage(), fetchPublicKeys: async () => [key] })).to.equal('invalid');
  });

  it('tells a receipt signed with a key the server does not publish, only after asking for its keys', async () => {
    const { receipt, key } = await signedReceipt();
    const other = { ...key, keyId: 'fedcba9876543210' };
    let fetches = 0;
    const fetchPublicKeys = async () => {
      fetches += 1;
      return [other];
    };
    expect(await checkReceiptSignature(receipt, { storage: memoryStorage(), fetchPublicKeys })).to.equal('unknown-key');
    expect(fetches).to.equal(1);
  });

  it('after a key rotation, fetches the key list for a key not kept and keeps every key in it', async () => {
    const before = await signedReceipt('0123456789abcdef');
    const after = await signedReceipt('89abcdef01234567');
    const storage = memoryStorage();
    // The device checked a receipt before the rotation: it keeps only the old key.
    expect(await checkReceiptSignature(before.receipt, { storage, fetchPublicKeys: async () => [before.key] })).to.equal('verified');
    const published = [
      { ...before.key, createdAt: '2026-01-01T00:00:00.000Z', active: false },
      { ...after.key, createdAt: '2026-02-01T00:00:00.000Z', active: true },
    ];
    let fetches = 0;
    const fetchPublicKeys = async () => {
      fetches += 1;
      return published;
    };
    expect(await checkReceiptSignature(after.receipt, { storage, fetchPublicKeys })).to.equal('verified');
    expect(fetches).to.equal(1);
    const kept = JSON.parse(storage.getItem(RECEIPT_KEY_STORAGE_KEY) ?? '{}') as Record<string, unknown>;
    expect(kept).to.deep.equal({ [before.key.keyId]: before.key, [after.key.keyId]: after.key });

    // A new device with only the new key meets an old receipt: it fetches the list and verifies it.
    const fresh = memoryStorage();
    fresh.setItem(RECEIPT_KEY_STORAGE_KEY, JSON.stringify({ [after.key.keyId]: after.key }));
    expect(await checkReceiptSignature(before.receipt, { storage: fresh, fetchPublicKeys })).to.equal('verified');
    // Both kept now: offline both still verify.
    const offline = async () => undefined;
    expect(await checkReceiptSignature(before.receipt, { storage: fresh, fetchPublicKeys: offline })).to.equal('verified');
    expect(await checkReceiptSignature(after.receipt, { storage: fresh, fetchPublicKeys: offline })).to.equal('verified');
  });

  it('says 联网后验证 when the checker cannot be fetched, rather than blaming the receipt', async () => {
    const { receipt, key } = await signedReceipt();
    const unreachable = () => Promise.reject(new TypeError('Failed to fetch dynamically imported module'));
    const state = await checkReceiptSignature(receipt, { storage: memoryStorage(), fetchPublicKeys: async () => [key], verify: unreachable });
    expect(state).to.equal('needs-network');
  });
});

describe('receipt verification without Ed25519 in WebCrypto', () => {
  for (const [what, removeIt] of [
    ['importKey refusing Ed25519', refuseEd25519],
    ['no crypto.subtle', removeSubtleCrypto],
  ] as const) {
    describe(what, () => {
      let restore: () => void;
      afterEach(() => restore());

      it('still tells a valid receipt from a changed one', async () => {
        const { receipt, key } = await signedReceipt();
        expect(await webCryptoVerifiesEd25519()).to.equal(true);
        restore = removeIt();
        expect(await webCryptoVerifiesEd25519()).to.equal(false);
        const deps = () => ({ storage: memoryStorage(), fetchPublicKeys: async () => [key] });
        expect(await checkReceiptSignature(receipt, deps())).to.equal('verified');
        const changed = { ...receipt, bodySha256: 'cd'.repeat(32) };
        expect(await checkReceiptSignature(changed, deps())).to.equal('invalid');
      });
    });
  }

  it('gives the answers WebCrypto gives, for good, changed and malformed receipts', async () => {
    const { receipt, key } = await signedReceipt();
    const other = await signedReceipt();
    const signed = { ...receipt, signature: receipt.signature ?? '', keyId: receipt.keyId ?? '' };
    const flipped = `${signed.signature.startsWith('A') ? 'B' : 'A'}${signed.signature.slice(1)}`;
    const cases: [string, typeof signed, string][] = [
      ['good', signed, key.publicKey],
      ['kept with other data', { ...signed, savedOnDevice: true } as typeof signed, key.publicKey],
      ['padded key', signed, `${key.publicKey}=`],
      ['changed number', { ...signed, receiptNumber: 'JL20260105000002' }, key.publicKey],
      ['changed time', { ...signed, submittedAt: '2026-01-05T01:00:01.000Z' }, key.publicKey],
      ['another key', signed, other.key.publicKey],
      ['flipped signature', { ...signed, signature: flipped }, key.publicKey],
      ['empty signature', { ...signed, signature: '' }, key.publicKey],
      ['not base64', { ...signed, signature: 'not base64!' }, key.publicKey],
      ['short key', signed, key.publicKey.slice(0, 20)],
      ['not a string', { ...signed, submittedAt: 1 as unknown as string }, key.publicKey],
    ];
    for (const [name, candidate, publicKey] of cases) {
      expect(verifyReceiptWithNoble(candidate, publicKey), name).to.equal(await verifyReceipt(candidate, publicKey));
    }
    expect(verifyReceiptWithNoble(signed, key.publicKey)).to.equal(true);
  });
});
