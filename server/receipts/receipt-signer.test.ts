import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { verifyReceipt } from '../../shared/receipt-signature.ts';
import { sha256Hex } from '../crypto/sha256.ts';
import { openTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { rotateSigningKey } from '../db/server-keys-store.ts';
import { loadReceiptSigner, receiptSignerFor, receiptSignerResolver, watchReceiptSigner } from './receipt-signer.ts';
import { newStoredSigningKey, parseSigningKey, rawPublicKeyOf } from './signing-key.ts';

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
    // Its public half is recorded, to stay published once another key is configured; never its private part.
    assert.deepEqual(await test.storage.db.selectFrom('server_keys').select(['id', 'public_raw', 'private_pkcs8', 'active_for']).execute(), [
      { id: fromConfig.keyId, public_raw: fromConfig.publicKey, private_pkcs8: null, active_for: null },
    ]);

    const first = await loadReceiptSigner(test.storage.db);
    const other = await loadReceiptSigner((await test.openAnother()).db);
    assert.equal(other.keyId, first.keyId);
    assert.equal(other.sign(fields).signature, first.sign(fields).signature);
    assert.notEqual(first.keyId, fromConfig.keyId);
  });

  it('follows a rotation from another process once it checks, and the resolver hands out the current signer', async () => {
    const watch = await watchReceiptSigner(test.storage.db, { checkEveryMs: 3_600_000 });
    try {
      const signerNow = receiptSignerResolver(watch);
      const before = await signerNow();
      assert.equal(before.keyId, (await loadReceiptSigner(test.storage.db)).keyId);
      const other = await test.openAnother();
      const rotated = await rotateSigningKey(other.db, newStoredSigningKey());
      await other.close();
      assert.equal((await signerNow()).keyId, before.keyId, 'the key in hand until the next check');
      await watch.check();
      const after = await signerNow();
      assert.equal(after.keyId, rotated.id);
      assert.equal(await verifyReceipt(after.sign(fields), rotated.publicRaw), true);
      await watch.check();
      assert.equal(await signerNow(), after, 'an unchanged key is not loaded again');
    } finally {
      watch.stop();
    }
  });

  it('checks by itself, on its timer', async () => {
    const watch = await watchReceiptSigner(test.storage.db, { checkEveryMs: 5 });
    try {
      const rotated = await rotateSigningKey(test.storage.db, newStoredSigningKey());
      for (let round = 0; round < 400 && (await watch.signer()).keyId !== rotated.id; round++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal((await watch.signer()).keyId, rotated.id);
    } finally {
      watch.stop();
    }
  });

  it('keeps a configured key whatever the database says', async () => {
    const configured = generateKeyPairSync('ed25519').privateKey;
    const watch = await watchReceiptSigner(test.storage.db, { configured, checkEveryMs: 3_600_000 });
    try {
      await rotateSigningKey(test.storage.db, newStoredSigningKey());
      await watch.check();
      assert.equal((await watch.signer()).publicKey, rawPublicKeyOf(configured));
    } finally {
      watch.stop();
    }
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
