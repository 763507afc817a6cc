import { expect } from 'chai';
import { submissionMessages } from '../../shared/api/submissions.ts';
import { putReceipt } from '../data/receipts.ts';
import type { LocalDb } from '../data/local-db.ts';
import { fakeApiServer } from '../test-support/fake-api-server.ts';
import type { FakeAnswer, RecordedRequest } from '../test-support/fake-transport.ts';
import { ACCOUNT, attachments, BODY, outboxTestBed } from '../test-support/outbox-fixtures.ts';
import { enqueueSubmission } from './outbox.ts';
import { OUTBOX_MESSAGES } from './outbox-outcome.ts';
import { flushOutbox } from './outbox-sender.ts';

const SUBMISSION = 'submission-7';
const RECEIPT_NUMBER = 'JL20260105000007';

/** What POST /api/submissions/{id}/versions answers: the new version's receipt, same 申请编号. */
const versionReceipt = (version: number): FakeAnswer => ({
  status: 201,
  body: {
    id: SUBMISSION,
    receiptNumber: RECEIPT_NUMBER,
    submittedAt: '2026-01-09T02:00:00.000Z',
    status: 'employer_confirmed',
    bodySha256: 'cd'.repeat(32),
    version,
    receipt: {
      receiptNumber: RECEIPT_NUMBER,
      submissionId: SUBMISSION,
      submittedAt: '2026-01-09T02:00:00.000Z',
      bodySha256: 'cd'.repeat(32),
      keyId: '0123456789abcdef',
      signature: 'bmV3LXNpZ25hdHVyZQ',
    },
  },
});

const isVersionPost = (request: RecordedRequest) =>
  request.method === 'POST' && request.path === `/api/submissions/${SUBMISSION}/versions`;

describe('outbox: a 补正 resubmitted', () => {
  const bed = outboxTestBed();

  async function firstReceipt(db: LocalDb) {
    await putReceipt(db, {
      receiptNumber: RECEIPT_NUMBER,
      accountId: ACCOUNT,
      submissionId: SUBMISSION,
      idempotencyKey: crypto.randomUUID(),
      submittedAt: '2026-01-05T01:00:00.000Z',
      status: 'correction_requested',
      corrections: [{ field: 'photo', note: '照片背景不是白色' }],
      bodySha256: 'ab'.repeat(32),
      summary: { name: BODY.name, enterpriseName: BODY.enterprise.name, specialty1: '01', specialty2: '02' },
      signature: 'b2xk',
      keyId: '0123456789abcdef',
    });
  }

  async function enqueueCorrection(db: LocalDb) {
    const draft = await bed.draft(db, { correctionOf: { submissionId: SUBMISSION, version: 1, corrections: [] } });
    const input = { accountId: ACCOUNT, draftId: draft.id, body: BODY, attachments: await attachments(), resubmissionOf: SUBMISSION };
    return { draft, item: await enqueueSubmission(db, input, bed.clock.now) };
  }

  it('offline first, then exactly once to …/versions under its own key; the new receipt replaces the first', async () => {
    const db = bed.database();
    await firstReceipt(db);
    const { draft, item } = await enqueueCorrection(db);
    expect(item.resubmissionOf).to.equal(SUBMISSION);

    const offline = fakeApiServer(() => ({ status: 0, body: null }));
    const first = await flushOutbox({ db, net: offline.net, now: bed.clock.now, random: () => 0.5, locks: null });
    expect(first.requeued).to.deep.equal([item.id]);
    expect((await db.outbox.get(item.id))?.state).to.equal('queued');

    const server = fakeApiServer((request) => (isVersionPost(request) ? versionReceipt(2) : undefined));
    const second = await flushOutbox({ db, net: server.net, now: bed.clock.now, random: () => 0.5, locks: null, ignoreBackoff: true });
    expect(second.sent).to.deep.equal([item.id]);
    const posts = server.requests.filter((request) => request.method === 'POST');
    expect(posts.map((request) => request.path)).to.deep.equal([`/api/submissions/${SUBMISSION}/versions`]);
    expect(posts[0]?.headers['idempotency-key']).to.equal(item.id);
    expect(JSON.parse(String(posts[0]?.body))).to.deep.equal(item.body);

    // Done: one receipt for the submission, the new version's, signed anew; the item and the draft are gone.
    const receipts = await db.receipts.toArray();
    expect(receipts).to.have.length(1);
    expect(receipts[0]).to.deep.include({ submissionId: SUBMISSION, version: 2, idempotencyKey: item.id, status: 'employer_confirmed' });
    expect(receipts[0]?.signature).to.equal('bmV3LXNpZ25hdHVyZQ');
    expect(await db.outbox.count()).to.equal(0);
    expect(await db.drafts.get(draft.id)).to.equal(undefined);

    // Nothing left to send: no second version.
    await flushOutbox({ db, net: server.net, now: bed.clock.now, random: () => 0.5, locks: null, ignoreBackoff: true });
    expect(server.requests.filter(isVersionPost)).to.have.length(1);
  });

  it('waits while the same key is in flight, and stops when the application is no longer open for 补正', async () => {
    const db = bed.database();
    const { item } = await enqueueCorrection(db);
    const answers: FakeAnswer[] = [
      { status: 409, body: { error: submissionMessages.inFlight } },
      { status: 409, body: { error: submissionMessages.notOpenForCorrection } },
    ];
    const server = fakeApiServer((request) => (isVersionPost(request) ? answers.shift() : undefined));
    const deps = { db, net: server.net, now: bed.clock.now, random: () => 0.5, locks: null, ignoreBackoff: true };

    await flushOutbox(deps);
    const waiting = await db.outbox.get(item.id);
    expect(waiting?.state).to.equal('queued');
    expect(waiting?.lastError).to.equal(OUTBOX_MESSAGES.busy);

    await flushOutbox(deps);
    const stopped = await db.outbox.get(item.id);
    expect(stopped?.state).to.equal('rejected');
    expect(stopped?.rejectedFor).to.equal('other');
    expect(stopped?.lastError).to.equal(submissionMessages.notOpenForCorrection);
    // A new application never went out in its place.
    expect(server.requests.some((request) => request.method === 'POST' && request.path === '/api/submissions')).to.equal(false);
  });
});
