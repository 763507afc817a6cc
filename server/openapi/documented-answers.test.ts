/** Real answers of the assembled API, each checked against the schema its route documents for that status. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import * as v from 'valibot';
import { usccCheckChar } from '../../shared/uscc.ts';
import { jsonRequest, openTestStorage, sessionCookie, type TestStorage, testIdNumber } from '../../test/support/route-fixtures.ts';
import { API_BASE_PATH, createApi } from '../app.ts';
import { upsertEnterprises } from '../db/enterprises-store.ts';
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
    await check('get', '/openapi.json', '/openapi.json', 200);
    const unknown = await api.request('/no-such-thing');
    assert.equal(unknown.status, 404);
    assert.deepEqual(await unknown.json(), { error: '请求的地址不存在' });
  });
});
