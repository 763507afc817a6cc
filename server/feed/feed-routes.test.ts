import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type FeedAnswer, feedMessages } from '../../shared/api/feed.ts';
import { openTestStorage, type TestStorage } from '../../test/support/route-fixtures.ts';
import { applicationOf, bearerToken, signedInStaff, testApplicant, testEnterprise } from '../../test/support/review-fixtures.ts';
import { createApi } from '../app.ts';
import { upsertEnterprises } from '../db/enterprises-store.ts';
import { developmentVerifier } from '../face-verification/development-verifier.ts';
import { NOT_ALLOWED, NOT_SIGNED_IN } from '../staff/staff-auth.ts';
import { encodeFeedCursor } from './feed-cursor.ts';

const enterprise = testEnterprise('3', '烟台港城工程监理有限公司', '山东省');

describe('GET /api/staff/feed over HTTP', () => {
  let fixture: TestStorage;
  let api: ReturnType<typeof createApi>;
  let reviewer: string;
  let token: string;
  let sequence = 701;
  const submitted: string[] = [];

  /** `auth` is a cookie, or an Authorization header when it starts with `Bearer `. */
  const feed = (query: string, auth?: string) => {
    const headers = new Headers();
    if (auth?.startsWith('Bearer ')) headers.set('authorization', auth);
    else if (auth) headers.set('cookie', auth);
    return api.request(`/staff/feed${query}`, { headers });
  };
  const page = async (query: string, auth = token): Promise<FeedAnswer> => {
    const response = await feed(query, auth);
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as FeedAnswer;
  };

  /** One more application through the API: one more `submitted` event. */
  async function submit(): Promise<void> {
    sequence += 2;
    const person = await testApplicant(fixture.storage, sequence, '周明远');
    const response = await api.request('/submissions', {
      method: 'POST',
      headers: { cookie: person.cookie, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(applicationOf(person, enterprise)),
    });
    assert.equal(response.status, 201, await response.clone().text());
    submitted.push(((await response.json()) as { id: string }).id);
  }

  /** Follows nextCursor from `cursor` until a page comes back empty; every event read and the last cursor. */
  async function follow(cursor: string | undefined, limit: number) {
    const events: FeedAnswer['events'] = [];
    for (;;) {
      const query = `?limit=${limit}${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
      const answer = await page(query);
      assert.ok(answer.events.length <= limit);
      events.push(...answer.events);
      cursor = answer.nextCursor;
      if (answer.events.length === 0) return { events, cursor };
    }
  }

  before(async () => {
    fixture = await openTestStorage();
    await upsertEnterprises(fixture.storage.db, [enterprise]);
    api = createApi({ storage: fixture.storage, faceVerifier: developmentVerifier });
    reviewer = (await signedInStaff(fixture.storage, 'reviewer')).cookie;
    token = await bearerToken(fixture.storage, '山东省住建厅');
    for (let i = 0; i < 5; i++) await submit();
  });
  after(() => fixture.cleanup());

  it('refuses anonymous calls and applicant cookies (401) and employers (403)', async () => {
    const person = await testApplicant(fixture.storage, 2, '钱晓东');
    const employer = await signedInStaff(fixture.storage, 'employer', enterprise.uscc);
    for (const [auth, status, error] of [
      [undefined, 401, NOT_SIGNED_IN],
      [person.cookie, 401, NOT_SIGNED_IN],
      [employer.cookie, 403, NOT_ALLOWED],
      ['Bearer not-a-token', 401, NOT_SIGNED_IN],
    ] as const) {
      const response = await feed('', auth);
      assert.equal(response.status, status, String(auth));
      assert.deepEqual(await response.json(), { error });
    }
  });

  it('answers a reviewer and a token alike, and records each read in the audit', async () => {
    const byReviewer = await page('', reviewer);
    assert.deepEqual(await page(''), byReviewer);
    assert.deepEqual(
      byReviewer.events.map((event) => [event.submissionId, event.version, event.status]),
      submitted.slice(0, 5).map((id) => [id, 1, 'submitted']),
    );
    const reads = await fixture.storage.db.selectFrom('audit_log').select(['actor_role', 'action']).where('action', '=', 'feed.read').execute();
    assert.deepEqual(reads.map((entry) => entry.actor_role).sort(), ['reviewer', 'token']);
  });

  it('refuses a limit out of 1–500 (400)', async () => {
    for (const limit of ['0', '501', '-1', '1.5', 'ten', '']) {
      const response = await feed(`?limit=${limit}`, token);
      assert.equal(response.status, 400, limit);
    }
    assert.equal((await feed('?limit=1', token)).status, 200);
    assert.equal((await feed('?limit=500', token)).status, 200);
  });

  it('refuses a tampered or foreign cursor (400)', async () => {
    const { nextCursor } = await page('?limit=2');
    const [prefix, seq, tag] = nextCursor.split('.') as [string, string, string];
    const flipped = tag.slice(0, -2) + (tag.at(-2) === 'A' ? 'B' : 'A') + tag.at(-1);
    for (const cursor of [
      `${prefix}.${Number(seq) + 1}.${tag}`,
      `${prefix}.${seq}.${flipped}`,
      encodeFeedCursor(Number(seq), randomBytes(32)),
      `${prefix}.${seq}`,
      'anything',
    ]) {
      const response = await feed(`?cursor=${encodeURIComponent(cursor)}`, token);
      assert.equal(response.status, 400, cursor);
      assert.deepEqual(await response.json(), { error: feedMessages.badCursor });
    }
  });

  it('pages with nextCursor through every event once, in order, and then through only the new ones', async () => {
    const all = (await page('?limit=500')).events;
    const paged = await follow(undefined, 2);
    assert.deepEqual(paged.events, all);
    const seqs = all.map((event) => event.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
    assert.equal(new Set(seqs).size, seqs.length);

    // An empty page leaves the cursor where it was; new events come after it, each once.
    assert.equal((await page(`?cursor=${encodeURIComponent(paged.cursor)}`)).nextCursor, paged.cursor);
    await submit();
    await submit();
    await submit();
    const later = await follow(paged.cursor, 2);
    assert.deepEqual(
      later.events.map((event) => event.submissionId),
      submitted.slice(-3),
    );
    assert.ok(later.events.every((event) => event.seq > seqs.at(-1)!));
  });
});
