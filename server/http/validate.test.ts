import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import * as v from 'valibot';
import { limitBody } from './json-body.ts';
import { validate, validationOf } from './validate.ts';

const schema = v.object({ mobile: v.pipe(v.string(), v.regex(/^1[3-9]\d{9}$/, '手机号码格式不正确')) });
const idSchema = v.object({ id: v.pipe(v.string(), v.regex(/^\d+$/, '标识不正确'), v.transform(Number)) });
const querySchema = v.object({ page: v.optional(v.pipe(v.string(), v.regex(/^\d+$/, '页码不正确')), '1') });
// A missing key is reported by the object, so the object's message names it.
const headerSchema = v.object({ 'x-key': v.pipe(v.string(), v.uuid('X-Key 请求头应为 UUID')) }, '缺少 X-Key 请求头');

const app = new Hono()
  .post('/echo', limitBody(100), validate('json', schema), (c) => c.json({ mobile: c.req.valid('json').mobile }))
  .get('/items/:id', validate('param', idSchema, { brief: true }), validate('query', querySchema), (c) =>
    c.json({ id: c.req.valid('param').id, page: c.req.valid('query').page }),
  )
  .get('/things/:id', validate('param', idSchema, { brief: true, status: 404 }), (c) => c.json({ id: c.req.valid('param').id }))
  .get('/keyed', validate('header', headerSchema, { brief: true }), (c) => c.json({ key: c.req.valid('header')['x-key'] }));

function post(body: string, type = 'application/json') {
  return app.request('/echo', { method: 'POST', body, headers: { 'content-type': type } });
}

describe('validate: JSON bodies', () => {
  it('passes valid JSON through', async () => {
    const response = await post(JSON.stringify({ mobile: '13800138000' }));
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { mobile: '13800138000' });
  });

  it('answers 415 for another media type', async () => {
    const response = await post('mobile=13800138000', 'application/x-www-form-urlencoded');
    assert.equal(response.status, 415);
    assert.deepEqual(await response.json(), { error: '请求内容应为 JSON 格式' });
  });

  it('answers 400 for malformed JSON', async () => {
    const response = await post('{"mobile":');
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { error: '请求内容不是有效的 JSON' });
  });

  it('answers 400 with field issues and never echoes the input', async () => {
    const response = await post(JSON.stringify({ mobile: '<script>99</script>' }));
    assert.equal(response.status, 400);
    const text = await response.text();
    assert.doesNotMatch(text, /script|99/);
    assert.deepEqual(JSON.parse(text), {
      error: '提交的信息有误，请按提示修改',
      issues: [{ field: 'mobile', message: '手机号码格式不正确' }],
    });
  });

  it('answers 413 above the size limit', async () => {
    const response = await post(JSON.stringify({ mobile: 'x'.repeat(200) }));
    assert.equal(response.status, 413);
    assert.equal((await response.json()).error, '提交的内容过大');
  });
});

describe('validate: path, query and header', () => {
  it('hands the parsed values to the handler', async () => {
    const response = await app.request('/items/42?page=3');
    assert.deepEqual(await response.json(), { id: 42, page: '3' });
    assert.deepEqual(await (await app.request('/items/7')).json(), { id: 7, page: '1' });
  });

  it("answers a brief refusal with the schema's own message, else the field issues", async () => {
    const badId = await app.request('/items/abc');
    assert.equal(badId.status, 400);
    assert.deepEqual(await badId.json(), { error: '标识不正确' });
    const badPage = await app.request('/items/1?page=x');
    assert.equal(badPage.status, 400);
    assert.deepEqual(await badPage.json(), {
      error: '提交的信息有误，请按提示修改',
      issues: [{ field: 'page', message: '页码不正确' }],
    });
  });

  it('answers 404 where a malformed id counts as an unknown one', async () => {
    const response = await app.request('/things/abc');
    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), { error: '标识不正确' });
  });

  it('reads headers by their lower-case names', async () => {
    const missing = await app.request('/keyed');
    assert.deepEqual([missing.status, await missing.json()], [400, { error: '缺少 X-Key 请求头' }]);
    const bad = await app.request('/keyed', { headers: { 'X-Key': 'nope' } });
    assert.deepEqual([bad.status, await bad.json()], [400, { error: 'X-Key 请求头应为 UUID' }]);
    const key = '0b9d6c1e-3f7a-4c2b-9d8e-1a2b3c4d5e6f';
    assert.deepEqual(await (await app.request('/keyed', { headers: { 'X-Key': key } })).json(), { key });
  });

  it('carries its target, schema and refusal status for the API document', () => {
    const middleware = validate('query', querySchema);
    assert.deepEqual(validationOf(middleware), { target: 'query', schema: querySchema, status: 400 });
    assert.equal(validationOf(() => undefined), undefined);
  });
});
