import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashPassword, verifyPassword } from './password-hash.ts';

describe('password hash', () => {
  it('round-trips, and rejects another password', async () => {
    const stored = await hashPassword('abc12345');
    assert.equal(await verifyPassword('abc12345', stored), true);
    assert.equal(await verifyPassword('abc12346', stored), false);
  });

  it('stores scrypt parameters, salt and hash, and salts every hash differently', async () => {
    const first = await hashPassword('abc12345');
    const second = await hashPassword('abc12345');
    assert.notEqual(first, second);
    const [scheme, n, r, p, salt, hash] = first.split('$');
    assert.deepEqual([scheme, n, r, p], ['scrypt', String(2 ** 15), '8', '1']);
    assert.equal(Buffer.from(salt!, 'base64').length, 16);
    assert.equal(Buffer.from(hash!, 'base64').length, 32);
    assert.doesNotMatch(first, /abc12345/);
  });

  it('never matches a malformed stored value', async () => {
    for (const stored of ['', 'plain', 'scrypt$3$8$1$AAAA$AAAA', 'scrypt$32768$8$1$$', 'bcrypt$1$2$3$4$5']) {
      assert.equal(await verifyPassword('abc12345', stored), false, stored);
    }
  });
});
