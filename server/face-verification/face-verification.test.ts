import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { toAccountView } from '../accounts/account-view.ts';
import { openTestStorage, type TestStorage, testIdNumber } from '../../test/support/route-fixtures.ts';
import { ConfigError } from '../config.ts';
import { createAccount } from '../db/accounts-store.ts';
import { latestPassedVerification, recordFaceVerification } from '../db/face-verifications-store.ts';
import { developmentVerifier } from './development-verifier.ts';
import { createFaceVerifier } from './verifier.ts';

describe('createFaceVerifier', () => {
  it('gives the development verifier outside production', () => {
    assert.equal(createFaceVerifier({ production: false }).name, 'development');
  });

  it('refuses to start in production without a real provider', () => {
    assert.throws(() => createFaceVerifier({ production: true }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.message, '生产环境未配置人脸识别服务');
      return true;
    });
  });
});

describe('development verifier', () => {
  it('passes a decodable PNG with a fresh dev- reference each time', async () => {
    const image = new Uint8Array(
      await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } }).png().toBuffer(),
    );
    const first = await developmentVerifier.verify({ image, mime: 'image/png', accountId: 'a' });
    const second = await developmentVerifier.verify({ image, mime: 'image/png', accountId: 'a' });
    assert.equal(first.passed, true);
    assert.match(first.reference, /^dev-/);
    assert.notEqual(first.reference, second.reference);
  });

  it('fails bytes that are not an image', async () => {
    const image = new TextEncoder().encode('%PDF-1.4');
    assert.equal((await developmentVerifier.verify({ image, mime: 'image/png', accountId: 'a' })).passed, false);
  });
});

describe('face verifications store and the 24-hour window', () => {
  let fixture: TestStorage;
  before(async () => {
    fixture = await openTestStorage();
  });
  after(() => fixture.cleanup());

  it('counts only a pass, and only within the last 24 hours', async () => {
    const { db } = fixture.storage;
    const account = await createAccount(db, {
      name: '张三',
      idNumber: testIdNumber(701),
      mobile: '13800138000',
      passwordHash: 'unused',
    });
    const now = new Date('2030-06-01T12:00:00Z');
    const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
    const base = { accountId: account.id, provider: 'development' };

    await recordFaceVerification(db, { ...base, result: 'pass', reference: 'old', now: hoursAgo(25) });
    await recordFaceVerification(db, { ...base, result: 'fail', reference: 'recent-fail', now: hoursAgo(1) });
    assert.equal((await toAccountView(fixture.storage, account, now)).faceVerified, false);

    await recordFaceVerification(db, { ...base, result: 'pass', reference: 'earlier', now: hoursAgo(23) });
    await recordFaceVerification(db, { ...base, result: 'pass', reference: 'newest', now: hoursAgo(2) });
    assert.equal((await toAccountView(fixture.storage, account, now)).faceVerified, true);
    assert.equal((await latestPassedVerification(db, account.id, hoursAgo(24)))?.reference, 'newest');
    // A day later the same checks no longer count.
    const dayLater = new Date(now.getTime() + 24 * 3_600_000);
    assert.equal((await toAccountView(fixture.storage, account, dayLater)).faceVerified, false);
  });
});
