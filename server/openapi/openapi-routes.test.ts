import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openTestStorage, type TestStorage } from '../../test/support/route-fixtures.ts';
import { API_BASE_PATH, createApi, createApp } from '../app.ts';
import { developmentVerifier } from '../face-verification/development-verifier.ts';
import { buildOpenApiDocument, HTTP_METHODS, type OpenApiDocument } from './openapi-document.ts';
import { DOCS_CSP } from './openapi-routes.ts';

describe('/api/openapi.json and /api/docs', () => {
  let fixture: TestStorage;
  let clientRoot: string;
  let app: ReturnType<typeof createApp>;

  before(async () => {
    fixture = await openTestStorage();
    clientRoot = await mkdtemp(join(tmpdir(), 'openapi-client-'));
    await writeFile(join(clientRoot, 'index.html'), '<!doctype html><title>shell</title>');
    app = createApp({ storage: fixture.storage, faceVerifier: developmentVerifier }, clientRoot);
  });
  after(async () => {
    await fixture.cleanup();
    await rm(clientRoot, { recursive: true, force: true });
  });

  it('serves the document assembled from the routes of the API', async () => {
    const res = await app.request('/api/openapi.json');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const body = (await res.json()) as OpenApiDocument;
    const api = createApi({ storage: fixture.storage, faceVerifier: developmentVerifier });
    assert.deepEqual(body, JSON.parse(JSON.stringify(buildOpenApiDocument(api, { basePath: API_BASE_PATH }))));
  });

  it('serves a self-contained Chinese page listing every operation of the document', async () => {
    const doc = (await (await app.request('/api/openapi.json')).json()) as OpenApiDocument;
    const res = await app.request('/api/docs');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const html = await res.text();
    assert.match(html, /^<!doctype html>\n<html lang="zh-CN">/);
    assert.equal(html.match(/<h1[ >]/g)?.length, 1);
    assert.ok(!/<script|<link|\ssrc=|https?:\/\//i.test(html), 'loads nothing from elsewhere');
    const operations = Object.entries(doc.paths).flatMap(([path, item]) => HTTP_METHODS.filter((m) => item[m]).map((m) => [m, path] as const));
    assert.ok(operations.length > 10);
    for (const [method, path] of operations) {
      assert.ok(html.includes(`<code>${path}</code>`), path);
      assert.ok(html.includes(`<code>${method.toUpperCase()} ${path}</code>`), `${method} ${path}`);
    }
    assert.ok(html.includes('提交申请（只受理一次）'));
    assert.ok(html.includes('&quot;idNumber&quot;'), 'request schemas are shown as JSON');
    assert.ok(html.includes('Idempotency-Key'));
  });

  it("keeps the page's own strict policy through the whole server's security headers", async () => {
    const docs = await app.request('/api/docs');
    assert.equal(docs.headers.get('content-security-policy'), DOCS_CSP);
    assert.equal(docs.headers.get('x-frame-options'), 'DENY', 'the other headers still apply');
    const shell = await app.request('/');
    assert.match(shell.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  });
});
