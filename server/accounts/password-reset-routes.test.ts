import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import sharp from 'sharp';
import { jsonRequest, openTestStorage, sessionCookie, type TestStorage, testIdNumber } from '../../test/support/route-fixtures.ts';
import { PASSWORD_RULE } from '../../shared/password-rules.ts';
import type { Storage } from '../db/database.ts';
import { developmentVerifier } from '../face-verification/development-verifier.ts';
import type { FaceVerifier } from '../face-verification/verifier.ts';
import { accountRoutes } from './account-routes.ts';
import { completePasswordReset, PASSWORD_RESET_VALID_MS, startPasswordReset } from './password-reset.ts';
import { markFacePassed } from './password-reset-store.ts';
import { type PasswordResetOptions, passwordResetRoutes } from './password-reset-routes.ts';
import { sessionRoutes } from './session-routes.ts';

const NAME = '王芳';
const OLD_PASSWORD = 'jianli2026';
const NEW_PASSWORD = 'xinmima2027';
const failing: FaceVerifier = { name: 'stub', verify: async () => ({ passed: false, reference: 'stub-fail' }) };

function appWith(storage: Storage, verifier: FaceVerifier = developmentVerifier, options: PasswordResetOptions = {}) {
  return new Hono()
    .route('/api/accounts', accountRoutes(storage))
    .route('/api/session', sessionRoutes(storage))
    .route('/api/password-resets', passwordResetRoutes(storage, verifier, options));
}

describe('/api/password-resets', () => {
  let fixture: TestStorage;
  let app: Hono;
  let png: Uint8Array;
  let counter = 0;
  before(async () => {
    fixture = await openTestStorage();
    app = appWith(fixture.storage);
    png = new Uint8Array(await sharp({ create: { width: 64, height: 64, channels: 3, background: '#fff' } }).png().toBuffer());
  });
  after(() => fixture.cleanup());

  /** A fresh registered account (so no test sees another's limits or sessions) and its session cookie. */
  async function registered(): Promise<{ idNumber: string; accountId: string; cookie: string }> {
    counter += 1;
    const idNumber = testIdNumber(800 + counter);
    const response = await app.request('/api/accounts', jsonRequest('POST', { name: NAME, idNumber, mobile: '13800138000', password: OLD_PASSWORD }));
    assert.equal(response.status, 201);
    return { idNumber, accountId: (await response.json()).account.id, cookie: sessionCookie(response) };
  }

  function unregisteredId(): string {
    counter += 1;
    return testIdNumber(800 + counter);
  }

  const start = (target: Hono, name: string, idNumber: string) => target.request('/api/password-resets', jsonRequest('POST', { name, idNumber }));

  async function resetIdOf(response: Response): Promise<string> {
    assert.equal(response.status, 201);
    return (await response.json()).resetId;
  }

  function face(target: Hono, resetId: string, consent = 'yes') {
    const body = new FormData();
    body.set('consent', consent);
    body.set('image', new File([Buffer.from(png)], 'face.png', { type: 'image/png' }));
    return target.request(`/api/password-resets/${resetId}/face-verification`, { method: 'POST', body });
  }

  const setPassword = (target: Hono, resetId: string, password: string) =>
    target.request(`/api/password-resets/${resetId}/password`, jsonRequest('PUT', { password }));

  const signIn = (idNumber: string, password: string) => app.request('/api/session', jsonRequest('POST', { idNumber, password }));

  async function auditRows() {
    return fixture.storage.db.selectFrom('audit_log').selectAll().where('action', 'like', 'password-reset.%').orderBy('at').orderBy('id').execute();
  }

  it('gets back in: name + ID, face check, new password → signed in; every other session ends; the old password fails', async () => {
    const { idNumber, accountId, cookie: oldCookie } = await registered();
    const resetId = await resetIdOf(await start(app, NAME, idNumber));
    assert.match(resetId, /^[A-Za-z0-9_-]{43}$/);

    const passed = await face(app, resetId);
    assert.equal(passed.status, 200);
    assert.equal((await passed.json()).result, 'pass');

    const done = await setPassword(app, resetId, NEW_PASSWORD);
    assert.equal(done.status, 200);
    const { account } = await done.json();
    assert.equal(account.id, accountId);
    assert.equal(account.faceVerified, true);
    const newCookie = sessionCookie(done);
    assert.equal((await app.request('/api/session', { headers: { cookie: newCookie } })).status, 200);
    assert.equal((await app.request('/api/session', { headers: { cookie: oldCookie } })).status, 401, 'the old session ended');

    assert.equal((await signIn(idNumber, OLD_PASSWORD)).status, 401);
    assert.equal((await signIn(idNumber, NEW_PASSWORD)).status, 200);

    const steps = (await auditRows()).filter((row) => row.subject === `account:${accountId}`);
    assert.deepEqual(
      steps.map((row) => [row.action, row.actor, row.actor_role]),
      [
        ['password-reset.request', `account:${accountId}`, 'applicant'],
        ['password-reset.face-pass', `account:${accountId}`, 'applicant'],
        ['password-reset.complete', `account:${accountId}`, 'applicant'],
      ],
    );
  });

  it('is used once: after the new password, neither step works again', async () => {
    const { idNumber } = await registered();
    const resetId = await resetIdOf(await start(app, NAME, idNumber));
    assert.equal((await face(app, resetId)).status, 200);
    assert.equal((await setPassword(app, resetId, NEW_PASSWORD)).status, 200);
    const again = await setPassword(app, resetId, 'another2028');
    assert.equal(again.status, 404);
    assert.deepEqual(await again.json(), { error: '找回密码已失效，请重新开始' });
    assert.equal((await face(app, resetId)).status, 404);
    assert.equal((await signIn(idNumber, 'another2028')).status, 401);
  });

  it('answers an unregistered ID and a wrong name exactly as a registered one until the face check', async () => {
    const { idNumber } = await registered();
    const answers = [await start(app, NAME, idNumber), await start(app, NAME, unregisteredId()), await start(app, '王小芳', idNumber)];
    const bodies = await Promise.all(answers.map((response) => response.json()));
    assert.deepEqual(answers.map((response) => response.status), [201, 201, 201]);
    for (const body of bodies) {
      assert.deepEqual(Object.keys(body).sort(), ['expiresAt', 'resetId']);
      assert.ok(Math.abs(Date.parse(body.expiresAt) - Date.now() - PASSWORD_RESET_VALID_MS) < 60_000);
    }
    // Before the face check, setting a password is refused alike.
    const refused = await Promise.all(bodies.map(async (body) => {
      const response = await setPassword(app, body.resetId, NEW_PASSWORD);
      return [response.status, await response.text()];
    }));
    assert.deepEqual(refused[1], refused[0]);
    assert.deepEqual(refused[2], refused[0]);
    assert.deepEqual(refused[0], [403, JSON.stringify({ error: '请先完成人脸识别' })]);
  });

  it('fails the face check of an unknown ID with the very answer a wrong face gets', async () => {
    const { idNumber } = await registered();
    const wrongFaceApp = appWith(fixture.storage, failing);
    const known = await face(wrongFaceApp, await resetIdOf(await start(app, NAME, idNumber)));
    const unknown = await face(app, await resetIdOf(await start(app, NAME, unregisteredId())));
    assert.equal(known.status, 422);
    assert.equal(unknown.status, 422);
    const text = await known.text();
    assert.equal(await unknown.text(), text);
    assert.deepEqual(JSON.parse(text), { error: '人脸识别未通过，请重试' });
  });

  it('writes nothing personal to the audit for an unknown ID, and never the ID number or name', async () => {
    const idNumber = unregisteredId();
    const before = (await auditRows()).length;
    const resetId = await resetIdOf(await start(app, '赵六', idNumber));
    await face(app, resetId);
    const added = (await auditRows()).slice(before);
    assert.deepEqual(
      added.map((row) => [row.actor, row.action, row.subject, row.actor_role, row.organisation, row.address]),
      [
        ['anonymous', 'password-reset.request', 'password-reset', null, null, null],
        ['anonymous', 'password-reset.face-fail', 'password-reset', null, null, null],
      ],
    );
    const everything = JSON.stringify(await fixture.storage.db.selectFrom('audit_log').selectAll().execute());
    assert.equal(everything.includes(idNumber), false);
    assert.equal(everything.includes('赵六'), false);
    const rows = await fixture.storage.db.selectFrom('password_resets').selectAll().execute();
    assert.equal(JSON.stringify(rows).includes(resetId), false, 'only the hash of the reset id is stored');
  });

  it('voids the reset after 5 failed face checks', async () => {
    const { idNumber } = await registered();
    const wrongFaceApp = appWith(fixture.storage, failing);
    const resetId = await resetIdOf(await start(app, NAME, idNumber));
    for (let attempt = 1; attempt <= 5; attempt++) assert.equal((await face(wrongFaceApp, resetId)).status, 422, `attempt ${attempt}`);
    assert.equal((await face(app, resetId)).status, 404);
  });

  it('answers 503 when the verifier breaks, without spending an attempt', async () => {
    const { idNumber } = await registered();
    const broken = appWith(fixture.storage, { name: 'broken', verify: async () => Promise.reject(new Error('down')) });
    const resetId = await resetIdOf(await start(app, NAME, idNumber));
    const original = console.error;
    console.error = () => {};
    try {
      const response = await face(broken, resetId);
      assert.equal(response.status, 503);
      assert.deepEqual(await response.json(), { error: '人脸识别服务暂不可用，请稍后重试' });
    } finally {
      console.error = original;
    }
    const row = await fixture.storage.db.selectFrom('password_resets').select('face_failures').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    assert.equal(row.face_failures, 0);
    assert.equal((await face(app, resetId)).status, 200);
  });

  it('asks for consent and a real image as the journey does', async () => {
    const { idNumber } = await registered();
    const resetId = await resetIdOf(await start(app, NAME, idNumber));
    const refused = await face(app, resetId, 'no');
    assert.equal(refused.status, 400);
    assert.deepEqual(await refused.json(), { error: '请先勾选授权项' });
  });

  it('holds the new password to the password rules, and answers a malformed reset id like an unknown one', async () => {
    const { idNumber } = await registered();
    const resetId = await resetIdOf(await start(app, NAME, idNumber));
    assert.equal((await face(app, resetId)).status, 200);
    const weak = await setPassword(app, resetId, 'abcdefgh');
    assert.equal(weak.status, 400);
    assert.equal((await weak.json()).issues[0].message, PASSWORD_RULE);
    const malformed = await setPassword(app, 'not-a-reset', NEW_PASSWORD);
    const unknown = await setPassword(app, 'A'.repeat(43), NEW_PASSWORD);
    assert.equal(malformed.status, 404);
    assert.equal(unknown.status, 404);
    assert.equal(await malformed.text(), await unknown.text());
    assert.equal((await setPassword(app, resetId, NEW_PASSWORD)).status, 200, 'a refused password does not use the reset');
  });

  it('expires 15 minutes after it started (the boundary is expired)', async () => {
    const { idNumber } = await registered();
    const t0 = new Date('2030-01-01T08:00:00Z');
    const requester = (ms: number) => ({ address: 'test', now: new Date(t0.getTime() + ms) });
    const late = await startPasswordReset(fixture.storage, { name: NAME, idNumber }, requester(0));
    await markFacePassed(fixture.storage.db, late.resetId, t0);
    assert.equal(late.expiresAt, new Date(t0.getTime() + PASSWORD_RESET_VALID_MS).toISOString());
    assert.equal((await completePasswordReset(fixture.storage, late.resetId, NEW_PASSWORD, requester(PASSWORD_RESET_VALID_MS))).kind, 'not-found');
    const inTime = await startPasswordReset(fixture.storage, { name: NAME, idNumber }, requester(0));
    await markFacePassed(fixture.storage.db, inTime.resetId, t0);
    assert.equal((await completePasswordReset(fixture.storage, inTime.resetId, NEW_PASSWORD, requester(PASSWORD_RESET_VALID_MS - 1))).kind, 'done');
  });

  it('limits the first step per ID number and per address, with Retry-After', async () => {
    const perId = appWith(fixture.storage, developmentVerifier, { limits: { perIdNumber: { limit: 2, windowMs: 60_000 } } });
    const idNumber = unregisteredId();
    assert.equal((await start(perId, NAME, idNumber)).status, 201);
    assert.equal((await start(perId, '别人', idNumber)).status, 201);
    const limited = await start(perId, NAME, idNumber);
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.equal((await start(perId, NAME, unregisteredId())).status, 201, 'another ID number is not held up');

    let address = 'a';
    const perIp = appWith(fixture.storage, developmentVerifier, {
      limits: { perIp: { limit: 1, windowMs: 60_000 } },
      clientAddress: () => address,
    });
    assert.equal((await start(perIp, NAME, unregisteredId())).status, 201);
    assert.equal((await start(perIp, NAME, unregisteredId())).status, 429);
    address = 'b';
    assert.equal((await start(perIp, NAME, unregisteredId())).status, 201);
  });
});
