import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../app.ts';
import { upsertEnterprises } from '../db/enterprises-store.ts';
import { claimIdempotencyKey } from '../db/idempotency-store.ts';
import { developmentVerifier } from '../face-verification/development-verifier.ts';
import { openTestStorage, type TestStorage } from '../../test/support/route-fixtures.ts';
import { applicationOf, testApplicant, testEnterprise } from '../../test/support/review-fixtures.ts';
import type { MetricsAccess } from './metrics-routes.ts';

const TOKEN = 'metrics-token-0123456789abcdef';
const AUTH = { authorization: `Bearer ${TOKEN}` };

/** The value of one sample in the Prometheus text, e.g. `http_requests_total{method="GET",…}`; 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => have[key] === value) && Object.keys(have).length === Object.keys(labels).length) {
      return Number(match[3]);
    }
  }
  return 0;
}

describe('GET /metrics', () => {
  let fixture: TestStorage;
  const appWith = (metrics?: MetricsAccess) => createApp({ storage: fixture.storage, faceVerifier: developmentVerifier, ...(metrics ? { metrics } : {}) });

  before(async () => {
    fixture = await openTestStorage();
  });
  after(() => fixture.cleanup());

  it('is off (404) while neither a token nor an address is configured', async () => {
    for (const access of [undefined, {}, { token: '', allow: [] }]) {
      const res = await appWith(access).request('/metrics', { headers: AUTH });
      assert.equal(res.status, 404);
      assert.ok((await res.json()).error);
    }
  });

  it('refuses without the token, or with a wrong one, in a JSON error', async () => {
    const app = appWith({ token: TOKEN });
    const refused: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token-0123456789abc' }, { authorization: `Basic ${TOKEN}` }, { authorization: `Bearer ${TOKEN}x` }];
    for (const headers of refused) {
      const res = await app.request('/metrics', { headers });
      assert.equal(res.status, 401, JSON.stringify(headers));
      assert.equal(res.headers.get('www-authenticate'), 'Bearer');
      const body = (await res.json()) as { error: string };
      assert.equal(body.error, '需要有效的监控令牌');
    }
  });

  it('answers the Prometheus text format with the token', async () => {
    const res = await appWith({ token: TOKEN }).request('/metrics', { headers: AUTH });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const text = await res.text();
    assert.match(text, /^# TYPE http_requests_total counter$/m);
    assert.match(text, /^# TYPE http_request_duration_seconds histogram$/m);
    assert.match(text, /^process_cpu_user_seconds_total /m, 'the default process metrics');
    assert.equal(sample(text, 'db_pool_connections', { state: 'total' }), 1, 'SQLite: one connection');
  });

  it('lets a configured address in without the token, and no other', async () => {
    const from = (address: string) =>
      appWith({ allow: ['127.0.0.1', '::1'], clientAddress: () => address }).request('/metrics');
    assert.equal((await from('127.0.0.1')).status, 200);
    assert.equal((await from('::ffff:127.0.0.1')).status, 200);
    assert.equal((await from('::1')).status, 200);
    assert.equal((await from('10.0.0.9')).status, 401);
    assert.equal((await from('unknown')).status, 401);
  });

  it('counts requests by method, route pattern and status, and their duration', async () => {
    const app = appWith({ token: TOKEN });
    const scrape = async () => (await app.request('/metrics', { headers: AUTH })).text();
    const labels = { method: 'GET', route: '/api/health', status: '200' };
    const first = await scrape();
    await app.request('/api/health');
    await app.request('/api/health');
    await app.request(`/api/submissions/${randomUUID()}`);
    const second = await scrape();
    assert.equal(sample(second, 'http_requests_total', labels) - sample(first, 'http_requests_total', labels), 2);
    assert.equal(sample(second, 'http_request_duration_seconds_count', labels) - sample(first, 'http_request_duration_seconds_count', labels), 2);
    assert.equal(sample(second, 'http_request_duration_seconds_bucket', { ...labels, le: '+Inf' }), sample(second, 'http_requests_total', labels));
    // Refused by the sign-in middleware: labelled by its pattern, never by the id asked for.
    assert.equal(sample(second, 'http_requests_total', { method: 'GET', route: '/api/submissions/*', status: '401' }), 1);
    assert.doesNotMatch(second, /route="[^"]*[0-9a-f]{8}-[0-9a-f]{4}/);
  });

  it('reports applications by status, idempotency replays and conflicts, the notices outbox and the feed head', async () => {
    const app = appWith({ token: TOKEN });
    const scrape = async () => (await app.request('/metrics', { headers: AUTH })).text();
    const enterprise = testEnterprise('42', '示例监理有限公司', '山东省');
    await upsertEnterprises(fixture.storage.db, [enterprise]);
    const person = await testApplicant(fixture.storage, 11, '钱七');
    const before = await scrape();
    const key = randomUUID();
    const post = (body: unknown) =>
      app.request('/api/submissions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: person.cookie, 'idempotency-key': key },
        body: JSON.stringify(body),
      });
    const application = applicationOf(person, enterprise);
    assert.equal((await post(application)).status, 201);
    assert.equal((await post(application)).status, 200, 'the replay');
    assert.equal((await post(applicationOf(person, enterprise, ['02', '13']))).status, 422, 'the same key, other content');
    // A request of another instance holds a second key: this one is told to wait.
    const busyKey = randomUUID();
    await claimIdempotencyKey(fixture.storage.db, { key: busyKey, accountId: person.accountId, bodySha256: 'f'.repeat(64), lockMs: 30_000, now: new Date() });
    const busy = await app.request('/api/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: person.cookie, 'idempotency-key': busyKey },
      body: JSON.stringify(application),
    });
    assert.equal(busy.status, 409);
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels);
    assert.equal(delta('submissions', { status: 'submitted' }), 1);
    assert.equal(delta('submission_idempotency_replays_total'), 1);
    assert.equal(delta('submission_idempotency_conflicts_total', { reason: 'key_reused' }), 1);
    assert.equal(delta('submission_idempotency_conflicts_total', { reason: 'in_flight' }), 1);
    assert.equal(delta('notices_outbox', { state: 'pending' }), 1, 'its 已收到 message, not sent yet');
    assert.equal(delta('feed_head_sequence'), 1, 'the submission is the feed\'s next event');
  });
});
