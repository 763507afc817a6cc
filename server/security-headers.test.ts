import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { securityHeaders } from './security-headers.ts';

describe('securityHeaders', () => {
  const app = new Hono().use('*', securityHeaders()).get('/', (c) => c.text('ok'));

  it('lets the page load only from its own origin and never be framed', async () => {
    const res = await app.request('/');
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /object-src 'none'/);
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
  });

  it('allows the camera for this origin only, and no microphone or location', async () => {
    const res = await app.request('/');
    const policy = res.headers.get('permissions-policy') ?? '';
    assert.match(policy, /camera=\(self\)/);
    assert.match(policy, /microphone=\(\)/);
    assert.match(policy, /geolocation=\(\)/);
  });
});
