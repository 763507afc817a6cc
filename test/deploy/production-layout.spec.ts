/**
 * The production layout as an operator sets it up (docs/operations.md): Debian's nginx with the
 * shipped site file (deploy/nginx/jianli.conf) and a self-signed certificate, in front of two real
 * server instances on one throwaway PostgreSQL, with TRUSTED_PROXIES=127.0.0.1. The applicant's
 * journey runs in Chromium over https:// (service worker, camera and WebCrypto need a secure
 * context) while one instance is restarted; headers, the redirect, TLS versions, the upload limit
 * and the rate limits' view of the client are checked through nginx.
 *
 * Run: npm run test:deploy (needs nginx, postgresql, chromium; a step of npm test).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { type Browser, type BrowserContext, expect, test } from '@playwright/test';
import pg from 'pg';
import { UPLOAD_LIMIT_BYTES } from '../../server/attachments/attachment-routes.ts';
import { loadConfig } from '../../server/config.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.mjs';
import { acceptNotice, expectApplicationStored, fillApplicationForm, openMyApplications, passFaceVerification, registerNewApplicant } from '../e2e/journey-steps.ts';
import { madeUpIdNumber } from '../e2e/made-up-person.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../postgres/throwaway-postgres.ts';
import { freePort, type RunningServer, startServer } from '../server-process.ts';
import { type Certificate, type RunningNginx, SITE_FILE, type SitePorts, selfSignedCertificate, startNginx } from './nginx-stack.ts';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request to nginx over TLS (certificate not checked: it is our own), from a chosen loopback address. */
function viaNginx(port: number, path: string, init: { method?: string; headers?: Record<string, string>; body?: Buffer | string; from?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      { host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: init.headers, rejectUnauthorized: false, localAddress: init.from, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

test.describe.configure({ mode: 'serial' });

let dir: string;
let certificate: Certificate;
let postgres: ThrowawayPostgres;
let instances: [RunningServer, RunningServer];
let nginx: RunningNginx;
let ports: SitePorts;
let browser: Browser;
const SERVER_ENV = () => ({ DATABASE_URL: postgres.url, TRUSTED_PROXIES: '127.0.0.1' });

test.beforeAll(async ({ playwright }) => {
  test.setTimeout(180_000);
  if (!existsSync('dist/client/index.html')) throw new Error('dist/client is missing: run `npm run build` first');
  dir = mkdtempSync(join(tmpdir(), 'jl-deploy-'));
  certificate = selfSignedCertificate(dir);
  postgres = await startThrowawayPostgres();
  const env = SERVER_ENV();
  instances = await Promise.all([startServer(env), startServer(env)]);
  ports = { http: await freePort(), https: await freePort(), upstreams: [instances[0].port, instances[1].port] };
  nginx = await startNginx(dir, ports, certificate);
  // Chromium trusts this one certificate as if a CA had signed it: a service worker registers only
  // on an origin without certificate errors, which ignoring them (ignoreHTTPSErrors) does not give.
  browser = await playwright.chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${certificate.spki}`],
  });
});

test.afterAll(async () => {
  await browser?.close();
  await nginx?.stop();
  await Promise.all((instances ?? []).map((instance) => instance.stop()));
  postgres?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function newContext(): Promise<BrowserContext> {
  // ignoreHTTPSErrors is for page.request, which runs in node, outside the browser that trusts the certificate.
  return browser.newContext({ baseURL: `https://127.0.0.1:${ports.https}`, locale: 'zh-CN', viewport: { width: 360, height: 640 }, ignoreHTTPSErrors: true });
}

/** SIGTERM to one instance, then the same instance started again on its port (a rolling restart's step). */
async function restartInstance(index: 0 | 1): Promise<void> {
  const old = instances[index];
  await old.stop();
  instances[index] = await startServer(SERVER_ENV(), { port: old.port });
}

test('the journey over https:// through nginx, one instance restarted on the way, stored once', async () => {
  const context = await newContext();
  const page = await context.newPage();
  try {
    const idNumber = madeUpIdNumber();
    await registerNewApplicant(page, idNumber);
    // A secure context, with the service worker in charge.
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null)).toMatch(/\/sw\.js$/);
    await passFaceVerification(page);
    // The session cookie is Secure: the server believes nginx's X-Forwarded-Proto.
    const session = (await context.cookies()).find((cookie) => cookie.name === 'jl_session');
    expect(session?.secure).toBe(true);
    await acceptNotice(page);
    await fillApplicationForm(page, idNumber);
    // Restarted as the application is sent: requests in flight finish, new ones go to the other
    // instance, and it comes back. (One at a time: nginx keeps a failed instance aside for 5 s.)
    const restarting = restartInstance(0);
    await page.getByRole('button', { name: '下一步' }).click();
    await expect(page.getByText('您所申请的事项已经提交成功！')).toBeVisible({ timeout: 30_000 });
    await restarting;
    const receiptNumber = (await page.locator('receipt-page .receipt-number').textContent())?.trim() ?? '';
    expect(receiptNumber).toMatch(/^JL\d{14}$/);
    await expect(page.getByText('回执签名：已验证')).toBeVisible({ timeout: 15_000 });

    await expectApplicationStored(page, receiptNumber, idNumber);
    await openMyApplications(page, receiptNumber);
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>('select count(*) as n from submissions where receipt_number = $1', [receiptNumber]);
      expect(Number(rows[0]?.n)).toBe(1);
    } finally {
      await client.end();
    }
    // Both instances served: nginx logged each upstream.
    const upstreams = nginx.accessLog();
    for (const port of ports.upstreams) expect(upstreams).toContain(`127.0.0.1:${port}`);
  } finally {
    await context.close();
  }
});

test('answers carry HSTS, the security headers, one request id and the right caching', async () => {
  const shell = await viaNginx(ports.https, '/');
  expect(shell.status).toBe(200);
  expect(shell.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  expect(shell.headers['content-security-policy']).toContain("default-src 'self'");
  expect(shell.headers['x-frame-options']).toBe('DENY');
  expect(shell.headers['x-content-type-options']).toBe('nosniff');
  expect(shell.headers['referrer-policy']).toBe('no-referrer');
  expect(shell.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
  expect(shell.headers.server).toBe('nginx');
  expect(shell.headers['cache-control']).toBe('no-cache');

  const asset = /\/assets\/[^"]+\.js/.exec(shell.body)?.[0];
  expect(asset).toBeTruthy();
  const script = await viaNginx(ports.https, asset!, { headers: { 'accept-encoding': 'br, gzip' } });
  expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(script.headers['content-encoding']).toMatch(/^(br|gzip)$/);
  expect((await viaNginx(ports.https, '/sw.js')).headers['cache-control']).toBe('no-cache');

  // The API is never stored; a client's own request id is replaced by nginx's.
  const ready = await viaNginx(ports.https, '/api/health/ready', { headers: { 'x-request-id': 'made-up-by-client' } });
  expect(ready.status).toBe(200);
  expect(JSON.parse(ready.body)).toEqual({ status: 'ready' });
  expect(ready.headers['cache-control']).toBe('no-store');
  expect(ready.headers['x-request-id']).not.toBe('made-up-by-client');
  // An answer the app sets no Cache-Control on is not stored; one it sets (the directory: 5 minutes, private) keeps it.
  const session = await viaNginx(ports.https, '/api/session');
  expect(session.status).toBe(401);
  expect(session.headers['cache-control']).toBe('no-store');
  expect(session.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  const enterprises = await viaNginx(ports.https, `/api/enterprises?q=${encodeURIComponent('监理')}`);
  expect(enterprises.headers['cache-control']).toBe('private, max-age=300');

  // nginx's log: the path without its query (a search term stays out), the answering instance, the id.
  const logged = nginx.accessLog();
  expect(logged).toContain('"GET /api/enterprises" 200');
  expect(logged).not.toContain('q=');
  expect(logged).toContain(ready.headers['x-request-id']);
});

test('plain HTTP is redirected to HTTPS, and TLS below 1.2 is refused', async () => {
  const redirect = await new Promise<Answer>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: ports.http, path: '/apply?x=1', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' }));
    });
    req.on('error', reject);
    req.end();
  });
  expect(redirect.status).toBe(301);
  expect(redirect.headers.location).toBe('https://127.0.0.1/apply?x=1');

  const handshake = (maxVersion: 'TLSv1.1' | 'TLSv1.2') =>
    new Promise<string>((resolve) => {
      const socket = tlsConnect({ host: '127.0.0.1', port: ports.https, rejectUnauthorized: false, minVersion: 'TLSv1', maxVersion }, () => {
        resolve(socket.getProtocol() ?? 'none');
        socket.destroy();
      });
      socket.once('error', () => resolve('refused'));
    });
  expect(await handshake('TLSv1.2')).toBe('TLSv1.2');
  expect(await handshake('TLSv1.1')).toBe('refused');
});

test('a body over the upload limit is refused by nginx before an instance reads it', async () => {
  const tooLarge = await viaNginx(ports.https, '/api/attachments?kind=photo', {
    method: 'POST',
    headers: { 'content-type': 'image/jpeg' },
    body: Buffer.alloc(UPLOAD_LIMIT_BYTES + 2 * 1024 * 1024),
  });
  expect(tooLarge.status).toBe(413);
  expect(readFileSync(SITE_FILE, 'utf8')).toMatch(/client_max_body_size 6m;/);
  expect(6 * 1024 * 1024).toBeGreaterThan(UPLOAD_LIMIT_BYTES);
});

test('the rate limits count the real client behind nginx, not nginx, and not what the client claims', async () => {
  // Sign-in attempts are limited to 30 per address in 10 minutes, counted before the body is read.
  // Each attempt from 127.0.0.3 claims a new address in X-Forwarded-For; nginx replaces it.
  const attempt = (from: string, claimed: string) =>
    viaNginx(ports.https, '/api/session', { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': claimed }, body: '{}', from });
  const statuses: number[] = [];
  for (let i = 0; i < 31; i++) statuses.push((await attempt('127.0.0.3', `203.0.113.${i + 1}`)).status);
  expect(statuses.slice(0, 30).every((status) => status !== 429)).toBe(true);
  expect(statuses[30]).toBe(429);
  // Another client, through the same nginx (the same peer for the server), has its own counter.
  expect((await attempt('127.0.0.4', '203.0.113.1')).status).not.toBe(429);
  // And the applicant of the journey (127.0.0.1) was never counted with them.
  expect((await attempt('127.0.0.1', '203.0.113.1')).status).not.toBe(429);
});

test('the shipped unit and environment file agree with the server', async () => {
  // Every variable of README's Configuration table is in the environment template, except the two
  // the unit sets per instance.
  const readme = readFileSync('README.md', 'utf8');
  const table = readme.slice(readme.indexOf('| variable | default | meaning |'));
  const documented = [...table.slice(0, table.indexOf('\n\n')).matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1]!);
  expect(documented.length).toBeGreaterThan(10);
  const template = readFileSync('deploy/env.example', 'utf8');
  const set = new Set([...template.matchAll(/^([A-Z_]+)=/gm)].map((match) => match[1]!));
  expect(documented.filter((name) => !['PORT', 'HOST'].includes(name) && !set.has(name))).toEqual([]);
  expect([...set].filter((name) => !documented.includes(name))).toEqual([]);
  expect(set.has('PORT') || set.has('HOST')).toBe(false);
  // Its values pass the server's own checks, as sourced by systemd (KEY=value, empty = unset).
  const values = Object.fromEntries([...template.matchAll(/^([A-Z_]+)=(.*)$/gm)].map((match) => [match[1]!, match[2]!]));
  const config = loadConfig(values);
  expect(config.trustedProxies).toEqual(['127.0.0.1', '::1']);
  expect(config.production).toBe(true);

  // systemd waits longer than the drain can take (grace, then kept-alive connections' 5 s) before SIGKILL.
  const unit = readFileSync('deploy/systemd/jianli@.service', 'utf8');
  const grace = Number(/^SHUTDOWN_GRACE_SECONDS=(\d+)$/m.exec(template)?.[1]);
  const stopTimeout = Number(/^TimeoutStopSec=(\d+)$/m.exec(unit)?.[1]);
  expect(stopTimeout).toBeGreaterThan(grace + 5);
  expect(unit).toMatch(/^Environment=PORT=%i$/m);
  expect(unit).toMatch(/^EnvironmentFile=\/etc\/jianli\/env$/m);
  expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
  expect(unit).toMatch(/^Restart=on-failure$/m);
  // The instances' ports in the unit's example are the site's upstreams.
  const site = readFileSync(SITE_FILE, 'utf8');
  for (const port of ['3001', '3002']) expect(site).toContain(`server 127.0.0.1:${port} `);
  expect(unit).toContain('jianli@3001 jianli@3002');
});
