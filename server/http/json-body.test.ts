import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import * as v from 'valibot';
import { limitBody, readJson } from './json-body.ts';

const schema = v.object({ mobile: v.pipe(v.string(), v.regex(/^1[3-9]\d{9}$/, '手机号码格式不正确')) });
const app = new Hono().post('/echo', limitBody(100), async (c) => {
  const body = await readJson(c, schema);
  if (!body.ok) return body.response;
  return c.json({ mobile: body.value.mobile });
});

function post(body: string, type = 'application/json') {
  return app.request('/echo', { method: 'POST', body, headers: { 'content-type': type } });
}

describe('readJson', () => {
  it('passes valid JSON through', async () => {
    const response = await post(JSON.stringify({ mobile: '13800138000' }));
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { mobile: '13800138000' });
  });

  it('answers 415 for another media type', async () => {
    const response = await post('mobile=13800138000', 'application/x-www-form-urlencoded');
    assert.equal(response.status, 415);
    assert.equal((await response.json()).error, '请求内容应为 JSON 格式');
  });

  it('answers 400 for malformed JSON', async () => {
    const response = await post('{"mobile":');
    assert.equal(response.status, 400);
    assert.equal((await response.json()).error, '请求内容不是有效的 JSON');
  });

  it('answers 400 with field issues and never echoes the input', async () => {
    const response = await post(JSON.stringify({ mobile: '<script>99</script>' }));
    assert.equal(response.status, 400);
    const text = await response.text();
    assert.doesNotMatch(text, /script|99/);
    assert.deepEqual(JSON.parse(text).issues, [{ field: 'mobile', message: '手机号码格式不正确' }]);
  });

  it('answers 413 above the size limit', async () => {
    const response = await post(JSON.stringify({ mobile: 'x'.repeat(200) }));
    assert.equal(response.status, 413);
    assert.equal((await response.json()).error, '提交的内容过大');
  });
});
