import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { createApiToken, listApiTokens, revokeApiToken, useApiToken } from './api-tokens-store.ts';
import { appendAudit, listAudit } from './audit-log-store.ts';
import {
  acceptStaffSignIn,
  clearExpiredStaffLock,
  createStaffAccount,
  disableStaffAccount,
  findStaffById,
  findStaffByUsername,
  recordStaffFailure,
  resetStaffTotp,
} from './staff-accounts-store.ts';
import { createStaffSession, deleteStaffSessionsOf, touchStaffSession } from './staff-sessions-store.ts';
import { DuplicateError } from './storage-errors.ts';

/** Runs on SQLite, and on PostgreSQL through test/postgres/run-storage-suite.ts. */
describe(`staff stores (${process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite'})`, () => {
  let fixture: TestDatabase;
  const t0 = new Date('2030-01-01T00:00:00.000Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);

  before(async () => {
    fixture = await openTestDatabase();
  });
  after(() => fixture.cleanup());

  const newAccount = (username: string) =>
    createStaffAccount(fixture.storage.db, { username, role: 'reviewer', passwordHash: 'h', totpSecret: 'S', now: t0 });

  it('creates accounts with a one-time password, unique by username; an employer needs a USCC', async () => {
    const account = await newAccount('li');
    assert.equal(account.passwordTemporary, true);
    assert.deepEqual(await findStaffByUsername(fixture.storage.db, 'li'), account);
    await assert.rejects(newAccount('li'), DuplicateError);
    await assert.rejects(createStaffAccount(fixture.storage.db, { username: 'corp', role: 'employer', passwordHash: 'h', totpSecret: 'S' }));
  });

  it('takes each TOTP step once, even for two sign-ins at the same moment', async () => {
    const { id } = await newAccount('step');
    const racing = await Promise.all([acceptStaffSignIn(fixture.storage.db, id, 100), acceptStaffSignIn(fixture.storage.db, id, 100)]);
    assert.deepEqual(racing.sort(), [false, true]);
    assert.equal(await acceptStaffSignIn(fixture.storage.db, id, 99), false);
    assert.equal(await acceptStaffSignIn(fixture.storage.db, id, 101), true);
    await resetStaffTotp(fixture.storage.db, 'step', 'NEW');
    const reset = await findStaffById(fixture.storage.db, id);
    assert.equal(reset?.totpSecret, 'NEW');
    assert.equal(reset?.totpLastStep, undefined);
  });

  it('counts concurrent failures all, locks at the threshold, and a run-out lock starts the count again', async () => {
    const { id } = await newAccount('fails');
    const lockUntil = at(15 * 60_000);
    await Promise.all(Array.from({ length: 4 }, () => recordStaffFailure(fixture.storage.db, id, { lockAfter: 5, lockUntil })));
    assert.equal((await findStaffById(fixture.storage.db, id))?.lockedUntil, undefined);
    const fifth = await recordStaffFailure(fixture.storage.db, id, { lockAfter: 5, lockUntil });
    assert.equal(fifth?.failedAttempts, 5);
    assert.equal(fifth?.lockedUntil, lockUntil.toISOString());
    await clearExpiredStaffLock(fixture.storage.db, id, at(60_000));
    assert.equal((await findStaffById(fixture.storage.db, id))?.failedAttempts, 5, 'a lock still running stays');
    await clearExpiredStaffLock(fixture.storage.db, id, lockUntil);
    const cleared = await findStaffById(fixture.storage.db, id);
    assert.equal(cleared?.failedAttempts, 0);
    assert.equal(cleared?.lockedUntil, undefined);
  });

  it('keeps a session alive while used, ends it when idle or at its absolute end, and with its account', async () => {
    const { id } = await newAccount('sess');
    await createStaffSession(fixture.storage.db, { token: 'tok-1', staffId: id, expiresAt: at(8 * 3600_000), now: t0 });
    const touch = (ms: number, idleMs = 30 * 60_000) => touchStaffSession(fixture.storage.db, 'tok-1', { now: at(ms), idleSince: at(ms - idleMs) });
    assert.equal((await touch(29 * 60_000))?.staffId, id);
    assert.equal((await touch(58 * 60_000))?.lastSeenAt, at(58 * 60_000).toISOString());
    assert.equal(await touch(89 * 60_000), undefined, 'idle for 31 minutes');
    await createStaffSession(fixture.storage.db, { token: 'tok-2', staffId: id, expiresAt: at(60_000), now: t0 });
    assert.equal(await touchStaffSession(fixture.storage.db, 'tok-2', { now: at(60_000), idleSince: t0 }), undefined, 'past its end');
    await createStaffSession(fixture.storage.db, { token: 'tok-3', staffId: id, expiresAt: at(3600_000), now: t0 });
    await deleteStaffSessionsOf(fixture.storage.db, id);
    assert.equal(await touchStaffSession(fixture.storage.db, 'tok-3', { now: t0, idleSince: at(-1) }), undefined);
    assert.equal(await disableStaffAccount(fixture.storage.db, 'sess', t0), true);
    assert.equal((await findStaffById(fixture.storage.db, id))?.disabledAt, t0.toISOString());
    assert.equal(await disableStaffAccount(fixture.storage.db, 'nobody'), false);
  });

  it('finds a token by its hash until revoked, keeping its last use', async () => {
    await createApiToken(fixture.storage.db, { name: 'sd', token: 'secret-token', now: t0 });
    await assert.rejects(createApiToken(fixture.storage.db, { name: 'sd', token: 'other' }), DuplicateError);
    assert.equal((await useApiToken(fixture.storage.db, 'secret-token', at(5)))?.lastUsedAt, at(5).toISOString());
    assert.equal(await useApiToken(fixture.storage.db, 'wrong'), undefined);
    assert.equal(await revokeApiToken(fixture.storage.db, 'sd', at(6)), true);
    assert.equal(await useApiToken(fixture.storage.db, 'secret-token'), undefined);
    assert.equal(await revokeApiToken(fixture.storage.db, 'sd'), false);
    assert.equal((await listApiTokens(fixture.storage.db))[0]?.revokedAt, at(6).toISOString());
  });

  it('pages the audit by (at, id) with filters, and keeps role, organisation and address', async () => {
    for (let i = 0; i < 5; i++) {
      await appendAudit(fixture.storage.db, { actor: `staff:${i}`, action: i % 2 ? 'b.odd' : 'a.even', subject: `submission:${i}`, actorRole: 'employer', organisation: 'U', address: '10.0.0.1', now: at(1000 + (i >> 1)) });
    }
    const whole = await listAudit(fixture.storage.db, { from: at(1000), limit: 10 });
    assert.equal(whole.length, 5);
    assert.deepEqual(whole[0] && [whole[0].actorRole, whole[0].organisation, whole[0].address], ['employer', 'U', '10.0.0.1']);
    const first = await listAudit(fixture.storage.db, { from: at(1000), limit: 3 });
    const last = first.at(-1)!;
    const rest = await listAudit(fixture.storage.db, { from: at(1000), limit: 3, after: { at: last.at, id: last.id } });
    assert.deepEqual([...first, ...rest].map((e) => e.id), whole.map((e) => e.id));
    assert.equal((await listAudit(fixture.storage.db, { action: 'b.odd', limit: 10 })).length, 2);
    assert.equal((await listAudit(fixture.storage.db, { subject: 'submission:4', limit: 10 })).length, 1);
    assert.equal((await listAudit(fixture.storage.db, { from: at(1001), to: at(1002), limit: 10 })).length, 2);
  });
});
