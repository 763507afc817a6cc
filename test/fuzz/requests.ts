import fc from 'fast-check';
import { sha256Hex } from '../../server/crypto/sha256.ts';
import { residentIdCheckChar } from '../../shared/resident-id.ts';
import type { NamedImage } from './hostile-images.ts';
import type { IdentityName } from './identities.ts';
import { type JsonSchema, MARKER, nearValid, valueArbitrary, wrongValue } from './schema-arbitrary.ts';

/**
 * One operation of the OpenAPI document turned into an arbitrary of HTTP requests: valid, near-valid
 * and hostile in each part (credentials, path, query, headers, body).
 */

export interface Operation {
  method: string;
  path: string;
  operationId: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

export interface FuzzRequest {
  /** What the generator meant to send, for the report. */
  kind: string;
  identity: IdentityName;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Uint8Array | FormData;
  /** A further rule on the status, beyond "below 500"; returns a complaint or undefined. */
  expect?: (status: number) => string | undefined;
}

export interface Context {
  doc: unknown;
  baseUrl: string;
  identities: Record<IdentityName, Record<string, string>>;
  known: Record<string, string[]>;
  /** Valid bodies this project knows how to make (checksummed ids, a whole application), by operationId. */
  examples: Record<string, fc.Arbitrary<unknown>>;
  images: { validPhoto: NamedImage; validSignature: NamedImage; validFace: NamedImage; hostile: NamedImage[] };
  jsonLimit: number;
  uploadLimit: number;
  faceLimit: number;
}

/** A request's body part, before credentials, path and query are added. */
type Body = Omit<FuzzRequest, 'identity' | 'method' | 'url'> & { sha?: string };

const enc = new TextEncoder();
const bytes = (text: string) => enc.encode(text);

const notOk = (status: number) => (status >= 200 && status < 300 ? `answered ${status} to a request that is not valid` : undefined);
const exactly = (expected: number) => (status: number) => (status === expected ? undefined : `answered ${status}, expected ${expected}`);

/** Path segments meant to escape the route or confuse a decoder; inserted without further encoding. */
const hostileSegment = fc.constantFrom(
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2f',
  '%252e%252e%252f',
  `${MARKER}%00`,
  '%00',
  '%E4%B8',
  '%ZZ',
  `${MARKER}${'a'.repeat(4000)}`,
  '%C0%AE%C0%AE%2F',
  'constructor',
  '__proto__',
  encodeURIComponent(`${MARKER}' OR '1'='1`),
);

const hostileQuery = fc.constantFrom(
  `q=%00${MARKER}`,
  'q=%ZZ',
  `q=${MARKER}${'x'.repeat(10000)}`,
  'limit=1e309',
  'limit=NaN',
  'limit=-1',
  'limit=99999999999999999999',
  'limit=1&limit=2',
  `__proto__[polluted]=${MARKER}`,
  `constructor[prototype][polluted]=${MARKER}`,
  `cursor=..%2F..%2F${MARKER}`,
  `cursor=${'A'.repeat(3000)}`,
  'from=2026-02-30&to=0000-00-00',
  `status=${MARKER}&province=%E4%B8`,
  'kind=photo&kind=signature',
);

function identitiesFor(op: Operation): IdentityName[] {
  const schemes = new Set((op.security ?? []).flatMap((requirement) => Object.keys(requirement)));
  const names: IdentityName[] = ['anonymous', 'forged'];
  if (schemes.has('cookieAuth')) names.push('applicant', 'applicant', 'applicant');
  if (schemes.has('staffCookieAuth')) names.push('admin', 'reviewer', 'employer', 'applicant');
  if (schemes.has('bearerAuth')) names.push('token');
  if (schemes.size === 0) names.push('applicant', 'admin');
  return names;
}

/** A valid value of one parameter: one the server knows (weighted up) or one its schema allows. */
function parameterValue(ctx: Context, name: string, schema: JsonSchema): fc.Arbitrary<string> {
  const fromSchema = valueArbitrary(schema, ctx.doc).map((value) => (typeof value === 'string' ? value : JSON.stringify(value)));
  const known = ctx.known[name];
  return known ? fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 3 }, { arbitrary: fromSchema, weight: 1 }) : fromSchema;
}

function pathArbitrary(ctx: Context, op: Operation): fc.Arbitrary<{ path: string; hostile: boolean }> {
  const params = (op.parameters ?? []).filter((p) => p.in === 'path');
  if (params.length === 0) return fc.constant({ path: op.path, hostile: false });
  const values = params.map((p) =>
    fc.oneof(
      { arbitrary: parameterValue(ctx, p.name, p.schema).map((value) => ({ value: encodeURIComponent(value), hostile: false })), weight: 4 },
      { arbitrary: hostileSegment.map((value) => ({ value, hostile: true })), weight: 1 },
    ),
  );
  return fc.tuple(...values).map((chosen) => {
    let path = op.path;
    params.forEach((p, i) => {
      path = path.replace(`{${p.name}}`, chosen[i]!.value);
    });
    return { path, hostile: chosen.some((c) => c.hostile) };
  });
}

function queryArbitrary(ctx: Context, op: Operation): fc.Arbitrary<string> {
  const params = (op.parameters ?? []).filter((p) => p.in === 'query');
  const valid = fc
    .tuple(...params.map((p) => fc.option(parameterValue(ctx, p.name, p.schema), { nil: undefined, freq: p.required ? 20 : 3 })))
    .map((values) => {
      const search = new URLSearchParams();
      params.forEach((p, i) => {
        if (values[i] !== undefined) search.set(p.name, values[i]!);
      });
      return search.toString();
    });
  const wrong = fc.tuple(valid, fc.constantFrom(...(params.length ? params.map((p) => p.name) : ['x'])), wrongValue).map(
    ([query, name, value]) => {
      const search = new URLSearchParams(query);
      // Kept under Node's header limit, so the answer comes from the app, not from the HTTP parser.
      search.set(name, (typeof value === 'string' ? value : JSON.stringify(value) ?? '').slice(0, 500));
      return search.toString();
    },
  );
  return fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: wrong, weight: 2 }, { arbitrary: hostileQuery, weight: 1 });
}

function headerArbitrary(op: Operation): fc.Arbitrary<Record<string, string>> {
  const params = (op.parameters ?? []).filter((p) => p.in === 'header');
  if (params.length === 0) return fc.constant({});
  // Only Idempotency-Key is documented as a header; a fresh UUID is its valid value.
  return fc
    .tuple(
      ...params.map((p) =>
        fc.oneof(
          { arbitrary: fc.uuid(), weight: 4 },
          { arbitrary: fc.uuid().map((uuid) => uuid.toUpperCase()), weight: 1 },
          { arbitrary: fc.constantFrom(undefined, '', ' ', MARKER, '6f1d0c1e-2f5b-4c3a-9d8e-7a6b5c4d3e2fx', 'a'.repeat(8000), '00000000-0000-0000-0000-000000000000'), weight: 2 },
        ).map((value) => [p.name.toLowerCase(), value] as const),
      ),
    )
    .map((entries) => Object.fromEntries(entries.filter(([, value]) => value !== undefined)) as Record<string, string>);
}

/**
 * The JSON text of `value` with raw members appended (for NaN, 1e999, duplicates): last, so that where
 * they repeat a key, theirs is the value JSON.parse keeps.
 */
function spliceRaw(value: unknown, raw: string): string {
  const text = JSON.stringify(value);
  if (!text.startsWith('{') || text === '{}') return `{${raw}}`;
  return `${text.slice(0, -1)},${raw}}`;
}

function jsonBodies(ctx: Context, op: Operation, schema: JsonSchema): fc.Arbitrary<Body> {
  const json = { 'content-type': 'application/json' };
  const fromSchema = valueArbitrary(schema, ctx.doc);
  const example = ctx.examples[op.operationId];
  const valid = example ? fc.oneof({ arbitrary: example, weight: 3 }, { arbitrary: fromSchema, weight: 1 }) : fromSchema;
  const firstKey = Object.keys(schema.properties ?? {})[0] ?? 'name';
  const hostile = fc.oneof<fc.Arbitrary<Body>[]>(
    fc.constant({
      kind: 'JSON over the body limit',
      headers: json,
      body: bytes(JSON.stringify({ [firstKey]: MARKER + 'x'.repeat(ctx.jsonLimit + 1024) })),
      expect: exactly(413),
    }),
    valid.map((value) => ({
      kind: 'a long string just under the limit',
      headers: json,
      body: bytes(spliceRaw(value, `${JSON.stringify(firstKey)}:${JSON.stringify(MARKER + '字'.repeat(60_000))}`)),
    })),
    fc
      .tuple(valid, fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', 'image/png', ''))
      .map(([value, type]) => ({
        kind: `JSON sent as ${type || 'no content type'}`,
        headers: type ? { 'content-type': type } : ({} as Record<string, string>),
        body: bytes(JSON.stringify(value)),
        expect: notOk,
      })),
    fc.constantFrom('[]', 'null', '"x"', '1', 'true', '', ' ', '{', '{"a":}', `{"${MARKER}":1,}`).map((text) => ({
      kind: `not an object: ${JSON.stringify(text)}`,
      headers: json,
      body: bytes(text),
      expect: notOk,
    })),
    valid.map((value) => ({
      kind: '__proto__ / constructor / prototype keys',
      headers: json,
      body: bytes(spliceRaw(value, `"__proto__":{"polluted":"${MARKER}","isAdmin":true},"constructor":{"prototype":{"polluted":"${MARKER}"}},"prototype":"${MARKER}"`)),
    })),
    fc.tuple(valid, fc.constantFrom([0xff, 0xfe], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe4, 0xb8])).map(([value, broken]) => {
      const text = spliceRaw(value, `${JSON.stringify(firstKey)}:"${MARKER}\u0001"`);
      const at = text.indexOf('\u0001');
      const raw = bytes(text);
      const cut = bytes(text.slice(0, at)).length;
      return {
        kind: `broken UTF-8 ${broken.map((b) => b.toString(16)).join(' ')}`,
        headers: json,
        body: new Uint8Array([...raw.subarray(0, cut), ...broken, ...raw.subarray(cut + 1)]),
      };
    }),
    valid.map((value) => ({
      kind: 'lone surrogate escape',
      headers: json,
      body: bytes(spliceRaw(value, `${JSON.stringify(firstKey)}:"\\ud800${MARKER}\\udfff"`)),
    })),
    fc.constantFrom('[', '{"a":').map((open) => ({
      kind: `nesting 10000 levels deep (${open})`,
      headers: json,
      body: bytes(`${open.repeat(10_000)}1${(open === '[' ? ']' : '}').repeat(10_000)}`),
      expect: notOk,
    })),
    valid.map((value) => ({
      kind: 'a field nested 10000 levels deep',
      headers: json,
      body: bytes(spliceRaw(value, `${JSON.stringify(firstKey)}:${'['.repeat(10_000)}"${MARKER}"${']'.repeat(10_000)}`)),
    })),
    valid.map((value) => ({
      kind: 'duplicate keys',
      headers: json,
      body: bytes(spliceRaw(value, `${JSON.stringify(firstKey)}:"${MARKER}",${JSON.stringify(firstKey)}:{"${MARKER}":1}`)),
    })),
    fc.tuple(valid, fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e999', '-0', '0x1F', '01', '1.', '.5', 'undefined')).map(([value, raw]) => ({
      kind: `NaN-ish number ${raw}`,
      headers: json,
      body: bytes(spliceRaw(value, `${JSON.stringify(firstKey)}:${raw}`)),
    })),
    fc.tuple(valid, fc.double({ min: 0, max: 1, noNaN: true })).map(([value, at]) => {
      const text = JSON.stringify(value);
      return { kind: 'truncated JSON', headers: json, body: bytes(text.slice(0, Math.floor(text.length * at * 0.99))), expect: notOk };
    }),
  );
  return fc.oneof(
    { arbitrary: valid.map((value) => ({ kind: 'valid', headers: json, body: bytes(JSON.stringify(value)) })), weight: 3 },
    { arbitrary: nearValid(valid).map((value) => ({ kind: 'near-valid', headers: json, body: bytes(JSON.stringify(value)) })), weight: 3 },
    { arbitrary: hostile, weight: 4 },
  );
}

function imageBodies(ctx: Context): fc.Arbitrary<Body> {
  const images = [ctx.images.validPhoto, ctx.images.validSignature, ...ctx.images.hostile];
  const picture = fc
      .tuple(
        fc.constantFrom(...images),
        fc.constantFrom('claimed', 'claimed', 'claimed', 'image/jpeg', 'image/png', 'application/json', 'text/html', ''),
        // Mostly the right SHA-256, so the picture gets past that check to the decoder.
        fc.boolean().chain((wrong) => (wrong ? fc.boolean() : fc.constant(true))),
      )
      .map(([image, type, rightSha]) => {
        const mime = type === 'claimed' ? image.mime : type;
        return {
          kind: `${image.name} as ${mime || 'no content type'}${rightSha ? '' : ', wrong SHA-256'}`,
          headers: mime ? { 'content-type': mime } : ({} as Record<string, string>),
          body: image.bytes,
          sha: rightSha ? sha256Hex(image.bytes) : sha256Hex(bytes(MARKER)),
        };
      });
  const huge = fc.constant<Body>({
      kind: 'image over the upload limit',
      headers: { 'content-type': 'image/jpeg' },
      body: new Uint8Array([...ctx.images.validPhoto.bytes.subarray(0, 4), ...new Uint8Array(ctx.uploadLimit + 1024)]),
      // Refused before it is read: 413, unless the query or the session was refused first.
      expect: (status: number) => ([400, 401, 413].includes(status) ? undefined : `answered ${status}, expected 413`),
    });
  return fc.oneof({ arbitrary: picture, weight: 8 }, { arbitrary: huge, weight: 1 });
}

function multipartBodies(ctx: Context): fc.Arbitrary<Body> {
  const images = [ctx.images.validFace, ctx.images.validPhoto, ...ctx.images.hostile];
  const form = fc
    .tuple(
      fc.constantFrom<string | undefined>('yes', 'yes', 'no', '', undefined, MARKER, 'yes'.repeat(10000)),
      fc.option(fc.constantFrom(...images), { nil: undefined, freq: 6 }),
      fc.constantFrom('face.png', '../../etc/passwd', `${MARKER}.html`, ''),
      fc.boolean(),
    )
    .map(([consent, image, filename, asText]) => {
      const data = new FormData();
      if (consent !== undefined) data.set('consent', consent);
      if (image && asText) data.set('image', MARKER);
      else if (image) data.set('image', new Blob([new Uint8Array(image.bytes)], { type: image.mime }), filename);
      return { kind: `form: consent=${String(consent).slice(0, 10)}, image=${asText ? 'text' : image?.name ?? 'none'}`, headers: {}, body: data };
    });
  const raw = fc.constantFrom(
    {
      kind: 'multipart with a broken boundary',
      headers: { 'content-type': 'multipart/form-data; boundary=zz' },
      body: bytes(`--zz\r\nContent-Disposition: form-data; name="consent"\r\n\r\nyes\r\n--zz\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\n\r\n${MARKER}`),
      expect: notOk,
    },
    { kind: 'multipart without a boundary', headers: { 'content-type': 'multipart/form-data' }, body: bytes(`consent=yes&${MARKER}`), expect: notOk },
    { kind: 'JSON instead of a form', headers: { 'content-type': 'application/json' }, body: bytes(`{"consent":"yes","image":"${MARKER}"}`), expect: notOk },
    { kind: 'urlencoded form', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: bytes(`consent=yes&image=${MARKER}`), expect: notOk },
  );
  const huge = fc.constant(0).map(() => {
    const data = new FormData();
    data.set('consent', 'yes');
    data.set('image', new Blob([new Uint8Array(ctx.images.validFace.bytes), new Uint8Array(ctx.faceLimit + 1024)], { type: 'image/png' }), 'face.png');
    return { kind: 'form over the size limit', headers: {}, body: data, expect: notOk };
  });
  return fc.oneof({ arbitrary: form, weight: 6 }, { arbitrary: raw, weight: 2 }, { arbitrary: huge, weight: 1 });
}

/** Bodies an operation without a documented body may still be sent. */
const strayBodies = fc.oneof(
  { arbitrary: fc.constant({ kind: 'no body', headers: {} as Record<string, string> }), weight: 4 },
  {
    arbitrary: fc.constantFrom(
      { kind: 'stray JSON body', headers: { 'content-type': 'application/json' }, body: bytes(`{"__proto__":{"x":"${MARKER}"}}`) },
      { kind: 'stray deep body', headers: { 'content-type': 'application/json' }, body: bytes('['.repeat(10_000)) },
      { kind: 'stray text body', headers: { 'content-type': 'text/plain' }, body: bytes(MARKER) },
    ),
    weight: 1,
  },
);

export function requestArbitrary(ctx: Context, op: Operation): fc.Arbitrary<FuzzRequest> {
  const content = op.requestBody?.content ?? {};
  const types = Object.keys(content);
  const canHaveBody = op.method !== 'GET' && op.method !== 'HEAD';
  let bodies: fc.Arbitrary<Body>;
  if (types.includes('application/json')) bodies = jsonBodies(ctx, op, content['application/json']!.schema);
  else if (types.includes('multipart/form-data')) bodies = multipartBodies(ctx);
  else if (types.some((type) => type.startsWith('image/'))) bodies = imageBodies(ctx);
  else bodies = canHaveBody ? strayBodies : fc.constant({ kind: 'no body', headers: {} });
  return fc
    .record({
      identity: fc.constantFrom(...identitiesFor(op)),
      path: pathArbitrary(ctx, op),
      query: queryArbitrary(ctx, op),
      headers: headerArbitrary(op),
      body: bodies,
    })
    .map(({ identity, path, query, headers, body }) => {
      // An upload's path names the SHA-256 of its bytes: keep them matching unless the path is the hostile part.
      const filled = body.sha && !path.hostile ? op.path.replace('{sha256}', body.sha) : path.path;
      const { sha: _sha, ...rest } = body;
      return {
        ...rest,
        kind: `${rest.kind}${path.hostile ? ', hostile path' : ''}`,
        identity,
        method: op.method,
        url: `${ctx.baseUrl}${filled}${query ? `?${query}` : ''}`,
        headers: { ...ctx.identities[identity], ...headers, ...rest.headers },
      };
    });
}

/** Valid bodies whose rules JSON Schema cannot state: a resident ID with its check digit, a whole application. */
export function exampleBodies(application: Record<string, unknown>): Record<string, fc.Arbitrary<unknown>> {
  const idNumber = fc.integer({ min: 100, max: 999 }).map((serial) => {
    const first17 = `11010119850101${serial}`;
    return first17 + residentIdCheckChar(first17);
  });
  const person = fc.record({
    name: fc.constantFrom('张伟', '王芳', `李${MARKER.slice(0, 3)}`, '欧阳娜娜'),
    idNumber,
    mobile: fc.constantFrom('13800138000', '15912345678'),
  });
  const applicationArb = fc.constant(application);
  return {
    register: fc.tuple(person, fc.constantFrom('fuzz-pass-2026', 'short', `${MARKER}1`)).map(([p, password]) => ({ ...p, password })),
    checkIdentity: person.map(({ name, idNumber: id }) => ({ name, idNumber: id })),
    signIn: fc.constant({ idNumber: application.idNumber, password: 'fault-test-2026' }),
    submitApplication: applicationArb,
    resubmitApplication: applicationArb,
    saveDraft: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom(application, { name: application.name }, {})).map(([baseRevision, values]) => ({
      baseRevision,
      values,
      fieldUpdatedAt: { name: Date.now() },
      updatedAt: Date.now(),
    })),
  };
}
