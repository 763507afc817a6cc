import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import { SESSION_COOKIE } from '../accounts/session.ts';
import { openTestStorage, type TestStorage, testIdNumber } from '../../test/support/route-fixtures.ts';
import { createAccount } from '../db/accounts-store.ts';
import { createSession } from '../db/sessions-store.ts';
import { JSON_LIMIT_BYTES, limitJsonBodies } from '../http/json-body.ts';
import { draftRoutes } from './draft-routes.ts';
import type { DraftCopy } from '../../shared/api/drafts.ts';

const PHOTO = 'a'.repeat(64);

describe('/api/drafts', () => {
  let test: TestStorage;
  let app: Hono;
  let alice: string;
  let bob: string;
  let clock = Date.parse('2030-01-01T00:00:00Z');

  async function signIn(name: string, sequence: number): Promise<string> {
    const { storage } = test;
    const account = await createAccount(storage.db, { name, idNumber: testIdNumber(sequence), mobile: '13800000000', passwordHash: 'x' });
    const token = randomBytes(32).toString('base64url');
    await createSession(storage.db, { token, accountId: account.id, expiresAt: new Date(Date.now() + 3600_000) });
    return `${SESSION_COOKIE}=${token}`;
  }

  before(async () => {
    test = await openTestStorage();
    // Each write a minute after the one before, so "newest first" does not hinge on the real clock.
    const now = () => {
      clock += 60_000;
      return new Date(clock);
    };
    app = new Hono().use('*', limitJsonBodies(JSON_LIMIT_BYTES)).route('/api/drafts', draftRoutes(test.storage, { now }));
    alice = await signIn('李娜', 101);
    bob = await signIn('王强', 103);
  });
  after(() => test.cleanup());

  interface Write {
    baseRevision: number;
    values: Record<string, unknown>;
    fieldUpdatedAt: Record<string, number>;
    photo?: string;
    signature?: string;
    updatedAt: number;
  }

  function write(values: Record<string, unknown>, baseRevision: number, extra: Partial<Write> = {}): Write {
    const at = 1_900_000_000_000;
    return {
      baseRevision,
      values,
      fieldUpdatedAt: Object.fromEntries(Object.keys(values).map((key) => [key, at])),
      updatedAt: at,
      ...extra,
    };
  }

  /** `cookie: null` sends none. */
  function put(id: string, body: unknown, cookie: string | null = alice) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (cookie) headers.cookie = cookie;
    return app.request(`/api/drafts/${id}`, { method: 'PUT', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  }
  const list = async (cookie: string) => {
    const res = await app.request('/api/drafts', { headers: { cookie } });
    assert.equal(res.status, 200);
    return ((await res.json()) as { drafts: DraftCopy[] }).drafts;
  };
  const remove = (id: string, cookie: string) => app.request(`/api/drafts/${id}`, { method: 'DELETE', headers: { cookie } });

  it('needs a session', async () => {
    const id = randomUUID();
    assert.equal((await app.request('/api/drafts')).status, 401);
    assert.equal((await put(id, write({}, 0), null)).status, 401);
    assert.equal((await app.request(`/api/drafts/${id}`, { method: 'DELETE' })).status, 401);
  });

  it('saves revision 1, then 2 on base 1, and refuses a stale base with the server copy', async () => {
    const id = randomUUID();
    const first = await put(id, write({ name: '李娜' }, 0));
    assert.equal(first.status, 200);
    assert.deepEqual(await first.json(), { revision: 1 });

    const second = write({ name: '李娜', school: '同济大学' }, 1, { photo: PHOTO, updatedAt: 1_900_000_000_500 });
    const res = await put(id, second);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { revision: 2 });

    const stale = await put(id, write({ name: '李娜', school: '复旦大学' }, 1));
    assert.equal(stale.status, 409);
    assert.deepEqual(await stale.json(), {
      error: '草稿已在其他设备上修改',
      draft: {
        id,
        revision: 2,
        values: second.values,
        fieldUpdatedAt: second.fieldUpdatedAt,
        photo: PHOTO,
        updatedAt: second.updatedAt,
      },
    });
    // A base the server never issued is as stale as an old one, and so is "new" for an existing id.
    assert.equal((await put(id, write({}, 7))).status, 409);
    assert.equal((await put(id, write({}, 0))).status, 409);
    assert.equal((await list(alice)).find((d) => d.id === id)?.values.school, '同济大学');
  });

  it('answers a repeated write whose answer was lost as saved, with the same revision', async () => {
    const id = randomUUID();
    const body = write({ mobile: '13912345678' }, 0);
    assert.deepEqual(await (await put(id, body)).json(), { revision: 1 });
    const again = await put(id, body);
    assert.equal(again.status, 200);
    assert.deepEqual(await again.json(), { revision: 1 });
  });

  it('keeps values as the shared draft schema reads them, and the id in lower case', async () => {
    const id = randomUUID();
    const res = await put(id.toUpperCase(), write({ mobile: '139 1234 5678', school: ' 同济大学 ', notAField: 'dropped' }, 0));
    assert.equal(res.status, 200);
    const stored = (await list(alice)).find((d) => d.id === id);
    assert.deepEqual(stored?.values, { mobile: '13912345678', school: '同济大学' });
  });

  it("answers another account's draft exactly like a missing one, and leaves it alone", async () => {
    const id = randomUUID();
    assert.equal((await put(id, write({ name: '王强' }, 0), bob)).status, 200);
    const foreign = [await put(id, write({ name: '李娜' }, 0)), await put(id, write({ name: '李娜' }, 1))];
    const missing = await put(randomUUID(), write({ name: '李娜' }, 1));
    for (const res of [...foreign, missing]) {
      assert.equal(res.status, 404);
      assert.deepEqual(await res.json(), { error: '未找到该草稿' });
    }
    assert.equal((await remove(id, alice)).status, 204);
    assert.ok(!(await list(alice)).some((d) => d.id === id));
    assert.deepEqual(
      (await list(bob)).map((d) => [d.id, d.revision, d.values]),
      [[id, 1, { name: '王强' }]],
    );
  });

  it('refuses malformed values with 400 and field issues, storing nothing and repeating nothing', async () => {
    const id = randomUUID();
    const secretMobile = '23456789012';
    const secretDate = '1990-13-45';
    const res = await put(id, write({ mobile: secretMobile, birthDate: secretDate, name: '李娜' }, 0));
    assert.equal(res.status, 400);
    const text = await res.text();
    assert.ok(!text.includes(secretMobile) && !text.includes(secretDate), 'the rejected values are not repeated');
    const body = JSON.parse(text) as { error: string; issues: { field: string }[] };
    assert.equal(body.error, '提交的信息有误，请按提示修改');
    assert.deepEqual(body.issues.map((i) => i.field).sort(), ['values.birthDate', 'values.mobile']);
    assert.ok(!(await list(alice)).some((d) => d.id === id));
  });

  it('refuses a malformed envelope or id with 400', async () => {
    const id = randomUUID();
    const bad: [unknown, string][] = [
      [{ ...write({}, 0), baseRevision: -1 }, 'baseRevision'],
      [{ ...write({}, 0), baseRevision: 1.5 }, 'baseRevision'],
      [{ ...write({}, 0), fieldUpdatedAt: { 'bad key': 1 } }, 'fieldUpdatedAt'],
      [{ ...write({}, 0), fieldUpdatedAt: { name: 'yesterday' } }, 'fieldUpdatedAt'],
      [{ ...write({}, 0), fieldUpdatedAt: [1, 2] }, 'fieldUpdatedAt'],
      [{ ...write({}, 0), photo: 'not-a-hash' }, 'photo'],
      [{ ...write({}, 0), values: 'everything' }, 'values'],
      [{ values: {}, fieldUpdatedAt: {}, updatedAt: 1 }, 'baseRevision'],
    ];
    for (const [body, field] of bad) {
      const res = await put(id, body);
      assert.equal(res.status, 400, field);
      const issues = ((await res.json()) as { issues: { field: string }[] }).issues;
      assert.ok(issues.some((i) => i.field === field), `${field}: ${JSON.stringify(issues)}`);
      assert.ok(!JSON.stringify(issues).includes('bad key'), 'a rejected key is not repeated either');
    }
    const badId = await put('draft-1', write({}, 0));
    assert.equal(badId.status, 400);
    assert.deepEqual(await badId.json(), { error: '草稿标识不正确' });
    assert.equal((await put(id, '{"baseRevision":')).status, 400);
    assert.ok(!(await list(alice)).some((d) => d.id === id));
  });

  it('is held to the API-wide JSON cap', async () => {
    const res = await put(randomUUID(), write({ school: 'x'.repeat(JSON_LIMIT_BYTES) }, 0));
    assert.equal(res.status, 413);
  });

  it('saves exactly one of two concurrent writes on the same base; the other gets its copy', async () => {
    const id = randomUUID();
    await put(id, write({ name: '李娜' }, 0));
    const mine = write({ school: '同济大学' }, 1);
    const theirs = write({ school: '复旦大学' }, 1);
    const answers = await Promise.all([put(id, mine), put(id, theirs)]);
    assert.deepEqual(answers.map((r) => r.status).sort(), [200, 409]);
    const winner = answers[0]!.status === 200 ? mine : theirs;
    const conflict = (await answers.find((r) => r.status === 409)!.json()) as { draft: DraftCopy };
    assert.deepEqual([conflict.draft.revision, conflict.draft.values], [2, winner.values]);
    assert.deepEqual((await list(alice)).find((d) => d.id === id)?.values, winner.values);
  });

  it("lists the account's drafts, most recently saved first, and deletes idempotently", async () => {
    const carol = await signIn('赵敏', 105);
    const [older, newer] = [randomUUID(), randomUUID()];
    await put(older, write({ name: '赵敏' }, 0), carol);
    await put(newer, write({ school: '同济大学' }, 0, { signature: PHOTO }), carol);
    // Saving the older one again makes it the newest.
    await put(older, write({ name: '赵敏', major: '土木工程' }, 1), carol);
    const drafts = await list(carol);
    assert.deepEqual(
      drafts.map((d) => d.id),
      [older, newer],
    );
    assert.deepEqual(drafts[1], {
      id: newer,
      revision: 1,
      values: { school: '同济大学' },
      fieldUpdatedAt: { school: 1_900_000_000_000 },
      signature: PHOTO,
      updatedAt: 1_900_000_000_000,
    });

    for (let i = 0; i < 2; i++) {
      const res = await remove(older, carol);
      assert.equal(res.status, 204);
      assert.equal(await res.text(), '');
    }
    assert.equal((await remove('not-a-uuid', carol)).status, 204);
    assert.deepEqual(
      (await list(carol)).map((d) => d.id),
      [newer],
    );
  });
});
