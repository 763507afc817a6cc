/**
 * The change feed never misses nor doubles an event, even while two server instances and further
 * writers commit at once on one PostgreSQL: submissions and withdrawals through both instances'
 * HTTP routes, and status events through recordEvent from two more connection pools, some holding
 * their transaction open after numbering. A reader polls both instances with its cursor throughout.
 *
 * Run from the project root: node --import tsx --test test/fault/concurrent-feed.test.ts (needs Debian's postgresql).
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { FeedAnswer } from '../../shared/api/feed.ts';
import { createApiToken } from '../../server/db/api-tokens-store.ts';
import { openDatabase, type Storage } from '../../server/db/database.ts';
import { recordEvent } from '../../server/feed/submission-events.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../postgres/throwaway-postgres.ts';
import { type RunningServer, startServer } from '../server-process.ts';
import { type Applicant, prepareApplicant } from './applicant.ts';
import { ensureClientBuilt, readAnswer, submit } from './submission-client.ts';

// Registrations are rate-limited per address (20 an hour): few people, several applications each.
const APPLICANTS = 8;
const APPLICATIONS_EACH = 4;
const DIRECT_EVENTS_PER_POOL = 40;

describe('the change feed with concurrent writers on two instances', { timeout: 600_000 }, () => {
  let postgres: ThrowawayPostgres;
  let a: RunningServer;
  let b: RunningServer;
  let pools: Storage[] = [];
  let token: string;

  before(async () => {
    ensureClientBuilt();
    postgres = await startThrowawayPostgres();
    const env = { DATABASE_URL: postgres.url };
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
    pools = await Promise.all([openDatabase({ dataDir: a.dataDir, databaseUrl: postgres.url }), openDatabase({ dataDir: b.dataDir, databaseUrl: postgres.url })]);
    token = randomBytes(24).toString('base64url');
    await createApiToken(pools[0]!.db, { name: 'province-system', token });
  });

  after(async () => {
    for (const pool of pools) await pool.close();
    await a?.stop();
    await b?.stop();
    postgres?.stop();
  });

  const servers = () => [a.url, b.url];

  async function poll(baseUrl: string, cursor: string | undefined, limit: number): Promise<FeedAnswer> {
    const query = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) });
    const response = await fetch(`${baseUrl}/api/staff/feed?${query}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as FeedAnswer;
  }

  /** Status events as another writer would make them: some work, the event last, then a pause before commit. */
  async function directWriter(pool: Storage, submissionIds: string[], count: number): Promise<number> {
    for (let i = 0; i < count; i++) {
      const submissionId = submissionIds[i % submissionIds.length]!;
      await pool.db.transaction().execute(async (trx) => {
        await sql`select pg_sleep(${Math.random() * 0.01})`.execute(trx);
        await recordEvent(trx, { submissionId, version: 1, status: 'submitted', kind: 'status', actor: 'system', at: new Date() });
        // Held after numbering: a writer that took its number earlier and commits later must still come first.
        await sql`select pg_sleep(${Math.random() * 0.005})`.execute(trx);
      });
    }
    return count;
  }

  it('delivers every event exactly once, in seq order, to a reader polling both instances with its cursor', async () => {
    const applicants: Applicant[] = [];
    for (let i = 0; i < APPLICANTS; i++) applicants.push(await prepareApplicant(servers()[i % 2]!, i));

    let writing = true;
    const seen: FeedAnswer['events'] = [];
    const reader = (async () => {
      let cursor: string | undefined;
      let turn = 0;
      // After the writers stop, one more empty page proves the reader has caught up.
      for (;;) {
        const stillWriting = writing;
        const page = await poll(servers()[turn++ % 2]!, cursor, 1 + (turn % 9));
        seen.push(...page.events);
        cursor = page.nextCursor;
        if (!stillWriting && page.events.length === 0) return;
      }
    })();

    // First submissions through both instances at once.
    const submissions = applicants.flatMap((applicant) => Array.from({ length: APPLICATIONS_EACH }, () => applicant));
    const answers = await Promise.all(
      submissions.map(async (applicant, i) => {
        const response = await submit(servers()[i % 2]!, applicant, randomUUID());
        assert.equal(response.status, 201);
        return readAnswer(response);
      }),
    );
    const ids = answers.map((answer) => answer.id);
    // Then withdrawals of half of them through both instances, while two more pools record status events directly.
    const withdrawn = submissions.slice(0, submissions.length / 2);
    const [, directA, directB] = await Promise.all([
      Promise.all(
        withdrawn.map(async (applicant, i) => {
          const response = await fetch(`${servers()[(i + 1) % 2]}/api/submissions/${answers[i]!.id}/withdrawal`, {
            method: 'POST',
            headers: { cookie: applicant.cookie },
          });
          assert.equal(response.status, 200);
        }),
      ),
      directWriter(pools[0]!, ids.slice(withdrawn.length), DIRECT_EVENTS_PER_POOL),
      directWriter(pools[1]!, ids.slice(withdrawn.length), DIRECT_EVENTS_PER_POOL),
    ]);
    writing = false;
    await reader;

    const expected = submissions.length + withdrawn.length + directA + directB;
    const seqs = seen.map((event) => event.seq);
    assert.equal(new Set(seqs).size, seqs.length, 'no event twice');
    assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y), 'in seq order');
    assert.equal(seqs.length, expected, 'every event seen');
    const stored = await pools[0]!.db.selectFrom('submission_events').select('seq').orderBy('seq').execute();
    assert.deepEqual(seqs, stored.map((row) => row.seq), 'exactly the stored events');
    assert.deepEqual(seqs, Array.from({ length: expected }, (_, i) => i + 1), 'numbered without gaps');
    // Each kind reached the reader with its application's receipt number.
    const byId = new Map(answers.map((answer) => [answer.id, answer.receiptNumber]));
    for (const event of seen) assert.equal(event.receiptNumber, byId.get(event.submissionId));
    assert.equal(seen.filter((event) => event.status === 'withdrawn').length, withdrawn.length);
  });

  it('refuses a tampered cursor and one from another deployment', async () => {
    const { nextCursor } = await poll(a.url, undefined, 1);
    const [prefix, seq, tag] = nextCursor.split('.');
    for (const cursor of [`${prefix}.${Number(seq) + 1}.${tag}`, `${prefix}.${seq}.${'A'.repeat(22)}`, 'anything']) {
      const response = await fetch(`${b.url}/api/staff/feed?cursor=${encodeURIComponent(cursor)}`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(response.status, 400);
    }
    // The other instance honours a cursor this one issued: the key is the deployment's, in the database.
    assert.equal((await fetch(`${b.url}/api/staff/feed?cursor=${nextCursor}`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
  });
});
