import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { after, before, describe, it } from 'node:test';
import { openTestStorage, type TestStorage } from '../../test/support/route-fixtures.ts';
import { createAccount } from '../db/accounts-store.ts';
import { createStaffAccount } from '../db/staff-accounts-store.ts';
import { signInStaff } from '../staff/staff-sign-in.ts';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './password-hash.ts';
import { authenticate } from './sign-in.ts';

/** How many scrypt derivations `act` runs: node makes one SCRYPTREQUEST per call of crypto.scrypt. */
async function scryptCalls(act: () => Promise<unknown>): Promise<number> {
  let calls = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === 'SCRYPTREQUEST') calls++;
    },
  }).enable();
  try {
    await act();
  } finally {
    hook.disable();
  }
  return calls;
}

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

describe('a sign-in without an account costs one hash check, as one with a wrong password does', () => {
  let fixture: TestStorage;

  before(async () => {
    fixture = await openTestStorage();
    // The dummy hash is made once per process; made here, it is not counted below.
    await verifyAgainstDummy('warm-up');
  });
  after(() => fixture.cleanup());

  it('checks against a hash nobody has, and never matches', async () => {
    assert.equal(await scryptCalls(() => verifyAgainstDummy('not-a-password-0')), 1);
    assert.equal(await verifyAgainstDummy('not-a-password-0'), false);
  });

  it('an applicant with an unknown ID number', async () => {
    const idNumber = '110105199001010011';
    await createAccount(fixture.storage.db, { name: '张三', idNumber, mobile: '13800138000', passwordHash: await hashPassword('abc12345') });
    assert.equal(await scryptCalls(() => authenticate(fixture.storage, idNumber, 'abc12346')), 1);
    assert.equal(await scryptCalls(() => authenticate(fixture.storage, '11010519900101002X', 'abc12345')), 1);
    assert.equal(await authenticate(fixture.storage, '11010519900101002X', 'abc12345'), undefined);
  });

  it('staff with an unknown username', async () => {
    const passwordHash = await hashPassword('abc12345');
    await createStaffAccount(fixture.storage.db, { username: 'wang', role: 'reviewer', passwordHash, totpSecret: 'JBSWY3DPEHPK3PXP' });
    const attempt = (username: string) =>
      signInStaff(fixture.storage, { username, password: 'abc12346', code: '000000' }, new Date(), '198.51.100.9');
    assert.equal(await scryptCalls(() => attempt('wang')), 1);
    assert.equal(await scryptCalls(() => attempt('nobody')), 1);
    assert.deepEqual(await attempt('nobody'), { kind: 'failed' });
  });
});
