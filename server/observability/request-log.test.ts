import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { createApp } from '../app.ts';
import { developmentVerifier } from '../face-verification/development-verifier.ts';
import { openTestStorage, type TestStorage } from '../../test/support/route-fixtures.ts';
import { testApplicant } from '../../test/support/review-fixtures.ts';
import { createLogger, errorFields } from './logger.ts';
import { chooseRequestId } from './request-id.ts';

/** A logger writing into an array, one parsed object per line. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ destination }), lines };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('chooseRequestId', () => {
  it('keeps a short plain token a proxy sent', () => {
    assert.equal(chooseRequestId('nginx-7f3a.01_B'), 'nginx-7f3a.01_B');
    const longest = 'a'.repeat(64);
    assert.equal(chooseRequestId(longest), longest);
  });

  it('makes a new id for anything that could not go into a log line as it is', () => {
    for (const given of [undefined, '', 'a'.repeat(65), 'two words', 'line\nbreak', '{"json":1}', '张三', 'a/b', 'x=1;y']) {
      const chosen = chooseRequestId(given);
      assert.match(chosen, UUID, `for ${JSON.stringify(given)}`);
    }
    assert.notEqual(chooseRequestId(undefined), chooseRequestId(undefined));
  });
});

describe('errorFields', () => {
  it('keeps the class, the code and the place, never the message', () => {
    const err = Object.assign(new Error('duplicate key value (id_number)=(110105199001010012) violates unique constraint'), {
      code: '23505',
    });
    const fields = errorFields(err);
    assert.equal(fields.error, 'Error');
    assert.equal(fields.errorCode, '23505');
    assert.match(fields.at ?? '', /request-log\.test\.ts:\d+:\d+$/);
    assert.doesNotMatch(JSON.stringify(fields), /110105199001010012|duplicate/);
  });

  it('drops a code that is not a plain token, and copes with what is not an Error', () => {
    assert.equal(errorFields(Object.assign(new Error('x'), { code: 'has a value: 13800138000' })).errorCode, undefined);
    assert.deepEqual(errorFields('13800138000'), { error: 'string' });
  });
});

describe('createLogger', () => {
  it('hides fields that would carry a person or a secret, however deep', () => {
    const { logger, lines } = capturingLogger();
    logger.info({ person: { idNumber: '110105199001010012', mobile: '13800138000', name: '张三' }, password: 'p', token: 't' }, 'x');
    const text = JSON.stringify(lines);
    for (const secret of ['110105199001010012', '13800138000', '张三', '"p"', '"t"']) assert.ok(!text.includes(secret), secret);
    assert.equal((lines[0]?.person as Record<string, unknown> | undefined)?.idNumber, '[已隐去]');
  });
});

describe('the request log of the whole app', () => {
  let fixture: TestStorage;
  let capture: ReturnType<typeof capturingLogger>;
  let app: ReturnType<typeof createApp>;

  before(async () => {
    fixture = await openTestStorage();
    capture = capturingLogger();
    app = createApp({ storage: fixture.storage, faceVerifier: developmentVerifier, logger: capture.logger });
  });
  after(() => fixture.cleanup());

  const lastLine = () => capture.lines.at(-1) ?? {};

  it('sends a sane incoming X-Request-Id back and logs the request under it', async () => {
    const res = await app.request('/api/health', { headers: { 'X-Request-Id': 'edge-42.a' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-request-id'), 'edge-42.a');
    assert.deepEqual(
      { reqId: lastLine().reqId, method: lastLine().method, route: lastLine().route, status: lastLine().status },
      { reqId: 'edge-42.a', method: 'GET', route: '/api/health', status: 200 },
    );
    assert.equal(typeof lastLine().ms, 'number');
  });

  it('replaces an unusable id with a new one, on the answer and in the log alike', async () => {
    const res = await app.request('/api/health', { headers: { 'X-Request-Id': 'x'.repeat(65) } });
    const id = res.headers.get('x-request-id') ?? '';
    assert.match(id, UUID);
    assert.equal(lastLine().reqId, id);
  });

  it('labels a request by the route pattern that answered, never by the path with its ids and query', async () => {
    const person = await testApplicant(fixture.storage, 7, '赵六');
    const id = randomUUID();
    const res = await app.request(`/api/submissions/${id}?probe=${person.idNumber}`, { headers: { cookie: person.cookie } });
    assert.equal(res.status, 404);
    assert.equal(lastLine().route, '/api/submissions/:id');
    const line = JSON.stringify(lastLine());
    assert.ok(!line.includes(id), 'the id in the path');
    assert.ok(!line.includes(person.idNumber), 'the query');
    assert.ok(!line.includes(person.cookie.split('=')[1]!), 'the cookie');
    assert.deepEqual(Object.keys(lastLine()).sort(), ['level', 'method', 'ms', 'msg', 'reqId', 'route', 'status', 'time']);
  });

  it('labels an unknown API path by the catch-all pattern, not by what was asked for', async () => {
    const res = await app.request('/api/no-such-thing/110105199001010012');
    assert.equal(res.status, 404);
    assert.equal(lastLine().route, '/api/*');
    assert.ok(res.headers.get('x-request-id'));
  });

  it('logs a failure with the request id and where it broke, never the message, and answers a plain 500', async () => {
    const broken = await openTestStorage();
    const person = await testApplicant(broken.storage, 8, '孙八');
    const failing = createApp({ storage: broken.storage, faceVerifier: developmentVerifier, logger: capture.logger });
    await broken.cleanup();
    const res = await failing.request('/api/me/data', { headers: { cookie: person.cookie, 'x-request-id': 'broken-1' } });
    assert.equal(res.status, 500);
    assert.deepEqual(await res.json(), { error: '服务器内部错误，请稍后重试' });
    const failure = capture.lines.find((line) => line.reqId === 'broken-1' && line.level === 50);
    assert.ok(failure, 'an error line');
    assert.equal(failure.route, '/api/me/*');
    assert.equal(typeof failure.error, 'string');
    assert.equal(typeof failure.at, 'string');
    assert.deepEqual(Object.keys(failure).sort().filter((key) => !['errorCode'].includes(key)), ['at', 'error', 'level', 'method', 'msg', 'reqId', 'route', 'time']);
    assert.equal(capture.lines.at(-1)?.status, 500, 'and the request line after it');
  });

  it('writes one line per request', async () => {
    const before = capture.lines.length;
    await Promise.all([app.request('/api/health'), app.request('/api/health'), app.request('/metrics')]);
    assert.equal(capture.lines.length - before, 3);
  });
});
