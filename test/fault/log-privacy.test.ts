/**
 * The server's log, as an operator collects it, holds no one's personal data and no secret: the real
 * server process runs an applicant's journey (register, face check, uploads, submit, a retry, sign in)
 * and a staff round trip (accounts and a token made with the staff command, first sign-in with the
 * one-time password and a TOTP code, the queue, a decision, the change feed), then every line it wrote
 * is read. Each must be JSON; each request line names the route pattern, never the path.
 *
 * Run from the project root: node --import tsx --test test/fault/log-privacy.test.ts
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { totpCodeAt } from '../../server/staff/totp.ts';
import { type RunningServer, startServer } from '../server-process.ts';
import { type Applicant, prepareApplicant } from './applicant.ts';
import { ensureClientBuilt, readAnswer, submit } from './submission-client.ts';

const run = promisify(execFile);
const METRICS_TOKEN = `metrics-${randomUUID()}`;
const APPLICANT_PASSWORD = 'fault-test-2026';
const STAFF_NEW_PASSWORD = 'Review-Desk-2026';

/** `npm run staff -- …` as the operator types it, on the running server's data directory. */
async function staffCommand(dataDir: string, args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'server/staff/staff-command.ts', ...args], {
    env: { ...process.env, DATA_DIR: dataDir },
  });
  return stdout;
}

function printed(output: string, pattern: RegExp): string {
  const value = pattern.exec(output)?.[1];
  assert.ok(value, `not in the command's output:\n${output}`);
  return value;
}

const cookieValueOf = (response: Response): string[] =>
  response.headers.getSetCookie().map((line) => line.split(';')[0]!.split('=').slice(1).join('='));

describe('the log of a whole journey and a staff round trip', { timeout: 300_000 }, () => {
  let server: RunningServer;
  let log = '';
  /** Everything the log must not contain, by what it is. */
  const secrets = new Map<string, string>();
  const requestIds: { sent: string; got: string | null }[] = [];

  before(async () => {
    ensureClientBuilt();
    server = await startServer({ METRICS_TOKEN });
    secrets.set('metrics token', METRICS_TOKEN);
    try {
      await journey();
    } finally {
      await server.stop();
      log = server.output();
    }
  });

  after(() => server?.stop());

  async function journey() {
    const url = server.url;
    const applicant: Applicant = await prepareApplicant(url, 3);
    const application = applicant.application as { name: string; idNumber: string; mobile: string };
    secrets.set('ID number', application.idNumber);
    secrets.set('mobile', application.mobile);
    secrets.set('name', application.name);
    secrets.set('applicant password', APPLICANT_PASSWORD);
    secrets.set('applicant session cookie', applicant.cookie.split('=').slice(1).join('='));

    // Submitted, retried as the device's outbox would, and the key reused for other content.
    const key = randomUUID();
    const first = await submit(url, applicant, key);
    assert.equal(first.status, 201, await first.clone().text());
    const receipt = await readAnswer(first);
    assert.equal((await submit(url, applicant, key)).status, 200);
    const changed = { ...applicant, application: { ...applicant.application, school: '清华大学' } };
    assert.equal((await submit(url, changed, key)).status, 422);

    // Signed in again from another device, with a proxy's request id.
    const sentId = 'edge-7f3a.01';
    const signIn = await fetch(`${url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': sentId },
      body: JSON.stringify({ idNumber: application.idNumber, password: APPLICANT_PASSWORD }),
    });
    assert.equal(signIn.status, 200, await signIn.clone().text());
    requestIds.push({ sent: sentId, got: signIn.headers.get('x-request-id') });
    for (const value of cookieValueOf(signIn)) secrets.set('second session cookie', value);
    const mine = await fetch(`${url}/api/submissions/${receipt.id}?from=${application.mobile}`, { headers: { cookie: applicant.cookie } });
    assert.equal(mine.status, 200);
    assert.equal((await fetch(`${url}/api/me/data`, { headers: { cookie: applicant.cookie } })).status, 200);
    // The app shell and a missing hashed file: the static side logs patterns too.
    assert.equal((await fetch(`${url}/submissions/${receipt.id}`)).status, 200);
    assert.equal((await fetch(`${url}/assets/${application.idNumber}.js`)).status, 404);

    // Staff: made by the operator's command, first sign-in with the one-time password and a TOTP code.
    const firstSignIn = async (username: string, role: string, uscc?: string) => {
      const added = await staffCommand(server.dataDir, ['add', username, '--role', role, ...(uscc ? ['--uscc', uscc] : [])]);
      const oneTime = printed(added, /^password: (\S+)$/m);
      const secret = new URL(printed(added, /^(otpauth:\/\/totp\/\S+)$/m)).searchParams.get('secret') ?? '';
      const code = totpCodeAt(secret, new Date());
      const answer = await fetch(`${url}/api/staff/password`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: oneTime, newPassword: STAFF_NEW_PASSWORD, code }),
      });
      assert.equal(answer.status, 200, await answer.clone().text());
      secrets.set(`${username}'s one-time password`, oneTime);
      secrets.set(`${username}'s TOTP secret`, secret);
      secrets.set(`${username}'s TOTP code`, code);
      secrets.set(`${username}'s session cookie`, cookieValueOf(answer)[0] ?? '');
      const cookie = answer.headers.getSetCookie()[0]!.split(';')[0]!;
      return (path: string, init: RequestInit = {}) => fetch(`${url}/api${path}`, { ...init, headers: { ...init.headers, cookie } });
    };
    secrets.set('staff password', STAFF_NEW_PASSWORD);
    const token = printed(await staffCommand(server.dataDir, ['token', 'add', 'province-system']), /^token: (\S+)$/m);
    secrets.set('API token', token);

    const uscc = (applicant.application.enterprise as { uscc: string }).uscc;
    const employer = await firstSignIn('employer.wang', 'employer', uscc);
    assert.equal((await employer('/employer/submissions')).status, 200);
    const confirmed = await employer(`/employer/submissions/${receipt.id}/confirmation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ confirmed: true }),
    });
    assert.equal(confirmed.status, 200, await confirmed.clone().text());

    const reviewer = await firstSignIn('reviewer.li', 'reviewer');
    const staff = (path: string, init: RequestInit = {}) => reviewer(`/staff${path}`, init);
    assert.equal((await staff(`/submissions?q=${encodeURIComponent(application.name)}`)).status, 200);
    assert.equal((await staff(`/submissions/${receipt.id}`)).status, 200);
    const decided = await staff(`/submissions/${receipt.id}/decisions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'accept', version: 1 }),
    });
    assert.equal(decided.status, 200, await decided.clone().text());
    const feed = await fetch(`${url}/api/staff/feed`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(feed.status, 200);
    assert.equal((await staff('/session', { method: 'DELETE' })).status, 204);

    // The text messages (已收到, 已受理) leave through the development provider, which logs them.
    const metrics = async () => (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    for (let attempt = 0; attempt < 60; attempt++) {
      if (/^notices_outbox\{state="pending"\} 0$/m.test(await metrics()) && /^notices_outbox\{state="sending"\} 0$/m.test(await metrics())) break;
      await sleep(250);
    }
    const text = await metrics();
    assert.match(text, /^notices_outbox\{state="pending"\} 0$/m, 'the messages went out');
    assert.match(text, /^submission_idempotency_replays_total 1$/m);
    assert.match(text, /^submission_idempotency_conflicts_total\{reason="key_reused"\} 1$/m);
    assert.match(text, /^submissions\{status="accepted"\} 1$/m);
    assert.equal((await fetch(`${url}/metrics`)).status, 401);
  }

  const lines = () => log.split('\n').filter((line) => line.trim() !== '');
  const parsed = () => lines().map((line) => JSON.parse(line) as Record<string, unknown>);

  it('writes JSON lines only', () => {
    assert.ok(lines().length > 20, `only ${lines().length} lines`);
    for (const line of lines()) assert.doesNotThrow(() => JSON.parse(line), `not JSON: ${line}`);
    assert.ok(parsed().some((entry) => typeof entry.msg === 'string' && entry.msg.startsWith('已启动')), 'the start-up line');
    assert.ok(parsed().some((entry) => typeof entry.msg === 'string' && entry.msg.startsWith('[短信]')), 'the text messages sent');
  });

  it('writes one line per request with its id, method, route pattern and status, never the path', () => {
    const requests = parsed().filter((entry) => entry.msg === '请求完成');
    assert.ok(requests.length >= 25, `${requests.length} request lines`);
    for (const entry of requests) {
      assert.equal(typeof entry.reqId, 'string');
      assert.equal(typeof entry.method, 'string');
      assert.equal(typeof entry.status, 'number');
      assert.equal(typeof entry.ms, 'number');
      assert.match(String(entry.route), /^\/[\w/:.*-]*$/);
      assert.doesNotMatch(String(entry.route), /[0-9a-f]{8}-[0-9a-f]{4}|\d{6}/, 'an id in a route label');
      assert.equal(entry.path, undefined);
      assert.equal(entry.url, undefined);
    }
    const routes = new Set(requests.map((entry) => entry.route));
    for (const route of ['/api/accounts', '/api/submissions', '/api/submissions/:id', '/api/staff/submissions/:id/decisions', '/api/employer/submissions/:id/confirmation', '/api/staff/feed', '/metrics']) {
      assert.ok(routes.has(route), `no line for ${route}: ${[...routes].join(' ')}`);
    }
  });

  it('sends a sane incoming X-Request-Id back and logs the request under it', () => {
    for (const { sent, got } of requestIds) {
      assert.equal(got, sent);
      const entry = parsed().find((line) => line.reqId === sent);
      assert.equal(entry?.route, '/api/session');
      assert.equal(entry?.status, 200);
    }
  });

  it("holds none of the person's data and none of the secrets", () => {
    assert.equal(secrets.size, 17);
    for (const [what, value] of secrets) {
      assert.ok(value.length >= 2, `${what} is empty`);
      // Digits only (the TOTP code, the mobile): not as part of a longer number such as a timestamp.
      const pattern = /^\d+$/.test(value) ? new RegExp(`(?<!\\d)${value}(?!\\d)`) : new RegExp(value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      assert.doesNotMatch(log, pattern, `the log holds the ${what}`);
    }
  });
});
