import { expect } from 'chai';
import { checkReceiptSignature, RECEIPT_KEY_STORAGE_KEY } from './receipt-verification.ts';
import { memoryStorage, signedReceipt } from '../test-support/signed-receipts.ts';

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
