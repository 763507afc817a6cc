import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import { jsonRequest, openTestStorage, sessionCookie, type TestStorage, testIdNumber } from '../../test/support/route-fixtures.ts';
import { MOBILE_MESSAGE } from '../../shared/mobile.ts';
import { findAccountById } from '../db/accounts-store.ts';
import { listAuditForSubject } from '../db/audit-log-store.ts';
import { recordFaceVerification } from '../db/face-verifications-store.ts';
import { accountRoutes } from './account-routes.ts';
import { FRESH_FACE_CHECK_MS, hasFreshFaceCheck } from './fresh-face.ts';
import { mobileChangeRoutes } from './mobile-change-routes.ts';

describe('hasFreshFaceCheck', () => {
  let fixture: TestStorage;
  before(async () => {
    fixture = await openTestStorage();
  });
  after(() => fixture.cleanup());

  it('counts a pass at most 10 minutes old, the boundary included; never a fail', async () => {
    const { db } = fixture.storage;
    const response = await new Hono()
      .route('/', accountRoutes(fixture.storage))
      .request('/', jsonRequest('POST', { name: '张三', idNumber: testIdNumber(901), mobile: '13800138000', password: 'jianli2026' }));
    const accountId = (await response.json()).account.id;
    const now = new Date('2030-06-01T12:00:00Z');
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const base = { accountId, provider: 'development', reference: 'r' };
    assert.equal(FRESH_FACE_CHECK_MS, 10 * 60 * 1000);
    await recordFaceVerification(db, { ...base, result: 'fail', now: ago(0) });
    assert.equal(await hasFreshFaceCheck(db, accountId, now), false, 'a fail does not count');
    await recordFaceVerification(db, { ...base, result: 'pass', now: ago(FRESH_FACE_CHECK_MS + 1) });
    assert.equal(await hasFreshFaceCheck(db, accountId, now), false, 'one millisecond too old');
    await recordFaceVerification(db, { ...base, result: 'pass', now: ago(FRESH_FACE_CHECK_MS) });
    assert.equal(await hasFreshFaceCheck(db, accountId, now), true, 'exactly 10 minutes');
    assert.equal(await hasFreshFaceCheck(db, accountId, now, 60_000), false, 'a tighter window');
    assert.equal(await hasFreshFaceCheck(db, 'someone-else', now), false);
  });
});

describe('/api/account/mobile', () => {
  let fixture: TestStorage;
  let app: Hono;
  let counter = 0;
  before(async () => {
    fixture = await openTestStorage();
    app = new Hono().route('/api/accounts', accountRoutes(fixture.storage)).route('/api/account/mobile', mobileChangeRoutes(fixture.storage));
  });
  after(() => fixture.cleanup());

  async function registered(): Promise<{ accountId: string; cookie: string }> {
    counter += 1;
    const body = { name: '张三', idNumber: testIdNumber(910 + counter), mobile: '13800138000', password: 'jianli2026' };
    const response = await app.request('/api/accounts', jsonRequest('POST', body));
    return { accountId: (await response.json()).account.id, cookie: sessionCookie(response) };
  }

  const change = (mobile: string, cookie?: string) => app.request('/api/account/mobile', jsonRequest('PUT', { mobile }, cookie));
  const faceCheck = (accountId: string, msAgo: number) =>
    recordFaceVerification(fixture.storage.db, { accountId, result: 'pass', provider: 'development', reference: 'r', now: new Date(Date.now() - msAgo) });

  it('answers 401 without a session', async () => {
    assert.equal((await change('13900139000')).status, 401);
  });

  it('refuses without a face check in the last 10 minutes, and changes nothing', async () => {
    const { accountId, cookie } = await registered();
    const none = await change('13900139000', cookie);
    assert.equal(none.status, 403);
    assert.deepEqual(await none.json(), { error: '请先完成人脸识别' });
    await faceCheck(accountId, FRESH_FACE_CHECK_MS + 5_000);
    assert.equal((await change('13900139000', cookie)).status, 403);
    assert.equal((await findAccountById(fixture.storage.db, accountId))?.mobile, '13800138000');
  });

  it('changes the number after a fresh face check, and writes it to the audit', async () => {
    const { accountId, cookie } = await registered();
    await faceCheck(accountId, FRESH_FACE_CHECK_MS - 60_000);
    const response = await change('139 0013 9000', cookie);
    assert.equal(response.status, 200);
    assert.equal((await response.json()).account.mobile, '13900139000');
    assert.equal((await findAccountById(fixture.storage.db, accountId))?.mobile, '13900139000');
    const audit = await listAuditForSubject(fixture.storage.db, `account:${accountId}`);
    assert.deepEqual(
      audit.map((entry) => [entry.action, entry.actor, entry.actorRole]),
      [['account.mobile-change', `account:${accountId}`, 'applicant']],
    );
    assert.equal(JSON.stringify(audit).includes('13900139000'), false, 'the number itself is not in the audit');
  });

  it('answers 400 for a malformed number, without echoing it', async () => {
    const { accountId, cookie } = await registered();
    await faceCheck(accountId, 0);
    const response = await change('12345', cookie);
    assert.equal(response.status, 400);
    const text = await response.text();
    assert.equal(text.includes('12345'), false);
    assert.equal(JSON.parse(text).issues[0].message, MOBILE_MESSAGE);
  });
});
