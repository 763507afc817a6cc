import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import { findAccountByIdNumber } from '../db/accounts-store.ts';
import type { Storage } from '../db/database.ts';
import { type AccountRoutesOptions, accountRoutes } from './account-routes.ts';
import { sessionRoutes } from './session-routes.ts';
import { jsonRequest, openTestStorage, sessionCookie, type TestStorage, testIdNumber } from '../../test/support/route-fixtures.ts';

function appWith(storage: Storage, options: AccountRoutesOptions = {}) {
  return new Hono().route('/api/accounts', accountRoutes(storage, options)).route('/api/session', sessionRoutes(storage));
}

const valid = { name: '张三', idNumber: testIdNumber(101), mobile: '138 0013 8000', password: 'abc12345' };

describe('POST /api/accounts', () => {
  let fixture: TestStorage;
  let app: Hono;
  before(async () => {
    fixture = await openTestStorage();
    app = appWith(fixture.storage);
  });
  after(() => fixture.cleanup());

  const register = (body: unknown) => app.request('/api/accounts', jsonRequest('POST', body));

  it('creates the account, signs the person in and answers 201 with the account view', async () => {
    const response = await register(valid);
    assert.equal(response.status, 201);
    const { account } = await response.json();
    assert.deepEqual(
      { ...account, id: typeof account.id },
      {
        id: 'string',
        name: '张三',
        idNumber: valid.idNumber,
        mobile: '13800138000',
        birthDate: '1990-01-01',
        sex: 'male',
        faceVerified: false,
      },
    );
    assert.equal('passwordHash' in account, false);

    const setCookie = response.headers.getSetCookie().join('\n');
    assert.match(setCookie, /jl_session=/);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Lax/);

    const me = await app.request('/api/session', { headers: { cookie: sessionCookie(response) } });
    assert.equal(me.status, 200);
    assert.equal((await me.json()).account.id, account.id);

    const stored = await findAccountByIdNumber(fixture.storage.db, valid.idNumber);
    assert.match(stored!.passwordHash, /^scrypt\$/);
    assert.doesNotMatch(stored!.passwordHash, /abc12345/);
  });

  it('answers 409 for an ID number that already has an account, also typed in lowercase', async () => {
    const response = await register({ ...valid, name: '李四' });
    assert.equal(response.status, 409);
    assert.deepEqual(await response.json(), { error: '该身份证号码已注册，请直接登录', code: 'duplicate' });
    assert.equal(response.headers.getSetCookie().length, 0);

    // An ID ending in X: a second registration with a lowercase x is the same person.
    let sequence = 200;
    while (!testIdNumber(sequence).endsWith('X')) sequence++;
    const withX = testIdNumber(sequence);
    assert.equal((await register({ ...valid, idNumber: withX })).status, 201);
    assert.equal((await register({ ...valid, idNumber: withX.toLowerCase() })).status, 409);
  });

  it('answers 400 naming the field, never echoing the value', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ ...valid, idNumber: testIdNumber(102), mobile: '12345678901' }, 'mobile', /手机号码/],
      [{ ...valid, idNumber: testIdNumber(103), password: 'abcdefgh' }, 'password', /^密码至少8位，需同时包含字母和数字$/],
      [{ ...valid, idNumber: testIdNumber(104), password: '1234567' }, 'password', /^密码至少8位，需同时包含字母和数字$/],
      [{ ...valid, idNumber: testIdNumber(105), password: `a1${'b'.repeat(63)}` }, 'password', /密码不能超过64位/],
      [{ ...valid, idNumber: '110105199001011230' }, 'idNumber', /证件号码/],
      [{ ...valid, idNumber: testIdNumber(106), name: 'Zhang' }, 'name', /姓名/],
      [{ name: '张三', idNumber: testIdNumber(107), mobile: '13800138000' }, 'password', /^请填写密码$/],
    ];
    for (const [body, field, message] of cases) {
      const response = await register(body);
      assert.equal(response.status, 400, field);
      const text = await response.text();
      const { issues } = JSON.parse(text) as { issues: { field: string; message: string }[] };
      assert.equal(issues.length, 1, text);
      assert.equal(issues[0]!.field, field);
      assert.match(issues[0]!.message, message);
      const value = body[field];
      if (typeof value === 'string') assert.equal(text.includes(value), false, `echoed ${field}`);
    }
  });

  it('limits registrations per client address', async () => {
    const limited = appWith(fixture.storage, {
      limits: { perIp: { limit: 2, windowMs: 60_000 } },
      clientAddress: () => '2001:db8::1',
    });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await limited.request('/api/accounts', jsonRequest('POST', { ...valid, password: 'short' }));
      statuses.push(response.status);
      if (response.status === 429) {
        assert.deepEqual(await response.json(), { error: '操作过于频繁，请稍后再试' });
        assert.ok(Number(response.headers.get('retry-after')) >= 1);
      }
    }
    // Invalid bodies count as well: the limit is on attempts, checked before the body is read.
    assert.deepEqual(statuses, [400, 400, 429]);
  });
});
