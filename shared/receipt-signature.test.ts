import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, it } from 'node:test';
import { type Receipt, receiptSigningPayload, type SignedReceipt, verifyReceipt } from './receipt-signature.ts';

// Signed here with node:crypto, independently of the server's signer, to pin the format.
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const publicRaw = publicKey.export({ format: 'jwk' }).x!;

const receipt: Receipt = {
  receiptNumber: 'JL20260301123456',
  submissionId: '3b2f0c1e-8a4d-4f6e-9c1a-2b3c4d5e6f70',
  submittedAt: '2026-03-01T02:03:04.567Z',
  bodySha256: 'ab'.repeat(32),
  keyId: '0123456789abcdef',
};

function signed(r: Receipt): SignedReceipt {
  return { ...r, signature: sign(null, Buffer.from(receiptSigningPayload(r), 'utf8'), privateKey).toString('base64url') };
}

describe('receipt signatures', () => {
  it('signs the canonical JSON of exactly the five receipt fields', () => {
    assert.equal(
      receiptSigningPayload({ ...signed(receipt), extra: 'kept on the device' } as SignedReceipt),
      '{"bodySha256":"' +
        'ab'.repeat(32) +
        '","keyId":"0123456789abcdef","receiptNumber":"JL20260301123456","submissionId":"3b2f0c1e-8a4d-4f6e-9c1a-2b3c4d5e6f70","submittedAt":"2026-03-01T02:03:04.567Z"}',
    );
  });

  it('accepts a receipt signed with the key, also with unrelated fields beside it', async () => {
    const good = signed(receipt);
    assert.equal(await verifyReceipt(good, publicRaw), true);
    assert.equal(await verifyReceipt({ ...good, savedOnDevice: true } as SignedReceipt, publicRaw), true);
  });

  it('refuses a receipt with any field changed, even one character', async () => {
    const good = signed(receipt);
    for (const field of ['receiptNumber', 'submissionId', 'submittedAt', 'bodySha256', 'keyId'] as const) {
      const value = good[field];
      const changed = value.slice(0, -1) + (value.endsWith('0') ? '1' : '0');
      assert.equal(await verifyReceipt({ ...good, [field]: changed }, publicRaw), false, field);
    }
  });

  it('refuses another key, a damaged signature and malformed input without throwing', async () => {
    const good = signed(receipt);
    const otherKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!;
    assert.equal(await verifyReceipt(good, otherKey), false);
    const flipped = Buffer.from(good.signature, 'base64url');
    flipped[10]! ^= 1;
    assert.equal(await verifyReceipt({ ...good, signature: flipped.toString('base64url') }, publicRaw), false);
    assert.equal(await verifyReceipt({ ...good, signature: '' }, publicRaw), false);
    assert.equal(await verifyReceipt({ ...good, signature: 'not base64!' }, publicRaw), false);
    assert.equal(await verifyReceipt(good, publicRaw.slice(0, 20)), false);
    assert.equal(await verifyReceipt(good, `${publicRaw}=`), true, 'padding is optional');
    assert.equal(await verifyReceipt({ ...good, submittedAt: 1 as unknown as string }, publicRaw), false);
  });
});
