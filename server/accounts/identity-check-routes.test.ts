import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import { createAccount } from '../db/accounts-store.ts';
import type { Storage } from '../db/database.ts';
import { identityCheckRoutes } from './identity-check-routes.ts';
import { jsonRequest, openTestStorage, type TestStorage, testIdNumber } from '../../test/support/route-fixtures.ts';

const NAME = '张三';
const ID = testIdNumber(11);

function appWith(storage: Storage, limits: Parameters<typeof identityCheckRoutes>[1] = {}) {
  return new Hono().route('/api/identity-checks', identityCheckRoutes(storage, limits));
}

describe('POST /api/identity-checks', () => {
  let fixture: TestStorage;
  before(async () => {
    fixture = await openTestStorage();
    await createAccount(fixture.storage.db, { name: NAME, idNumber: ID, mobile: '13800138000', passwordHash: 'x' });
  });
  after(() => fixture.cleanup());

  async function check(app: Hono, body: unknown, env?: unknown) {
    return app.request('/api/identity-checks', jsonRequest('POST', body), env);
  }

  it('says registered for the right name and ID, also with spaces around the name', async () => {
    const app = appWith(fixture.storage);
    const response = await check(app, { name: ` ${NAME} `, idNumber: ID });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { registered: true });
  });

  it('gives the same answer for an unknown person and a name mismatch', async () => {
    const app = appWith(fixture.storage);
    const unknown = await check(app, { name: NAME, idNumber: testIdNumber(12) });
    const mismatch = await check(app, { name: '李四', idNumber: ID });
    assert.equal(unknown.status, 200);
    assert.equal(mismatch.status, 200);
    assert.deepEqual(await unknown.json(), { registered: false });
    assert.deepEqual(await mismatch.json(), { registered: false });
  });

  it('answers 400 naming the field, without echoing the value', async () => {
    const app = appWith(fixture.storage);
    const response = await check(app, { name: NAME, idNumber: '110105199001019999' });
    assert.equal(response.status, 400);
    const text = await response.text();
    assert.doesNotMatch(text, /110105199001019999/);
    const body = JSON.parse(text);
    assert.equal(body.issues[0].field, 'idNumber');
    assert.match(body.issues[0].message, /证件号码/);

    const missing = await (await check(app, { idNumber: ID })).json();
    assert.deepEqual(missing.issues, [{ field: 'name', message: '请填写姓名' }]);
  });

  it('limits one ID number to a few checks, whatever the name', async () => {
    const app = appWith(fixture.storage, { limits: { perIdNumber: { limit: 3, windowMs: 60_000 } } });
    const id = testIdNumber(21);
    for (let i = 0; i < 3; i++) assert.equal((await check(app, { name: '王五', idNumber: id })).status, 200);
    const limited = await check(app, { name: '赵六', idNumber: id });
    assert.equal(limited.status, 429);
    assert.deepEqual(await limited.json(), { error: '操作过于频繁，请稍后再试' });
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    // Another ID number is not affected.
    assert.equal((await check(app, { name: '王五', idNumber: testIdNumber(22) })).status, 200);
  });

  it('limits one client address, counting each socket address separately', async () => {
    const app = appWith(fixture.storage, { limits: { perIp: { limit: 2, windowMs: 60_000 } } });
    const from = (address: string) => ({ incoming: { socket: { remoteAddress: address, remoteFamily: 'IPv4' } } });
    for (let i = 0; i < 2; i++) {
      assert.equal((await check(app, { name: NAME, idNumber: testIdNumber(30 + i) }, from('192.0.2.1'))).status, 200);
    }
    const limited = await check(app, { name: NAME, idNumber: testIdNumber(33) }, from('192.0.2.1'));
    assert.equal(limited.status, 429);
    assert.ok(limited.headers.get('retry-after'));
    assert.equal((await check(app, { name: NAME, idNumber: testIdNumber(33) }, from('192.0.2.2'))).status, 200);
  });

  it('ignores X-Forwarded-For, so a client cannot pick a fresh address per request', async () => {
    const app = appWith(fixture.storage, { limits: { perIp: { limit: 1, windowMs: 60_000 } } });
    const request = (forwarded: string) => {
      const init = jsonRequest('POST', { name: NAME, idNumber: ID });
      init.headers = { ...(init.headers as Record<string, string>), 'x-forwarded-for': forwarded };
      return app.request('/api/identity-checks', init, { incoming: { socket: { remoteAddress: '198.51.100.7' } } });
    };
    assert.equal((await request('203.0.113.1')).status, 200);
    assert.equal((await request('203.0.113.2')).status, 429);
  });

  it('keeps no ID number in the rate-limit table', async () => {
    const keys = await fixture.storage.db.selectFrom('rate_limits').select('key').execute();
    assert.ok(keys.length > 0);
    for (const { key } of keys) assert.doesNotMatch(key, /\d{17}[\dX]|192\.0\.2/);
  });
});
