/**
 * What fuzzing the endpoints found, kept as fixed cases so they stay fixed whatever the seed draws:
 * a malformed birth date crashed the submit rules, a field without its own message echoed the input in
 * valibot's English default, and a 413 left the connection to be reset under the next request.
 *
 * Run: node --import tsx --test test/fuzz/found-by-fuzzing.test.ts
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import * as v from 'valibot';
import { createSubmitSchema } from '../../shared/application-schema.ts';
import { JSON_LIMIT_BYTES, limitJsonBodies } from '../../server/http/json-body.ts';
import { validate } from '../../server/http/validate.ts';
import { MARKER } from './schema-arbitrary.ts';

describe('found by fuzzing', () => {
  it('judges a malformed birth date as a field issue instead of throwing', () => {
    for (const birthDate of [MARKER, '1990-13-45', '']) {
      const result = v.safeParse(createSubmitSchema(), { birthDate, idNumber: 'x', graduationDate: 'y' });
      assert.equal(result.success, false);
      assert.ok(result.issues.some((issue) => issue.path?.[0]?.key === 'birthDate'));
    }
  });

  it('answers a field without its own message in Chinese, without the input', async () => {
    const app = new Hono().post('/', validate('json', v.object({ confirmed: v.boolean() })), (c) => c.body(null, 204));
    const response = await app.request('/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ confirmed: MARKER }),
    });
    const text = await response.text();
    assert.equal(response.status, 400);
    assert.ok(!text.includes(MARKER), text);
    assert.deepEqual(JSON.parse(text).issues, [{ field: 'confirmed', message: '此项格式不正确' }]);
  });

  it('answers the request after a 413 on the same kept-alive connection', async () => {
    const app = new Hono().use('*', limitJsonBodies(JSON_LIMIT_BYTES)).post('/', async (c) => c.json(await c.req.json()));
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const send = (body: string) =>
      new Promise<number>((resolve, reject) => {
        const request = http.request(
          { host: '127.0.0.1', port, method: 'POST', path: '/', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
          (response) => {
            response.resume();
            response.on('end', () => resolve(response.statusCode ?? 0));
          },
        );
        request.on('error', reject);
        request.end(body);
      });
    try {
      const big = JSON.stringify({ text: 'x'.repeat(JSON_LIMIT_BYTES + 1024) });
      assert.deepEqual([await send(big), await send('{"a":1}'), await send(big), await send('{"a":2}')], [413, 200, 413, 200]);
    } finally {
      agent.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
