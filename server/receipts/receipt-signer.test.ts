import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { verifyReceipt } from '../../shared/receipt-signature.ts';
import { sha256Hex } from '../crypto/sha256.ts';
import { openTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { loadReceiptSigner, receiptSignerFor, receiptSignerResolver } from './receipt-signer.ts';
import { parseSigningKey, rawPublicKeyOf } from './signing-key.ts';

const fields = {
  receiptNumber: 'JL20260301000001',
  submissionId: '00000000-0000-4000-8000-000000000001',
  submittedAt: '2026-03-01T00:00:00.000Z',
  bodySha256: 'cd'.repeat(32),
};

describe('signing keys from configuration', () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const der = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');

  it('reads a PKCS#8 PEM and the same key as base64 DER', () => {
    const raw = rawPublicKeyOf(privateKey);
    assert.equal(rawPublicKeyOf(parseSigningKey(pem)), raw);
    assert.equal(rawPublicKeyOf(parseSigningKey(`\n${der}\n`)), raw);
    assert.equal(Buffer.from(raw, 'base64url').byteLength, 32);
  });

  it('refuses another algorithm and anything that is not a private key, without repeating it', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    assert.throws(() => parseSigningKey(rsa), /not an Ed25519 key \(rsa\)/);
    assert.throws(() => parseSigningKey('c2VjcmV0LXZhbHVl'), (err: unknown) => {
      assert.ok(err instanceof Error);
      assert.equal(err.message, 'not a PKCS#8 private key');
      return true;
    });
    const publicPem = generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString();
    assert.throws(() => parseSigningKey(publicPem), /not a PKCS#8 private key/);
  });
});

describe('receipt signer', () => {
  let test: TestDatabase;

  before(async () => {
    test = await openTestDatabase();
  });

  after(() => test?.cleanup());

  it('signs what verifyReceipt accepts, always the same way, under a key id anyone can recompute', async () => {
    const signer = receiptSignerFor(generateKeyPairSync('ed25519').privateKey);
    const receipt = signer.sign(fields);
    assert.deepEqual({ ...receipt, signature: undefined }, { ...fields, keyId: signer.keyId, signature: undefined });
    assert.equal(signer.algorithm, 'Ed25519');
    assert.equal(signer.keyId, sha256Hex(Buffer.from(signer.publicKey, 'base64url')).slice(0, 16));
    assert.match(receipt.signature, /^[A-Za-z0-9_-]{86}$/);
    assert.equal(signer.sign(fields).signature, receipt.signature);
    assert.equal(await verifyReceipt(receipt, signer.publicKey), true);
    assert.equal(await verifyReceipt({ ...receipt, receiptNumber: 'JL20260301000002' }, signer.publicKey), false);
  });

  it('uses the configured key when there is one, else the one kept in the database', async () => {
    const configured = generateKeyPairSync('ed25519').privateKey;
    const fromConfig = await loadReceiptSigner(test.storage.db, configured);
    assert.equal(fromConfig.publicKey, rawPublicKeyOf(configured));
    assert.equal(await test.storage.db.selectFrom('server_keys').select('id').executeTakeFirst(), undefined, 'nothing stored');

    const first = await loadReceiptSigner(test.storage.db);
    const other = await loadReceiptSigner((await test.openAnother()).db);
    assert.equal(other.keyId, first.keyId);
    assert.equal(other.sign(fields).signature, first.sign(fields).signature);
    assert.notEqual(first.keyId, fromConfig.keyId);
  });

  it('resolves a lazy source once and tries again after a failure', async () => {
    const signer = receiptSignerFor(generateKeyPairSync('ed25519').privateKey);
    let calls = 0;
    const resolve = receiptSignerResolver(async () => {
      calls++;
      if (calls === 1) throw new Error('database not ready');
      return signer;
    });
    await assert.rejects(resolve(), /database not ready/);
    assert.equal(await resolve(), signer);
    assert.equal(await resolve(), signer);
    assert.equal(calls, 2);
  });
});
