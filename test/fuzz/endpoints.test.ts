/**
 * Fuzzing every documented endpoint of the real server process (server/main.ts on SQLite, own temp data
 * directory, loopback only). The operations are read from /api/openapi.json, so a new route is fuzzed
 * without being listed here. For each, fast-check draws requests from its documented schemas: valid,
 * near-valid (one field wrong) and hostile (bodies over the limit, wrong types and media types,
 * `__proto__`/`constructor` keys, broken UTF-8, 10 000 levels of nesting, duplicate keys, NaN-ish
 * numbers, bad Idempotency-Keys, `../` and `%00` in the path, polyglot, truncated and pixel-bomb
 * images), as nobody, as a forged session, as a signed-in applicant, as staff of each role and with a
 * feed token. Each answer must be below 500; a 4xx must carry the JSON error body `{ error, issues? }`
 * and never the marker put into the input; the counted tables may only change on a 2xx; and at the end
 * every stored submission, draft and attachment must still pass the shared rules.
 *
 * Run: node --import tsx --test test/fuzz/endpoints.test.ts
 * Replay: FUZZ_SEED=<seed printed on failure> (and FUZZ_RUNS=<runs per operation>, default 30, twice that for uploads;
 * FUZZ_OPERATIONS=<operationId,…> to fuzz only those; FUZZ_VERBOSE=1 prints every request and its status).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import fc from 'fast-check';
import sharp from 'sharp';
import * as v from 'valibot';
import { createDraftWriteSchema } from '../../shared/api/drafts.ts';
import { FACE_IMAGE_MAX_BYTES } from '../../shared/api/face-verifications.ts';
import { createSubmitSchema } from '../../shared/application-schema.ts';
import { UPLOAD_LIMIT_BYTES } from '../../server/attachments/attachment-routes.ts';
import { SIGNATURE_MAX_HEIGHT, SIGNATURE_MAX_WIDTH, PHOTO_HEIGHT, PHOTO_WIDTH } from '../../server/attachments/reencode.ts';
import { sha256Hex } from '../../server/crypto/sha256.ts';
import { SQLITE_FILE_NAME } from '../../server/db/database.ts';
import { JSON_LIMIT_BYTES } from '../../server/http/json-body.ts';
import { ensureClientBuilt } from '../fault/submission-client.ts';
import { faceFramePng } from '../fault/applicant.ts';
import { type RunningServer, startServer } from '../server-process.ts';
import { hostileImages } from './hostile-images.ts';
import { type Identities, prepareIdentities } from './identities.ts';
import { type Context, exampleBodies, type FuzzRequest, type Operation, requestArbitrary } from './requests.ts';
import { MARKER } from './schema-arbitrary.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 30);
const SEED = process.env.FUZZ_SEED === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FUZZ_SEED);

/** Tables whose row counts only a successful request may change. */
const COUNTED = ['accounts', 'submissions', 'submission_versions', 'attachments', 'drafts'] as const;

/** Operations that end the session they are sent with: run last, with a second applicant's session. */
const ENDS_SESSION = ['staffSignOut', 'closeAccount', 'signOut'];
/** Operations that, when they succeed, replace the session they are sent with: given a spare one. */
const REPLACES_SESSION = ['register', 'signIn'];

function operationsOf(doc: { paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>> }): Operation[] {
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ ...op, method: method.toUpperCase(), path })),
  );
  const rank = (op: Operation) => ENDS_SESSION.indexOf(op.operationId);
  return ops.sort((a, b) => rank(a) - rank(b));
}

function describeRequest(request: FuzzRequest): string {
  const url = request.url.length > 200 ? `${request.url.slice(0, 200)}…` : request.url;
  return `${request.method} ${url} as ${request.identity}: ${request.kind}`;
}

/** Problems with one answer: a 5xx, a 4xx not in the error shape or echoing the input, a broken rule. */
function answerProblems(request: FuzzRequest, status: number, type: string, text: string): string[] {
  const problems: string[] = [];
  if (status >= 500) problems.push(`answered ${status}: ${text.slice(0, 300)}`);
  if (status >= 400 && status < 500) {
    if (text.toLowerCase().includes(MARKER.toLowerCase())) problems.push(`the ${status} answer echoes the input: ${text.slice(0, 300)}`);
    // An empty 4xx comes from Node's own parser (431 for headers over its limit); any body must be ours.
    if (text !== '' && !/^application\/json/i.test(type)) problems.push(`the ${status} answer is ${type || 'untyped'}, not JSON: ${text.slice(0, 200)}`);
    else if (text !== '') {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        problems.push(`the ${status} answer is not valid JSON`);
      }
      const { error, issues } = (body ?? {}) as { error?: unknown; issues?: unknown };
      if (typeof error !== 'string' || error === '') problems.push(`the ${status} answer has no error message: ${text.slice(0, 200)}`);
      const issueOk = (issue: unknown) =>
        typeof issue === 'object' && issue !== null && typeof (issue as { field?: unknown }).field === 'string' && typeof (issue as { message?: unknown }).message === 'string';
      if (issues !== undefined && !(Array.isArray(issues) && issues.every(issueOk))) problems.push(`the ${status} answer's issues are malformed: ${text.slice(0, 200)}`);
    }
  }
  const broken = request.expect?.(status);
  if (broken) problems.push(broken);
  return problems;
}

describe('fuzzing every documented endpoint', { timeout: 600_000 }, () => {
  let server: RunningServer;
  let db: SqliteDatabase.Database;
  let identities: Identities;
  let ctx: Context;
  let operations: Operation[];
  const serverErrors: string[] = [];

  const counts = () => Object.fromEntries(COUNTED.map((table) => [table, (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n]));

  before(async () => {
    ensureClientBuilt();
    server = await startServer();
    // The server's error lines, to show beside a 5xx.
    server.process.stdout?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (/"level":(50|60)/.test(line)) serverErrors.push(line.slice(0, 2000));
    });
    console.log(`fuzz seed ${SEED}, ${RUNS} runs per operation (replay: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS})`);
    const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as Parameters<typeof operationsOf>[0];
    const only = process.env.FUZZ_OPERATIONS?.split(',');
    operations = operationsOf(doc).filter((op) => !only || only.includes(op.operationId));
    const started = Date.now();
    identities = await prepareIdentities(server.url, server.dataDir);
    console.log(`identities ready in ${Date.now() - started} ms`);
    db = new SqliteDatabase(join(server.dataDir, SQLITE_FILE_NAME), { readonly: true, fileMustExist: true });
    const images = await hostileImages();
    ctx = {
      doc,
      baseUrl: server.url,
      identities: identities.headers,
      known: identities.known,
      examples: exampleBodies(identities.applicant.application),
      images: { ...images, validFace: { name: 'face', bytes: await faceFramePng(), mime: 'image/png' } },
      jsonLimit: JSON_LIMIT_BYTES,
      uploadLimit: UPLOAD_LIMIT_BYTES,
      faceLimit: FACE_IMAGE_MAX_BYTES + 64 * 1024,
    };
  });

  after(async () => {
    db?.close();
    await server?.stop();
  });

  it('reads the operations from the OpenAPI document', () => {
    if (!process.env.FUZZ_OPERATIONS) assert.ok(operations.length >= 30, `only ${operations.length} operations documented`);
    for (const op of operations) assert.ok(op.operationId, `${op.method} ${op.path} has no operationId`);
  });

  it('answers every operation below 500, in the error shape, without echoing input', async (t) => {
    for (const op of operations) {
      const applicant = ENDS_SESSION.includes(op.operationId)
        ? identities.disposable
        : REPLACES_SESSION.includes(op.operationId)
          ? identities.spare
          : identities.headers.applicant;
      const opCtx = { ...ctx, identities: { ...ctx.identities, applicant } };
      const statuses = new Map<number, number>();
      const property = fc.asyncProperty(
        requestArbitrary(opCtx, op).map((request) => Object.assign(request, { [fc.toStringMethod]: () => describeRequest(request) })),
        async (request) => {
          const before = counts();
          let status = 0;
          let type = '';
          let text = '';
          try {
            const response = await fetch(request.url, {
              method: request.method,
              headers: request.headers,
              body: request.body as BodyInit | undefined,
              redirect: 'manual',
              signal: AbortSignal.timeout(30_000),
            });
            status = response.status;
            type = response.headers.get('content-type') ?? '';
            text = await response.text();
          } catch (err) {
            const cause = (err as { cause?: { code?: string; message?: string } }).cause;
            throw new Error(`${describeRequest(request)}: no answer (${cause?.code ?? ''} ${cause?.message ?? (err as Error).message})`);
          }
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (process.env.FUZZ_VERBOSE) console.log(`${status} ${describeRequest(request)}`);
          const problems = answerProblems(request, status, type, text);
          if (status >= 500) {
            const sent = request.body instanceof Uint8Array ? new TextDecoder().decode(request.body.subarray(0, 1500)) : '(a form)';
            problems.push(`server log: ${serverErrors.splice(0).join('\n') || '(nothing)'}; sent: ${sent}`);
          }
          const afterCounts = counts();
          const ok = status >= 200 && status < 300;
          if (!ok && JSON.stringify(before) !== JSON.stringify(afterCounts)) {
            problems.push(`answered ${status} yet stored rows: ${JSON.stringify(before)} → ${JSON.stringify(afterCounts)}`);
          }
          if (problems.length > 0) throw new Error(`${describeRequest(request)} → ${problems.join('; ')}`);
        },
      );
      await t.test(`${op.method} ${op.path} (${op.operationId})`, async () => {
        // Uploads have the most hostile bodies to draw from (the pictures): twice the runs.
        const binary = Object.keys(op.requestBody?.content ?? {}).some((type) => !type.includes('json'));
        const details = await fc.check(property, { numRuns: binary ? 2 * RUNS : RUNS, seed: SEED, endOnFailure: true });
        // Which answers the runs reached: a fuzzer stuck at 401 or 415 would test little.
        const seen = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`);
        console.log(`${op.operationId}: ${seen.join(' ')}`);
        if (details.failed) {
          const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
          assert.fail(`seed ${details.seed}, path "${details.counterexamplePath}" (replay: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS})\n${cause}`);
        }
      });
    }
  });

  it('answers every hostile picture, sent as an applicant with its right SHA-256, without a 5xx', async () => {
    for (const image of ctx.images.hostile) {
      const before = counts();
      const response = await fetch(`${server.url}/api/attachments/${sha256Hex(image.bytes)}?kind=photo`, {
        method: 'PUT',
        headers: { ...identities.headers.applicant, 'content-type': image.mime },
        body: new Uint8Array(image.bytes),
      });
      const text = await response.text();
      console.log(`${image.name}: ${response.status}`);
      const request: FuzzRequest = { kind: image.name, identity: 'applicant', method: 'PUT', url: response.url, headers: {} };
      assert.deepEqual(answerProblems(request, response.status, response.headers.get('content-type') ?? '', text), [], image.name);
      // Stored re-encoded (checked below), or refused: empty, too large, of the wrong type or undecodable,
      // or (409) already uploaded as the other kind by the random runs above.
      assert.ok([200, 201, 400, 409, 413, 415, 422].includes(response.status), `${image.name}: ${response.status} ${text}`);
      if (response.status >= 400) assert.deepEqual(counts(), before, image.name);
    }
  });

  it('kept nothing invalid: every stored submission, draft and attachment passes the shared rules', async () => {
    const problems: string[] = [];
    const submissions = db.prepare('SELECT id, account_id, body, created_at FROM submissions').all() as { id: string; account_id: string; body: string; created_at: string }[];
    const versions = db.prepare('SELECT submission_id AS id, body, created_at FROM submission_versions').all() as { id: string; body: string; created_at: string }[];
    assert.ok(submissions.length >= 1, 'the valid submission made before fuzzing is stored');
    for (const row of [...submissions, ...versions]) {
      const result = v.safeParse(createSubmitSchema({ today: new Date(row.created_at) }), JSON.parse(row.body));
      if (!result.success) problems.push(`submission ${row.id} does not pass the submit schema: ${result.issues[0]?.message}`);
    }
    const attachmentOf = db.prepare('SELECT 1 FROM attachments WHERE account_id = ? AND source_sha256 = ?');
    for (const row of submissions) {
      const body = JSON.parse(row.body) as { photo?: string; signature?: string };
      for (const id of [body.photo, body.signature]) {
        if (!attachmentOf.get(row.account_id, id)) problems.push(`submission ${row.id} names attachment ${id}, which is not stored`);
      }
    }
    const drafts = db.prepare('SELECT id, body FROM drafts').all() as { id: string; body: string }[];
    const draftSchema = createDraftWriteSchema();
    for (const row of drafts) {
      const result = v.safeParse(draftSchema, { baseRevision: 0, ...(JSON.parse(row.body) as object) });
      if (!result.success) problems.push(`draft ${row.id} does not pass the draft schema: ${result.issues[0]?.message}`);
    }
    const attachments = db.prepare('SELECT source_sha256 AS id, kind, mime, bytes, size, width, height FROM attachments').all() as {
      id: string;
      kind: string;
      mime: string;
      bytes: Buffer;
      size: number;
      width: number;
      height: number;
    }[];
    for (const row of attachments) {
      const meta = await sharp(row.bytes).metadata().catch(() => undefined);
      const format = row.mime === 'image/jpeg' ? 'jpeg' : 'png';
      const fits = row.kind === 'photo' ? meta?.width === PHOTO_WIDTH && meta.height === PHOTO_HEIGHT : (meta?.width ?? Infinity) <= SIGNATURE_MAX_WIDTH && (meta?.height ?? Infinity) <= SIGNATURE_MAX_HEIGHT;
      if (!meta || meta.format !== format || !fits || row.size !== row.bytes.length) {
        problems.push(`attachment ${row.id} (${row.kind}, ${row.mime}) is not a re-encoded picture: ${meta?.format} ${meta?.width}×${meta?.height}`);
      }
    }
    assert.deepEqual(problems, []);
  });
});
