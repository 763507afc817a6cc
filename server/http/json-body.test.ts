import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { limitJsonBodies } from './json-body.ts';

/** Over real HTTP through the Node adapter: a declared length and a chunked body take different paths. */
describe('limitJsonBodies over HTTP', () => {
  const app = new Hono().use('*', limitJsonBodies(100)).post('/echo', async (c) => c.json({ got: Object.keys(await c.req.json()).length }));
  let server: ReturnType<typeof serve>;
  let port: number;

  before(async () => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function send(body: string, chunked: boolean): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (!chunked) headers['content-length'] = String(Buffer.byteLength(body));
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/echo', headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      if (chunked) {
        // Two writes with no length declared: Node sends it chunked.
        req.write(body.slice(0, 10));
        req.end(body.slice(10));
      } else req.end(body);
    });
  }

  for (const chunked of [false, true]) {
    const how = chunked ? 'chunked' : 'with its length declared';
    it(`passes a body under the limit and refuses one over it with the JSON 413 (${how})`, async () => {
      const small = await send(JSON.stringify({ a: 1, b: 2 }), chunked);
      assert.deepEqual([small.status, JSON.parse(small.text)], [200, { got: 2 }]);
      const large = await send(JSON.stringify({ a: 'x'.repeat(200) }), chunked);
      assert.equal(large.status, 413);
      assert.equal(typeof JSON.parse(large.text).error, 'string');
      assert.doesNotMatch(large.text, /xxxx/);
    });
  }
});
