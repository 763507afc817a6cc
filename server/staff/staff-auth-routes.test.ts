import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Hono } from 'hono';
import { hashPassword } from '../accounts/password-hash.ts';
import { createApiToken, listApiTokens, revokeApiToken } from '../db/api-tokens-store.ts';
import { listAudit } from '../db/audit-log-store.ts';
import { upsertEnterprises } from '../db/enterprises-store.ts';
import { createSession } from '../db/sessions-store.ts';
import { createStaffAccount, disableStaffAccount, setStaffPassword } from '../db/staff-accounts-store.ts';
import { usccCheckChar } from '../../shared/uscc.ts';
import { jsonRequest, openTestStorage, type TestStorage } from '../../test/support/route-fixtures.ts';
import type { StaffRole } from './staff-account.ts';
import { requireStaff, STAFF_COOKIE, type StaffEnv } from './staff-auth.ts';
import { staffAuthRoutes } from './staff-auth-routes.ts';
import { newTotpSecret, totpCodeAt } from './totp.ts';

const PASSWORD = 'abc12345';
const first17 = '91370102MA0000002';
const USCC = first17 + usccCheckChar(first17);

describe('staff sign-in, sessions, tokens and the audit', () => {
  let fixture: TestStorage;
  let app: Hono;
  let now: Date;
  const secrets = new Map<string, string>();

  const clock = () => now;
  const advance = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };
  const MINUTE = 60_000;

  async function addStaff(username: string, role: StaffRole, options: { temporary?: boolean } = {}) {
    const totpSecret = newTotpSecret();
    secrets.set(username, totpSecret);
    const account = await createStaffAccount(fixture.storage.db, {
      username,
      role,
      ...(role === 'employer' ? { uscc: USCC } : {}),
      passwordHash: await hashPassword(PASSWORD),
      totpSecret,
    });
    if (!options.temporary) await setStaffPassword(fixture.storage.db, account.id, await hashPassword(PASSWORD), false);
    return account;
  }

  const code = (username: string, at = now) => totpCodeAt(secrets.get(username)!, at);

  function signIn(username: string, password = PASSWORD, totp = code(username)) {
    return app.request('/api/staff/session', jsonRequest('POST', { username, password, code: totp }));
  }

  function cookieOf(response: Response): string {
    const line = response.headers.getSetCookie().find((l) => l.startsWith(`${STAFF_COOKIE}=`));
    assert.ok(line, 'a staff cookie is set');
    return line.split(';')[0]!;
  }

  const whoAmI = (cookie: string) => app.request('/api/staff/session', { headers: { cookie } });

  before(async () => {
    fixture = await openTestStorage();
    await upsertEnterprises(fixture.storage.db, [{ uscc: USCC, name: '济南泉城建设工程监理有限公司', legalRepresentative: '张三', province: '山东省', city: '济南市' }]);
    now = new Date('2030-03-01T08:00:00.000Z');
    // A read-only route and a write route, as the feed and the decisions guard themselves.
    const probe = new Hono<StaffEnv>()
      .get('/read', requireStaff(fixture.storage, { roles: ['reviewer', 'admin'], allowToken: true, clock }), (c) => c.json(c.get('staff')))
      .post('/write', requireStaff(fixture.storage, { roles: ['reviewer', 'admin'], clock }), (c) => c.json(c.get('staff')));
    app = new Hono()
      .route('/api/staff', staffAuthRoutes(fixture.storage, { clock, signInLimit: { limit: 10_000, windowMs: 60_000 } }))
      .route('/api/staff/probe', probe);
    await addStaff('reviewer1', 'reviewer');
    await addStaff('admin1', 'admin');
    await addStaff('employer1', 'employer');
  });
  after(() => fixture.cleanup());
  beforeEach(() => advance(31_000)); // a fresh TOTP step for each test

  it('signs in with password and code: 200, who-am-I, and a cookie of its own (HttpOnly, Strict, /api: staff and employer routes)', async () => {
    const response = await signIn('employer1');
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { staff: { username: 'employer1', role: 'employer', uscc: USCC, enterpriseName: '济南泉城建设工程监理有限公司' } });
    const line = response.headers.getSetCookie().find((l) => l.startsWith(`${STAFF_COOKIE}=`))!;
    assert.match(line, /HttpOnly/);
    assert.match(line, /SameSite=Strict/);
    assert.match(line, /Path=\/api(;|$)/);
    assert.doesNotMatch(line, /Secure/);
    const me = await whoAmI(cookieOf(response));
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { staff: { username: string } }).staff.username, 'employer1');
  });

  it('marks the cookie Secure over https', async () => {
    const response = await app.request('https://example.test/api/staff/session', jsonRequest('POST', { username: 'reviewer1', password: PASSWORD, code: code('reviewer1') }));
    assert.equal(response.status, 200);
    assert.match(response.headers.getSetCookie().join('\n'), /jl_staff=[^\n]*Secure/);
  });

  it('answers a wrong username, password or code alike: 401, the same message', async () => {
    const answers = await Promise.all([
      signIn('nobody', PASSWORD, '123456'),
      signIn('admin1', 'wrong1234'),
      signIn('admin1', PASSWORD, code('admin1', new Date(now.getTime() + 10 * MINUTE))),
    ]);
    const bodies = await Promise.all(answers.map((r) => r.json()));
    assert.deepEqual(answers.map((r) => r.status), [401, 401, 401]);
    assert.equal(new Set(bodies.map((b) => JSON.stringify(b))).size, 1);
    const ok = await signIn('admin1');
    assert.equal(ok.status, 200, 'two failures do not lock');
  });

  it('accepts a code once: the same code again, or an older one, is 401', async () => {
    const totp = code('reviewer1');
    assert.equal((await signIn('reviewer1', PASSWORD, totp)).status, 200);
    assert.equal((await signIn('reviewer1', PASSWORD, totp)).status, 401, 'replayed');
    const older = code('reviewer1', new Date(now.getTime() - 30_000));
    assert.equal((await signIn('reviewer1', PASSWORD, older)).status, 401, 'an older step');
    advance(30_000);
    assert.equal((await signIn('reviewer1')).status, 200, 'the next step works');
  });

  it('refuses a one-time password with 403 passwordChangeRequired; /password sets a new one and signs in', async () => {
    await addStaff('newcomer', 'reviewer', { temporary: true });
    const refused = await signIn('newcomer');
    assert.equal(refused.status, 403);
    assert.deepEqual(await refused.json(), { error: '首次登录须先修改一次性密码', passwordChangeRequired: true });
    assert.equal(refused.headers.getSetCookie().length, 0);

    const change = (newPassword: string, totp = code('newcomer')) =>
      app.request('/api/staff/password', jsonRequest('POST', { username: 'newcomer', password: PASSWORD, newPassword, code: totp }));
    const weak = await change('short');
    assert.equal(weak.status, 400);
    assert.match(JSON.stringify(await weak.json()), /密码至少8位，需同时包含字母和数字/);
    assert.equal((await change(PASSWORD)).status, 400, 'the same password again');

    const changed = await change('newPass2030');
    assert.equal(changed.status, 200);
    assert.equal((await whoAmI(cookieOf(changed))).status, 200);
    advance(30_000);
    assert.equal((await signIn('newcomer')).status, 401, 'the one-time password is gone');
    assert.equal((await signIn('newcomer', 'newPass2030')).status, 200);
  });

  it('locks the account after 5 failures in a row for 15 minutes, saying until when; then it works again', async () => {
    await addStaff('guessed', 'reviewer');
    for (let i = 0; i < 4; i++) assert.equal((await signIn('guessed', `wrong${i}abc`)).status, 401);
    const fifth = await signIn('guessed', 'wrong5abc');
    assert.equal(fifth.status, 429);
    const body = (await fifth.json()) as { error: string };
    assert.match(body.error, /账号已锁定，请于 .*2030.* 后再试/);
    assert.equal(fifth.headers.get('retry-after'), '900');
    assert.equal((await signIn('guessed')).status, 429, 'even the right password while locked');
    advance(14 * MINUTE);
    assert.equal((await signIn('guessed')).status, 429);
    advance(MINUTE + 1000);
    assert.equal((await signIn('guessed')).status, 200, 'the lock has run out');
    advance(30_000);
    for (let i = 0; i < 4; i++) assert.equal((await signIn('guessed', `wrong${i}abc`)).status, 401, 'a success starts the count again');
  });

  it('ends a session after 30 minutes idle', async () => {
    const cookie = cookieOf(await signIn('reviewer1'));
    advance(29 * MINUTE);
    assert.equal((await whoAmI(cookie)).status, 200, 'each request restarts the idle clock');
    advance(29 * MINUTE);
    assert.equal((await whoAmI(cookie)).status, 200);
    advance(30 * MINUTE + 1000);
    const expired = await whoAmI(cookie);
    assert.equal(expired.status, 401);
    assert.deepEqual(await expired.json(), { error: '请先登录' });
  });

  it('ends a session 8 hours after sign-in, however busy', async () => {
    const cookie = cookieOf(await signIn('reviewer1'));
    for (let minutes = 0; minutes < 8 * 60 - 20; minutes += 20) {
      advance(20 * MINUTE);
      assert.equal((await whoAmI(cookie)).status, 200);
    }
    advance(21 * MINUTE);
    assert.equal((await whoAmI(cookie)).status, 401);
  });

  it('signs out with DELETE: the cookie no longer works', async () => {
    const cookie = cookieOf(await signIn('reviewer1'));
    const out = await app.request('/api/staff/session', { method: 'DELETE', headers: { cookie } });
    assert.equal(out.status, 204);
    assert.match(out.headers.getSetCookie().join('\n'), /jl_staff=;/);
    assert.equal((await whoAmI(cookie)).status, 401);
  });

  it('refuses a disabled account at once, its open session included, and its sign-in alike', async () => {
    await addStaff('leaver', 'reviewer');
    const cookie = cookieOf(await signIn('leaver'));
    assert.equal((await whoAmI(cookie)).status, 200);
    await disableStaffAccount(fixture.storage.db, 'leaver');
    assert.equal((await whoAmI(cookie)).status, 401);
    advance(30_000);
    const again = await signIn('leaver');
    assert.equal(again.status, 401);
    assert.deepEqual(await again.json(), { error: '用户名、密码或动态验证码不正确' });
  });

  it('refuses an applicant cookie and anonymous calls on staff routes with 401', async () => {
    const token = randomBytes(32).toString('base64url');
    const account = await fixture.storage.db.insertInto('accounts').values({ id: 'applicant-1', name: '张三', id_number: '110105199001010011', mobile: '13800138000', password_hash: 'x', created_at: now.toISOString() }).returning('id').executeTakeFirstOrThrow();
    await createSession(fixture.storage.db, { token, accountId: account.id, expiresAt: new Date(Date.now() + 3600_000) });
    for (const cookie of [`jl_session=${token}`, `${STAFF_COOKIE}=${token}`, '']) {
      const response = await app.request('/api/staff/probe/read', { headers: { cookie } });
      assert.equal(response.status, 401, cookie);
      assert.deepEqual(await response.json(), { error: '请先登录' });
    }
  });

  it('refuses a role not allowed with 403', async () => {
    const cookie = cookieOf(await signIn('employer1'));
    const response = await app.request('/api/staff/probe/read', { headers: { cookie } });
    assert.equal(response.status, 403);
    assert.deepEqual(await response.json(), { error: '无权进行此操作' });
    assert.equal((await app.request('/api/staff/audit', { headers: { cookie: cookieOf(await signIn('reviewer1')) } })).status, 403);
  });

  it('lets a token read (audited as token.use, last use kept), refuses it on a write route (403), and a revoked one (401)', async () => {
    const token = `jlt_${randomBytes(32).toString('base64url')}`;
    const created = await createApiToken(fixture.storage.db, { name: 'province-sd', token });
    const headers = { authorization: `Bearer ${token}` };
    const read = await app.request('/api/staff/probe/read', { headers });
    assert.equal(read.status, 200);
    assert.deepEqual(await read.json(), { kind: 'token', id: created.id, name: 'province-sd' });
    assert.equal((await listApiTokens(fixture.storage.db)).find((t) => t.name === 'province-sd')?.lastUsedAt, now.toISOString());
    const write = await app.request('/api/staff/probe/write', { method: 'POST', headers });
    assert.equal(write.status, 403);
    assert.equal((await app.request('/api/staff/session', { headers })).status, 403, 'who-am-I is for accounts');
    const uses = await listAudit(fixture.storage.db, { action: 'token.use', limit: 10 });
    assert.deepEqual(uses.map((e) => [e.actor, e.actorRole, e.organisation, e.subject]), [[`token:${created.id}`, 'token', 'province-sd', 'route:GET /api/staff/probe/read']]);

    await revokeApiToken(fixture.storage.db, 'province-sd');
    assert.equal((await app.request('/api/staff/probe/read', { headers })).status, 401);
    assert.equal((await app.request('/api/staff/probe/read', { headers: { authorization: 'Bearer made-up' } })).status, 401);
  });

  it('shows admins the audit: sign-ins and failures, with filters and a cursor that neither skips nor repeats', async () => {
    const cookie = cookieOf(await signIn('admin1'));
    const page = async (query: string) => {
      // Each read is audited; a later instant keeps those entries after the ones already listed.
      advance(1);
      const response = await app.request(`/api/staff/audit?${query}`, { headers: { cookie } });
      assert.equal(response.status, 200, query);
      return (await response.json()) as { entries: { id: string; action: string; actor: string; actorRole: string | null }[]; nextCursor: string | null };
    };
    const all = await page('limit=200');
    const actions = new Set(all.entries.map((e) => e.action));
    for (const action of ['staff.sign-in', 'staff.sign-in-failed', 'staff.password-change', 'token.use']) assert.ok(actions.has(action), action);
    assert.ok(all.entries.some((e) => e.action === 'staff.sign-in-failed' && e.actor === 'anonymous'), 'an unknown username is recorded without the name');

    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const next = await page(`limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      assert.ok(next.entries.length <= 3);
      seen.push(...next.entries.map((e) => e.id));
      cursor = next.nextCursor;
    }
    // The reads above were audited too, after the first page was taken.
    assert.deepEqual(seen.slice(0, all.entries.length), all.entries.map((e) => e.id));
    assert.equal(new Set(seen).size, seen.length);

    const failures = await page('action=staff.sign-in-failed');
    assert.ok(failures.entries.length > 0 && failures.entries.every((e) => e.action === 'staff.sign-in-failed'));
    const future = await page(`from=${encodeURIComponent(new Date(now.getTime() + MINUTE).toISOString())}`);
    assert.deepEqual(future.entries, []);

    for (const bad of ['cursor=bm90LWpzb24', 'cursor=..', 'limit=0', 'from=yesterday']) {
      const response = await app.request(`/api/staff/audit?${bad}`, { headers: { cookie } });
      assert.equal(response.status, 400, bad);
    }
  });

  it('exports the audit as Excel-safe CSV for admins', async () => {
    const cookie = cookieOf(await signIn('admin1'));
    const response = await app.request('/api/staff/audit.csv?action=staff.sign-in', { headers: { cookie } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1).split('\r\n');
    assert.equal(lines[0], '"时间","操作者","角色","单位","操作","对象","来源地址"');
    assert.ok(lines.slice(1, -1).length > 0 && lines.slice(1, -1).every((l) => l.includes('"staff.sign-in"')));
    const reviewer = cookieOf(await signIn('reviewer1'));
    assert.equal((await app.request('/api/staff/audit.csv', { headers: { cookie: reviewer } })).status, 403);
  });
});

describe('staff sign-in rate limit', () => {
  it('answers 429 once the address has tried too often', async () => {
    const fixture = await openTestStorage();
    try {
      const app = new Hono().route('/api/staff', staffAuthRoutes(fixture.storage, { signInLimit: { limit: 2, windowMs: 60_000 } }));
      const attempt = () => app.request('/api/staff/session', jsonRequest('POST', { username: 'nobody', password: 'x1234567', code: '000000' }));
      assert.equal((await attempt()).status, 401);
      assert.equal((await attempt()).status, 401);
      const third = await attempt();
      assert.equal(third.status, 429);
      assert.ok(Number(third.headers.get('retry-after')) >= 1);
    } finally {
      await fixture.cleanup();
    }
  });
});
