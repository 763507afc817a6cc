import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { applicationBaseSchema } from '../../shared/application-schema.ts';
import { accountRoutes } from '../accounts/account-routes.ts';
import { identityCheckRoutes } from '../accounts/identity-check-routes.ts';
import { sessionRoutes } from '../accounts/session-routes.ts';
import { attachmentRoutes } from '../attachments/attachment-routes.ts';
import type { Storage } from '../db/database.ts';
import { draftRoutes } from '../drafts/draft-routes.ts';
import { enterpriseRoutes } from '../enterprises/enterprise-routes.ts';
import { faceVerificationRoutes } from '../face-verification/face-verification-routes.ts';
import { healthRoutes } from '../health/health-routes.ts';
import { receiptRoutes } from '../receipts/receipt-routes.ts';
import { submissionRoutes } from '../submissions/submission-routes.ts';
import { HTTP_METHODS, type JsonSchema, type OpenApiDocument, buildOpenApiDocument } from './openapi-document.ts';
import { inlineRefs } from './openapi-html.ts';
import { openApiRoutes } from './openapi-routes.ts';

/** Every route of the brief, as `METHOD /path` in OpenAPI's spelling. */
const EXPECTED_OPERATIONS = [
  'GET /api/health',
  'POST /api/identity-checks',
  'POST /api/accounts',
  'POST /api/session',
  'GET /api/session',
  'DELETE /api/session',
  'GET /api/face-verifications',
  'POST /api/face-verifications',
  'GET /api/enterprises',
  'GET /api/enterprises/{uscc}',
  'PUT /api/attachments/{sha256}',
  'GET /api/attachments/{sha256}',
  'GET /api/drafts',
  'PUT /api/drafts/{id}',
  'DELETE /api/drafts/{id}',
  'POST /api/submissions',
  'GET /api/submissions',
  'GET /api/submissions/{id}',
  'GET /api/receipts/public-key',
  'GET /api/openapi.json',
  'GET /api/docs',
];

function operationsOf(doc: OpenApiDocument): string[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => item[method]).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

describe('OpenAPI document', () => {
  const doc = buildOpenApiDocument();

  it('is OpenAPI 3.1 and describes every route, each with a Chinese summary', () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.deepEqual(operationsOf(doc).sort(), [...EXPECTED_OPERATIONS].sort());
    for (const item of Object.values(doc.paths)) {
      for (const method of HTTP_METHODS) {
        const op = item[method];
        if (op) assert.match(op.summary, /\p{Script=Han}/u, op.operationId);
      }
    }
    const ids = Object.values(doc.paths).flatMap((item) => HTTP_METHODS.flatMap((m) => item[m]?.operationId ?? []));
    assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
  });

  it('matches the routes the server modules really mount', async () => {
    const storage = {} as Storage; // routes only touch storage when a request arrives
    const verifier = { name: 'stub', verify: async () => ({ passed: true, reference: 'x' }) };
    const api = new Hono()
      .route('/health', healthRoutes(storage))
      .route('/identity-checks', identityCheckRoutes(storage))
      .route('/accounts', accountRoutes(storage))
      .route('/session', sessionRoutes(storage))
      .route('/face-verifications', faceVerificationRoutes(storage, verifier))
      .route('/enterprises', enterpriseRoutes(storage))
      .route('/attachments', attachmentRoutes(storage))
      .route('/drafts', draftRoutes(storage))
      .route('/submissions', submissionRoutes(storage))
      .route('/receipts', receiptRoutes(storage))
      .route('/', openApiRoutes());
    const mounted = new Set(
      new Hono()
        .route('/api', api)
        .routes.filter((r) => r.method !== 'ALL')
        .map((r) => `${r.method} ${r.path.replace(/\/$/, '').replace(/:(\w+)/g, '{$1}')}`),
    );
    assert.deepEqual([...mounted].sort(), operationsOf(doc).sort());
  });

  it('takes the submissions request body from the submit schema, all fields required', () => {
    const post = doc.paths['/api/submissions']?.post;
    assert.ok(post);
    const schema = inlineRefs(doc, post.requestBody?.content['application/json']?.schema) as JsonSchema & {
      required: string[];
      properties: Record<string, JsonSchema & { required?: string[] }>;
    };
    assert.deepEqual([...schema.required].sort(), Object.keys(applicationBaseSchema.entries).sort());
    assert.deepEqual(schema.properties.enterprise?.required?.sort(), ['city', 'legalRepresentative', 'name', 'province', 'uscc']);
    assert.deepEqual(schema.properties.commitment?.required?.sort(), ['acceptedAt', 'choice', 'version']);
    assert.equal(schema.properties.name?.title, '姓名');
    assert.equal((schema.properties.specialty1?.enum as string[] | undefined)?.length, 14);
    assert.equal(schema.$schema, undefined);

    const key = post.parameters?.find((p) => p.name === 'Idempotency-Key');
    assert.equal(key?.in, 'header');
    assert.equal(key?.required, true);
    assert.deepEqual(Object.keys(post.responses).sort(), ['200', '201', '400', '401', '403', '409', '413', '415', '422']);
    assert.deepEqual(post.security, [{ cookieAuth: [] }]);
  });

  it('builds request bodies of the account routes from their valibot schemas', () => {
    const body = (path: string) =>
      doc.paths[path]?.post?.requestBody?.content['application/json']?.schema as { required: string[] };
    assert.deepEqual(body('/api/identity-checks').required.sort(), ['idNumber', 'name']);
    assert.deepEqual(body('/api/accounts').required.sort(), ['idNumber', 'mobile', 'name', 'password']);
    assert.deepEqual(body('/api/session').required.sort(), ['idNumber', 'password']);
    assert.ok(doc.paths['/api/face-verifications']?.post?.requestBody?.content['multipart/form-data']);
  });

  it('takes the draft body from the draft schemas: values all optional, a stale write answered with the server copy', () => {
    const put = doc.paths['/api/drafts/{id}']?.put;
    assert.ok(put);
    const body = inlineRefs(doc, put.requestBody?.content['application/json']?.schema) as JsonSchema & {
      required: string[];
      properties: Record<string, JsonSchema & { required?: string[]; properties?: Record<string, unknown> }>;
    };
    assert.deepEqual([...body.required].sort(), ['baseRevision', 'fieldUpdatedAt', 'updatedAt', 'values']);
    const values = body.properties.values;
    assert.deepEqual(values?.required ?? [], []);
    assert.deepEqual(Object.keys(values?.properties ?? {}).sort(), Object.keys(applicationBaseSchema.entries).sort());
    assert.deepEqual(Object.keys(put.responses).sort(), ['200', '400', '401', '404', '409', '413', '415']);
    const conflict = inlineRefs(doc, (put.responses['409'] as { content: Record<string, { schema: unknown }> }).content['application/json']?.schema);
    assert.deepEqual((conflict as { required: string[] }).required, ['error', 'draft']);
  });

  it('declares cookie auth and the error shape for 400/401/403/409/413/415/422/429', () => {
    assert.deepEqual(doc.components.securitySchemes.cookieAuth, {
      type: 'apiKey',
      in: 'cookie',
      name: 'jl_session',
      description: '登录或注册后设置的会话 Cookie',
    });
    const error = doc.components.schemas.Error as { required: string[]; properties: Record<string, unknown> };
    assert.deepEqual(error.required, ['error']);
    assert.deepEqual(Object.keys(error.properties), ['error', 'issues']);
    const statuses = new Set(
      Object.values(doc.paths).flatMap((item) => HTTP_METHODS.flatMap((m) => Object.keys(item[m]?.responses ?? {}))),
    );
    for (const status of ['400', '401', '403', '409', '413', '415', '422', '429']) assert.ok(statuses.has(status), status);
  });

  it('has no dangling $ref', () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    assert.ok(refs.length > 0);
    const inlined = JSON.stringify(inlineRefs(doc, doc.paths));
    assert.ok(!inlined.includes('$ref'));
    for (const ref of new Set(refs)) {
      const pointer = ref.slice('"$ref":"#/'.length, -1).split('/');
      let node: unknown = doc;
      for (const part of pointer) node = (node as Record<string, unknown>)[part];
      assert.ok(node, ref);
    }
  });
});

describe('/api/openapi.json and /api/docs', () => {
  const app = new Hono().route('/api', openApiRoutes());

  it('serves the document as JSON', async () => {
    const res = await app.request('/api/openapi.json');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const body = (await res.json()) as OpenApiDocument;
    assert.equal(body.openapi, '3.1.0');
    assert.deepEqual(body, JSON.parse(JSON.stringify(buildOpenApiDocument())));
  });

  it('serves a self-contained Chinese page listing every operation', async () => {
    const res = await app.request('/api/docs');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const html = await res.text();
    assert.match(html, /^<!doctype html>\n<html lang="zh-CN">/);
    assert.equal(html.match(/<h1[ >]/g)?.length, 1);
    assert.ok(!/<script|<link|\ssrc=|https?:\/\//i.test(html), 'loads nothing from elsewhere');
    for (const operation of EXPECTED_OPERATIONS) {
      const [method, path] = operation.split(' ') as [string, string];
      assert.ok(html.includes(`<code>${path}</code>`), path);
      assert.ok(html.includes(`<code>${method} ${path}</code>`), operation);
    }
    assert.ok(html.includes('提交申请（只受理一次）'));
    assert.ok(html.includes('&quot;idNumber&quot;'), 'request schemas are shown as JSON');
    assert.ok(html.includes('Idempotency-Key'));
  });
});
