import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import { openTestStorage, type TestStorage } from '../../test/support/route-fixtures.ts';
import { limitByAddress, MINUTE_MS } from '../accounts/rate-limit.ts';
import { clientAddress as auditAddress } from '../audit/audit.ts';
import { addressBehindProxies, clientAddress, overHttps, trustedProxyList, trustForwardedHeaders } from './forwarded.ts';

describe('the client behind trusted proxies', () => {
  const trusted = trustedProxyList(['127.0.0.1', '10.0.0.0/8', 'fd00::/8']);

  it('ignores X-Forwarded-For from a peer that is no trusted proxy', () => {
    assert.equal(addressBehindProxies('198.51.100.7', '203.0.113.1', trusted), '198.51.100.7');
  });

  it('takes the right-most address no trusted proxy wrote for itself', () => {
    assert.equal(addressBehindProxies('127.0.0.1', '203.0.113.9', trusted), '203.0.113.9');
    // A client-sent entry left of the real one proves nothing.
    assert.equal(addressBehindProxies('127.0.0.1', '192.0.2.66, 203.0.113.9', trusted), '203.0.113.9');
    // Through two proxies of ours.
    assert.equal(addressBehindProxies('127.0.0.1', '192.0.2.66, 203.0.113.9, 10.1.2.3', trusted), '203.0.113.9');
    assert.equal(addressBehindProxies('fd00::5', '2001:db8::7', trusted), '2001:db8::7');
  });

  it('reads an IPv4 peer on a dual-stack socket as IPv4', () => {
    assert.equal(addressBehindProxies('::ffff:127.0.0.1', '::ffff:203.0.113.9', trusted), '203.0.113.9');
    assert.equal(addressBehindProxies('::ffff:198.51.100.7', undefined, trusted), '198.51.100.7');
  });

  it('with only trusted hops names the first; with a malformed hop, the nearest trusted one', () => {
    assert.equal(addressBehindProxies('127.0.0.1', '10.0.0.2, 127.0.0.1', trusted), '10.0.0.2');
    assert.equal(addressBehindProxies('127.0.0.1', '203.0.113.9, not-an-address, 10.0.0.2', trusted), '10.0.0.2');
    assert.equal(addressBehindProxies('127.0.0.1', 'unknown', trusted), '127.0.0.1');
  });

  it('is the peer when X-Forwarded-For is missing or empty', () => {
    assert.equal(addressBehindProxies('127.0.0.1', undefined, trusted), '127.0.0.1');
    assert.equal(addressBehindProxies('127.0.0.1', '', trusted), '127.0.0.1');
  });
});

describe('rate limits and the audit count the resolved client', () => {
  let fixture: TestStorage;
  before(async () => {
    fixture = await openTestStorage();
  });
  after(() => fixture.cleanup());

  // The node server's bindings, as getConnInfo reads the peer's address from them.
  const from = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress, remoteFamily: 'IPv4' } } });

  function app(trustedProxies: string[], route: string) {
    return new Hono()
      .use('*', trustForwardedHeaders(trustedProxies))
      .get('/seen', (c) => c.json({ client: clientAddress(c), audit: auditAddress(c), https: overHttps(c) }))
      .post('/limited', limitByAddress(fixture.storage, route, { limit: 2, windowMs: 10 * MINUTE_MS }, clientAddress), (c) => c.body(null, 204));
  }

  it('gives the audit the same address as the limits', async () => {
    const seen = await app(['127.0.0.1'], 'seen').request('/seen', { headers: { 'x-forwarded-for': '203.0.113.5' } }, from('127.0.0.1'));
    assert.deepEqual(await seen.json(), { client: '203.0.113.5', audit: '203.0.113.5', https: false });
  });

  it('believes X-Forwarded-Proto only from a trusted proxy', async () => {
    const headers = { 'x-forwarded-for': '203.0.113.5', 'x-forwarded-proto': 'https' };
    const proxied = await app(['127.0.0.1'], 'proto').request('/seen', { headers }, from('127.0.0.1'));
    assert.deepEqual(await proxied.json(), { client: '203.0.113.5', audit: '203.0.113.5', https: true });
    const direct = await app(['127.0.0.1'], 'proto').request('/seen', { headers }, from('198.51.100.7'));
    assert.deepEqual(await direct.json(), { client: '198.51.100.7', audit: '198.51.100.7', https: false });
  });

  it('behind the proxy: two clients have two counters, and a client cannot pick a new one', async () => {
    const limited = app(['127.0.0.1'], 'behind-proxy');
    const send = (forwardedFor: string) => limited.request('/limited', { method: 'POST', headers: { 'x-forwarded-for': forwardedFor } }, from('127.0.0.1'));
    assert.equal((await send('203.0.113.1')).status, 204);
    assert.equal((await send('203.0.113.1')).status, 204);
    assert.equal((await send('203.0.113.1')).status, 429);
    assert.equal((await send('203.0.113.2')).status, 204, 'another client, another counter');
    // What the client itself put in front of the proxy's entry changes nothing.
    assert.equal((await send('192.0.2.77, 203.0.113.1')).status, 429);
  });

  it('without trusted proxies, or from another peer, a forged X-Forwarded-For is ignored', async () => {
    for (const [trustedProxies, route] of [[[], 'no-proxy'], [['10.0.0.1'], 'other-peer']] as const) {
      const limited = app([...trustedProxies], route);
      const send = (forwardedFor: string) => limited.request('/limited', { method: 'POST', headers: { 'x-forwarded-for': forwardedFor } }, from('198.51.100.7'));
      assert.equal((await send('203.0.113.1')).status, 204);
      assert.equal((await send('203.0.113.2')).status, 204);
      assert.equal((await send('203.0.113.3')).status, 429, `${route}: one peer, one counter`);
    }
  });
});
