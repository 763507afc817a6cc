import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import { createAccount } from '../db/accounts-store.ts';
import type { Storage } from '../db/database.ts';
import { hashPassword } from './password-hash.ts';
import { type SessionRoutesOptions, sessionRoutes } from './session-routes.ts';
import { jsonRequest, openTestStorage, sessionCookie, type TestStorage, testIdNumber } from '../../test/support/route-fixtures.ts';

const ID = testIdNumber(302);
const PASSWORD = 'secret123';

function appWith(storage: Storage, options: SessionRoutesOptions = {}) {
  return new Hono().route('/api/session', sessionRoutes(storage, options));
}

describe('/api/session', () => {
  let fixture: TestStorage;
  let app: Hono;
  before(async () => {
    fixture = await openTestStorage();
    app = appWith(fixture.storage);
    const passwordHash = await hashPassword(PASSWORD);
    await createAccount(fixture.storage.db, { name: '李四', idNumber: ID, mobile: '13900139000', passwordHash });
  });
  after(() => fixture.cleanup());

  const signIn = (idNumber: string, password: string, cookie?: string) =>
    app.request('/api/session', jsonRequest('POST', { idNumber, password }, cookie));

  it('signs in with the right password: 200, account view and an HttpOnly cookie', async () => {
    const response = await signIn(ID, PASSWORD);
    assert.equal(response.status, 200);
    const { account } = await response.json();
    assert.equal(account.name, '李四');
    assert.equal(account.sex, 'female');
    assert.equal(account.birthDate, '1990-01-01');
    assert.equal(account.faceVerified, false);
    assert.equal('passwordHash' in account, false);
    const setCookie = response.headers.getSetCookie().join('\n');
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Lax/);
  });

  it('answers the same 401 for a wrong password and an unknown ID number', async () => {
    const wrong = await signIn(ID, 'secret124');
    const unknown = await signIn(testIdNumber(303), PASSWORD);
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    const wrongText = await wrong.text();
    assert.equal(wrongText, await unknown.text());
    assert.deepEqual(JSON.parse(wrongText), { error: '身份证号码或密码不正确' });
    assert.equal(wrong.headers.getSetCookie().length, 0);
  });

  it('answers 400 for a malformed ID number without echoing it', async () => {
    const response = await signIn('11010519900101303X', PASSWORD);
    assert.equal(response.status, 400);
    const text = await response.text();
    assert.equal(text.includes('11010519900101303X'), false);
    assert.equal(JSON.parse(text).issues[0].field, 'idNumber');
  });

  it('GET answers the account with a cookie, 401 without or with an unknown one', async () => {
    const cookie = sessionCookie(await signIn(ID, PASSWORD));
    const me = await app.request('/api/session', { headers: { cookie } });
    assert.equal(me.status, 200);
    assert.equal((await me.json()).account.idNumber, ID);

    for (const headers of [{}, { cookie: 'jl_session=forged' }] as Record<string, string>[]) {
      const anonymous = await app.request('/api/session', { headers });
      assert.equal(anonymous.status, 401);
      assert.deepEqual(await anonymous.json(), { error: '请先登录' });
    }
  });

  it('DELETE ends the session and clears the cookie', async () => {
    const cookie = sessionCookie(await signIn(ID, PASSWORD));
    const out = await app.request('/api/session', { method: 'DELETE', headers: { cookie } });
    assert.equal(out.status, 204);
    assert.match(out.headers.getSetCookie().join('\n'), /jl_session=;.*Max-Age=0/);
    assert.equal((await app.request('/api/session', { headers: { cookie } })).status, 401);
    // Signing out twice, or without a session, is harmless.
    assert.equal((await app.request('/api/session', { method: 'DELETE' })).status, 204);
  });

  it('a new sign-in replaces the session the browser had', async () => {
    const first = sessionCookie(await signIn(ID, PASSWORD));
    const second = sessionCookie(await signIn(ID, PASSWORD, first));
    assert.notEqual(first, second);
    assert.equal((await app.request('/api/session', { headers: { cookie: first } })).status, 401);
    assert.equal((await app.request('/api/session', { headers: { cookie: second } })).status, 200);
  });

  it('limits attempts on one ID number, even with the right password after the limit', async () => {
    // Counters live in the database: a fresh account, so earlier tests' attempts do not count.
    const idNumber = testIdNumber(320);
    const passwordHash = await hashPassword(PASSWORD);
    await createAccount(fixture.storage.db, { name: '王五', idNumber, mobile: '13700137000', passwordHash });
    const limited = appWith(fixture.storage, { limits: { perIdNumber: { limit: 2, windowMs: 60_000 } } });
    const attempt = (password: string) => limited.request('/api/session', jsonRequest('POST', { idNumber, password }));
    assert.equal((await attempt('guess0001')).status, 401);
    assert.equal((await attempt('guess0002')).status, 401);
    const blocked = await attempt(PASSWORD);
    assert.equal(blocked.status, 429);
    assert.deepEqual(await blocked.json(), { error: '操作过于频繁，请稍后再试' });
    assert.ok(Number(blocked.headers.get('retry-after')) >= 1);
  });

  it('limits attempts per client address across ID numbers', async () => {
    const limited = appWith(fixture.storage, {
      limits: { perIp: { limit: 2, windowMs: 60_000 } },
      clientAddress: () => '2001:db8::8',
    });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await limited.request(
        '/api/session',
        jsonRequest('POST', { idNumber: testIdNumber(310 + i), password: 'guess0001' }),
      );
      statuses.push(response.status);
    }
    assert.deepEqual(statuses, [401, 401, 429]);
  });
});
