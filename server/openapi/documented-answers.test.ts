/** Real answers of the assembled API, each checked against the schema its route documents for that status. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import * as v from 'valibot';
import { usccCheckChar } from '../../shared/uscc.ts';
import { jsonRequest, openTestStorage, sessionCookie, type TestStorage, testIdNumber } from '../../test/support/route-fixtures.ts';
import { applicationOf, signedInStaff, testApplicant } from '../../test/support/review-fixtures.ts';
import { API_BASE_PATH, createApi } from '../app.ts';
import { upsertEnterprises } from '../db/enterprises-store.ts';
import { hashPassword } from '../accounts/password-hash.ts';
import { createStaffAccount, setStaffPassword } from '../db/staff-accounts-store.ts';
import { newTotpSecret, totpCodeAt } from '../staff/totp.ts';
import { developmentVerifier } from '../face-verification/development-verifier.ts';
import { responseSpecsOf } from './openapi-document.ts';
import { type HttpMethod, routeOperations } from './route-table.ts';

const first17 = '91370102MA0000001';
const enterprise = { uscc: first17 + usccCheckChar(first17), name: '济南泉城建设工程监理有限公司', legalRepresentative: '张三', province: '山东省', city: '济南市' };

describe('real answers match their documented schemas', () => {
  let fixture: TestStorage;
  let api: ReturnType<typeof createApi>;
  let cookie: string;

  before(async () => {
    fixture = await openTestStorage();
    await upsertEnterprises(fixture.storage.db, [enterprise]);
    api = createApi({ storage: fixture.storage, faceVerifier: developmentVerifier });
    const signUp = await api.request('/accounts', jsonRequest('POST', { name: '张三', idNumber: testIdNumber(101), mobile: '13800138000', password: 'abc12345' }));
    assert.equal(signUp.status, 201);
    cookie = sessionCookie(signUp);
  });
  after(() => fixture.cleanup());

  /** The schema documented for `status`; fails when the route documents no schema for it. */
  function documented(method: HttpMethod, path: string, status: number): v.GenericSchema {
    const operation = routeOperations(api, API_BASE_PATH).find((op) => op.method === method && op.path === path);
    assert.ok(operation?.spec, `${method} ${path} is described`);
    const schema = responseSpecsOf(operation.spec, operation.validations)[status]?.schema;
    assert.ok(schema, `${method} ${path} documents a body for ${status}`);
    return schema;
  }

  /** Sends the request and checks status and body; an unknown key would be dropped by the schema and show. */
  async function check(method: HttpMethod, template: string, url: string, status: number, init: RequestInit = {}) {
    const response = await api.request(url, { method: method.toUpperCase(), ...init });
    assert.equal(response.status, status, `${method} ${url}`);
    const body: unknown = await response.json();
    const parsed = v.safeParse(documented(method, `${API_BASE_PATH}${template}`, status), body);
    assert.ok(parsed.success, `${method} ${url} ${status}: ${JSON.stringify(parsed.issues?.map((i) => [v.getDotPath(i), i.message]))}`);
    assert.deepEqual(parsed.output, body, `${method} ${url} ${status} carries nothing undocumented`);
    return body;
  }

  it('health', async () => {
    await check('get', '/health', '/health', 200);
  });

  it('enterprise search, lookup and their refusals', async () => {
    await check('get', '/enterprises', '/enterprises?q=泉城', 200);
    await check('get', '/enterprises', '/enterprises?q=', 400);
    await check('get', '/enterprises/{uscc}', `/enterprises/${enterprise.uscc}`, 200);
    await check('get', '/enterprises/{uscc}', '/enterprises/not-a-uscc', 404);
  });

  it('sign-up, its refusals, the session and sign-in', async () => {
    await check('post', '/accounts', '/accounts', 400, jsonRequest('POST', { name: '张三' }));
    await check('post', '/accounts', '/accounts', 409, jsonRequest('POST', { name: '张三', idNumber: testIdNumber(101), mobile: '13800138000', password: 'abc12345' }));
    await check('post', '/accounts', '/accounts', 415, { body: 'x', headers: { 'content-type': 'text/plain' } });
    await check('get', '/session', '/session', 200, { headers: { cookie } });
    await check('get', '/session', '/session', 401);
    await check('post', '/session', '/session', 200, jsonRequest('POST', { idNumber: testIdNumber(101), password: 'abc12345' }));
    await check('post', '/session', '/session', 401, jsonRequest('POST', { idNumber: testIdNumber(101), password: 'wrong1234' }));
    await check('post', '/identity-checks', '/identity-checks', 200, jsonRequest('POST', { name: '张三', idNumber: testIdNumber(101) }));
    await check('get', '/face-verifications', '/face-verifications', 200, { headers: { cookie } });
  });

  it('a draft PUT, its 409 with the server copy, the list and a bad id', async () => {
    const id = randomUUID();
    const write = (baseRevision: number, name: string) =>
      jsonRequest('PUT', { baseRevision, values: { name }, fieldUpdatedAt: { name: 1_900_000_000_000 }, updatedAt: 1_900_000_000_000 }, cookie);
    await check('put', '/drafts/{id}', `/drafts/${id}`, 200, write(0, '张三'));
    await check('put', '/drafts/{id}', `/drafts/${id}`, 409, write(0, '李四'));
    await check('put', '/drafts/{id}', '/drafts/not-a-uuid', 400, write(0, '张三'));
    await check('put', '/drafts/{id}', `/drafts/${id}`, 400, jsonRequest('PUT', { baseRevision: -1 }, cookie));
    await check('get', '/drafts', '/drafts', 200, { headers: { cookie } });
  });

  it('submissions: the list and a request without its key', async () => {
    await check('get', '/submissions', '/submissions', 200, { headers: { cookie } });
    await check('post', '/submissions', '/submissions', 400, jsonRequest('POST', {}, cookie));
  });

  it('attachments, receipts, the document and an unknown address', async () => {
    await check('get', '/attachments/{sha256}', `/attachments/${'a'.repeat(64)}`, 404, { headers: { cookie } });
    await check('put', '/attachments/{sha256}', '/attachments/x?kind=photo', 400, { headers: { cookie, 'content-type': 'image/png' } });
    await check('get', '/receipts/public-key', '/receipts/public-key', 200);
    await check('get', '/receipts/public-keys', '/receipts/public-keys', 200);
    await check('get', '/openapi.json', '/openapi.json', 200);
    const unknown = await api.request('/no-such-thing');
    assert.equal(unknown.status, 404);
    assert.deepEqual(await unknown.json(), { error: '请求的地址不存在' });
  });

  describe('staff review and employer confirmation', () => {
    let id: string;
    let reviewer: string;
    let employer: string;

    before(async () => {
      const { storage } = fixture;
      reviewer = (await signedInStaff(storage, 'reviewer')).cookie;
      employer = (await signedInStaff(storage, 'employer', enterprise.uscc)).cookie;
      const person = await testApplicant(storage, 201, '李四');
      const submitted = await api.request('/submissions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), cookie: person.cookie },
        body: JSON.stringify(applicationOf(person, enterprise)),
      });
      assert.equal(submitted.status, 201);
      id = ((await submitted.json()) as { id: string }).id;
    });

    it('the queue, the detail, the employer list and their refusals', async () => {
      const auth = { headers: { cookie: reviewer } };
      await check('get', '/staff/submissions', '/staff/submissions', 200, auth);
      await check('get', '/staff/submissions', '/staff/submissions?cursor=bad', 400, auth);
      await check('get', '/staff/submissions', '/staff/submissions', 401);
      await check('get', '/staff/submissions/{id}', `/staff/submissions/${id}`, 200, auth);
      await check('get', '/staff/submissions/{id}', `/staff/submissions/${randomUUID()}`, 404, auth);
      await check('get', '/staff/submissions/{id}', `/staff/submissions/${id}`, 403, { headers: { cookie: employer } });
      await check('get', '/employer/submissions', '/employer/submissions', 200, { headers: { cookie: employer } });
    });

    it('a confirmation, decisions and their refusals', async () => {
      const decide = (body: unknown) => jsonRequest('POST', body, reviewer);
      await check('post', '/staff/submissions/{id}/decisions', `/staff/submissions/${id}/decisions`, 409, decide({ decision: 'accept', version: 1 }));
      await check('post', '/employer/submissions/{id}/confirmation', `/employer/submissions/${id}/confirmation`, 200, jsonRequest('POST', { confirmed: true }, employer));
      await check('post', '/employer/submissions/{id}/confirmation', `/employer/submissions/${randomUUID()}/confirmation`, 404, jsonRequest('POST', { confirmed: true }, employer));
      await check('post', '/staff/submissions/{id}/decisions', `/staff/submissions/${id}/decisions`, 422, decide({ decision: 'not_accept', version: 1 }));
      await check('post', '/staff/submissions/{id}/decisions', `/staff/submissions/${id}/decisions`, 400, decide({ decision: 'accept' }));
      await check('post', '/staff/submissions/{id}/decisions', `/staff/submissions/${id}/decisions`, 200, decide({ decision: 'not_accept', version: 1, reason: '不符合条件' }));
    });
  });

  describe('staff sign-in and the audit', () => {
    it('sign-in, its refusals, who am I, the password change and the audit', async () => {
      const db = fixture.storage.db;
      const totpSecret = newTotpSecret();
      const account = await createStaffAccount(db, { username: 'audit-admin', role: 'admin', passwordHash: await hashPassword('abc12345'), totpSecret });
      const body = (password: string, at = Date.now()) => ({ username: 'audit-admin', password, code: totpCodeAt(totpSecret, new Date(at)) });
      await check('post', '/staff/session', '/staff/session', 403, jsonRequest('POST', body('abc12345')));
      await check('post', '/staff/password', '/staff/password', 400, jsonRequest('POST', { ...body('abc12345'), newPassword: 'short' }));
      await check('post', '/staff/password', '/staff/password', 200, jsonRequest('POST', { ...body('abc12345'), newPassword: 'Admin2030x' }));
      await check('post', '/staff/session', '/staff/session', 401, jsonRequest('POST', body('wrong1234')));
      await setStaffPassword(db, account.id, await hashPassword('abc12345'), false);
      const signIn = await api.request('/staff/session', jsonRequest('POST', body('abc12345', Date.now() + 30_000)));
      assert.equal(signIn.status, 200);
      const staffCookie = signIn.headers.getSetCookie().find((line) => line.startsWith('jl_staff='))!.split(';')[0]!;
      const auth = { headers: { cookie: staffCookie } };
      await check('get', '/staff/session', '/staff/session', 200, auth);
      await check('get', '/staff/session', '/staff/session', 401);
      await check('get', '/staff/audit', '/staff/audit?limit=2', 200, auth);
      await check('get', '/staff/audit', '/staff/audit?cursor=bad', 400, auth);
      await check('get', '/staff/audit', '/staff/audit', 401);
    });
  });
});
