/** The document as assembled from the real route table of the API. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import { applicationBaseSchema } from '../../shared/application-schema.ts';
import { openTestStorage, type TestStorage } from '../../test/support/route-fixtures.ts';
import { API_BASE_PATH, createApi } from '../app.ts';
import { developmentVerifier } from '../face-verification/development-verifier.ts';
import { describeRoute } from './describe-route.ts';
import { buildOpenApiDocument, HTTP_METHODS, type JsonSchema, type OpenApiDocument, type OpenApiOperation } from './openapi-document.ts';
import { inlineRefs } from './openapi-html.ts';
import { routeOperations } from './route-table.ts';

function operations(doc: OpenApiDocument): [string, OpenApiOperation][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    HTTP_METHODS.flatMap((method) => (item[method] ? [[`${method.toUpperCase()} ${path}`, item[method]] as [string, OpenApiOperation]] : [])),
  );
}

describe('OpenAPI document from the route table', () => {
  let fixture: TestStorage;
  let api: ReturnType<typeof createApi>;
  let doc: OpenApiDocument;

  before(async () => {
    fixture = await openTestStorage();
    api = createApi({ storage: fixture.storage, faceVerifier: developmentVerifier });
    doc = buildOpenApiDocument(api, { basePath: API_BASE_PATH });
  });
  after(() => fixture.cleanup());

  it('has a description beside every route the API really mounts', () => {
    const mounted = routeOperations(api, API_BASE_PATH);
    assert.ok(mounted.length > 10, 'the route table is read');
    const undescribed = mounted.filter((op) => !op.spec).map((op) => `${op.method.toUpperCase()} ${op.path}`);
    assert.deepEqual(undescribed, [], 'routes without describeRoute');
    assert.deepEqual(
      operations(doc).map(([key]) => key).sort(),
      mounted.map((op) => `${op.method.toUpperCase()} ${op.path}`).sort(),
    );
  });

  it('notices a route without a description', () => {
    const app = new Hono()
      .get('/described', describeRoute({ operationId: 'x', summary: '有说明', tags: [], responses: { 204: { description: '无内容' } } }), (c) => c.body(null, 204))
      .get('/bare/:id', (c) => c.body(null, 204));
    const undescribed = routeOperations(app, '/api').filter((op) => !op.spec);
    assert.deepEqual(undescribed.map((op) => `${op.method} ${op.path}`), ['get /api/bare/{id}']);
  });

  it('is OpenAPI 3.1: Chinese summaries, unique operation ids, responses and declared path parameters', () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.match(doc.info.title, /\p{Script=Han}/u);
    const ids = operations(doc).map(([, op]) => op.operationId);
    assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
    for (const [key, op] of operations(doc)) {
      assert.match(op.summary, /\p{Script=Han}/u, key);
      assert.ok(Object.keys(op.responses).length > 0, key);
      for (const [status, response] of Object.entries(op.responses)) {
        assert.match(status, /^[1-5]\d\d$/, key);
        assert.ok('description' in response && response.description, `${key} ${status}`);
      }
      const path = key.split(' ')[1]!;
      for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
        const parameter = op.parameters?.find((p) => p.in === 'path' && p.name === name);
        assert.equal(parameter?.required, true, `${key} declares {${name}}`);
      }
      for (const tag of op.tags) assert.ok(doc.tags.some((t) => t.name === tag), `${key} tag ${tag}`);
    }
  });

  it('takes the submission body from the submit schema: all fields required, Chinese titles, codes as enums', () => {
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
    const enterprise = schema.properties.enterprise?.properties as Record<string, JsonSchema> | undefined;
    assert.equal(enterprise?.uscc?.title, '统一社会信用代码');
    assert.equal((schema.properties.specialty1?.enum as string[] | undefined)?.length, 14);
    assert.match(String(schema.properties.specialty1?.description), /01 房屋建筑工程/);
    assert.equal(schema.$schema, undefined);

    const key = post.parameters?.find((p) => p.name === 'Idempotency-Key');
    assert.equal(key?.in, 'header');
    assert.equal(key?.required, true);
    assert.deepEqual(post.security, [{ cookieAuth: [] }]);
    for (const status of ['201', '200', '400', '401', '403', '409', '413', '415', '422']) assert.ok(post.responses[status], status);
  });

  it('builds the request bodies of the account routes from their valibot schemas', () => {
    const body = (path: string) => doc.paths[path]?.post?.requestBody?.content['application/json']?.schema as { required: string[] };
    assert.deepEqual(body('/api/identity-checks').required.sort(), ['idNumber', 'name']);
    assert.deepEqual(body('/api/accounts').required.sort(), ['idNumber', 'mobile', 'name', 'password']);
    assert.deepEqual(body('/api/session').required.sort(), ['idNumber', 'password']);
    assert.ok(doc.paths['/api/face-verifications']?.post?.requestBody?.content['multipart/form-data']);
    assert.ok(doc.paths['/api/attachments/{sha256}']?.put?.requestBody?.content['image/png']);
  });

  it('documents the draft write: values all optional, a stale write answered with the server copy', () => {
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
    assert.equal(body.properties.fieldUpdatedAt?.maxProperties, 100);
    assert.deepEqual(Object.keys(put.responses).sort(), ['200', '400', '401', '404', '409', '413', '415']);
    const conflict = inlineRefs(doc, (put.responses['409'] as { content: Record<string, { schema: unknown }> }).content['application/json']?.schema);
    assert.deepEqual((conflict as { required: string[] }).required, ['error', 'draft']);
  });

  it('documents query parameters from their validator', () => {
    const parameters = doc.paths['/api/enterprises']?.get?.parameters ?? [];
    assert.deepEqual(
      parameters.map((p) => [p.name, p.in, p.required]),
      [
        ['q', 'query', true],
        ['limit', 'query', false],
      ],
    );
    assert.match(parameters[0]!.description, /关键字/);
  });

  it('declares cookie auth, the error shape, and error answers across the API', () => {
    assert.deepEqual(doc.components.securitySchemes.cookieAuth, {
      type: 'apiKey',
      in: 'cookie',
      name: 'jl_session',
      description: '登录或注册后设置的会话 Cookie',
    });
    const error = doc.components.schemas.Error as { required: string[]; properties: Record<string, unknown> };
    assert.deepEqual(error.required, ['error']);
    assert.deepEqual(Object.keys(error.properties), ['error', 'issues']);
    const statuses = new Set(operations(doc).flatMap(([, op]) => Object.keys(op.responses)));
    for (const status of ['400', '401', '403', '409', '413', '415', '422', '429', '503']) assert.ok(statuses.has(status), status);
  });

  it('has no dangling $ref', () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    assert.ok(refs.length > 0);
    assert.ok(!JSON.stringify(inlineRefs(doc, doc.paths)).includes('$ref'));
    for (const ref of new Set(refs)) {
      const pointer = ref.slice('"$ref":"#/'.length, -1).split('/');
      let node: unknown = doc;
      for (const part of pointer) node = (node as Record<string, unknown>)[part];
      assert.ok(node, ref);
    }
  });
});
