import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { Hono } from 'hono';
import { mountClient } from './static-client.ts';

describe('mountClient', () => {
  let root: string;
  let app: Hono;
  const script = `console.log(${JSON.stringify('x'.repeat(2000))});`;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'jl-static-'));
    await mkdir(join(root, 'assets'));
    await mkdir(join(root, 'icons'));
    await mkdir(join(root, 'staff', 'assets'), { recursive: true });
    await writeFile(join(root, 'staff', 'index.html'), '<!doctype html><title>staff</title>');
    await writeFile(join(root, 'staff', 'assets', 'console-def456.js'), script);
    await writeFile(join(root, 'index.html'), '<!doctype html><title>shell</title>');
    await writeFile(join(root, 'assets', 'page-abc123.js'), script);
    await writeFile(join(root, 'assets', 'page-abc123.js.br'), brotliCompressSync(script));
    await writeFile(join(root, 'sw.js'), 'import "./assets/page-abc123.js"; self.addEventListener("fetch", () => {});');
    await writeFile(join(root, 'sw-classic.js'), 'self.addEventListener("fetch", () => {});');
    await writeFile(join(root, 'manifest.webmanifest'), JSON.stringify({ name: '监理注册' }));
    await writeFile(join(root, 'icons', 'icon-192.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    app = new Hono();
    app.get('/api/health', (c) => c.json({ status: 'ok' }));
    mountClient(app, root);
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('serves the manifest as application/manifest+json, revalidated on every use', async () => {
    const res = await app.request('/manifest.webmanifest');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/manifest+json');
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    assert.deepEqual(await res.json(), { name: '监理注册' });
  });

  it('serves both service workers (module and classic) as JavaScript that is never cached without asking', async () => {
    for (const path of ['/sw.js', '/sw-classic.js']) {
      const res = await app.request(path);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type') ?? '', /^text\/javascript/, path);
      assert.equal(res.headers.get('cache-control'), 'no-cache', path);
    }
  });

  it('answers 304 to a revalidation of an unchanged file', async () => {
    const first = await app.request('/sw.js');
    const tag = first.headers.get('etag');
    assert.ok(tag);
    const again = await app.request('/sw.js', { headers: { 'If-None-Match': tag } });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');
    const icon = await app.request('/icons/icon-192.png');
    assert.equal(icon.headers.get('content-type'), 'image/png');
    const iconAgain = await app.request('/icons/icon-192.png', { headers: { 'If-None-Match': icon.headers.get('etag')! } });
    assert.equal(iconAgain.status, 304);
  });

  it('sends the Brotli copy of a hashed asset to a browser that takes it, immutable', async () => {
    const res = await app.request('/assets/page-abc123.js', { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-encoding'), 'br');
    assert.match(res.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(brotliDecompressSync(Buffer.from(await res.arrayBuffer())).toString(), script);
    const plain = await app.request('/assets/page-abc123.js');
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.equal(await plain.text(), script);
  });

  it('a missing hashed asset is a 404, never the HTML shell', async () => {
    const res = await app.request('/assets/page-old999.js');
    assert.equal(res.status, 404);
    assert.doesNotMatch(res.headers.get('content-type') ?? '', /html/);
  });

  it('client-side routes get the shell', async () => {
    const res = await app.request('/apply/form');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    assert.match(await res.text(), /<title>shell<\/title>/);
  });

  it('/staff and every path under it get the shell of the console, never the applicant shell', async () => {
    for (const path of ['/staff', '/staff/', '/staff/submissions/abc']) {
      const res = await app.request(path);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      assert.equal(res.headers.get('cache-control'), 'no-cache');
      assert.match(await res.text(), /<title>staff<\/title>/, path);
    }
  });

  it("the console's hashed code is immutable, and a missing one a 404", async () => {
    const res = await app.request('/staff/assets/console-def456.js');
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const missing = await app.request('/staff/assets/console-old999.js');
    assert.equal(missing.status, 404);
    assert.doesNotMatch(missing.headers.get('content-type') ?? '', /html/);
  });

  it('a build without the console answers 404 under /staff and still serves the applicant', async () => {
    const bare = await mkdtemp(join(tmpdir(), 'jl-static-bare-'));
    try {
      await writeFile(join(bare, 'index.html'), '<!doctype html><title>shell</title>');
      const plain = new Hono();
      mountClient(plain, bare);
      assert.equal((await plain.request('/staff')).status, 404);
      assert.match(await (await plain.request('/apply/form')).text(), /<title>shell<\/title>/);
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
  });

  it('leaves the API alone', async () => {
    const res = await app.request('/api/health');
    assert.equal(res.headers.get('etag'), null);
    assert.deepEqual(await res.json(), { status: 'ok' });
  });
});
