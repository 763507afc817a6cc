import { expect } from 'chai';
import { LitElement } from 'lit';
import { blobSha256 } from '../data/blob-sha256.ts';
import { putDraft } from '../data/drafts.ts';
import { LocalDb, type OutboxRecord, type ReceiptRecord } from '../data/local-db.ts';
import { loadPendingIdentity, savePendingIdentity } from '../data/pending-identity.ts';
import { fakeApiServer } from '../test-support/fake-api-server.ts';
import { FakeClock } from '../test-support/fake-clock.ts';
import { waitFor } from '../test-support/elements.ts';
import { ACCOUNT, BODY, JPEG } from '../test-support/outbox-fixtures.ts';
import { OUTBOX_MESSAGES } from './outbox-outcome.ts';
import { OutboxScheduler } from './outbox-scheduler.ts';
import { type SubmissionAttachment, SubmissionController } from './submission-controller.ts';

/** A host as small as a page: it counts the updates the controller asks for. */
class SubmissionHost extends LitElement {
  updates = 0;

  override requestUpdate(...args: Parameters<LitElement['requestUpdate']>): void {
    this.updates++;
    super.requestUpdate(...args);
  }
}
customElements.define('submission-host', SubmissionHost);

describe('SubmissionController', () => {
  let name: string;
  let db: LocalDb;
  let clock: FakeClock;
  let server: ReturnType<typeof fakeApiServer>;
  let online: boolean;
  let scheduler: OutboxScheduler;

  async function photo(): Promise<SubmissionAttachment> {
    const blob = new Blob([JPEG], { type: 'image/jpeg' });
    return { kind: 'photo', blob, sha256: await blobSha256(blob) };
  }

  async function draft(): Promise<string> {
    const id = crypto.randomUUID();
    await putDraft(db, { id, accountId: ACCOUNT, values: { name: BODY.name }, fieldUpdatedAt: {}, updatedAt: clock.now() });
    return id;
  }

  /** A host in the page, its controller watching a new draft; what it was told is collected. */
  async function watching() {
    const draftId = await draft();
    const el = document.createElement('submission-host') as SubmissionHost;
    const submission = new SubmissionController(el, { db: () => db, scheduler: () => scheduler });
    const told = { rejected: [] as OutboxRecord[], completed: [] as ReceiptRecord[] };
    submission.onRejected = (item) => told.rejected.push(item);
    submission.onCompleted = (receipt) => told.completed.push(receipt);
    document.body.append(el);
    submission.watch(ACCOUNT, draftId);
    const submit = async () => submission.submit({ accountId: ACCOUNT, draftId, body: BODY, attachments: [await photo()] });
    return { el, submission, draftId, submit, ...told };
  }

  /** The server answers `answer` first (undefined: as the contract says); the scheduler sends to it. */
  function serve(answer: Parameters<typeof fakeApiServer>[0]) {
    server = fakeApiServer(answer);
    scheduler = new OutboxScheduler(() => db, {
      net: server.net,
      now: clock.now,
      random: () => 0.5,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
      online: () => online,
      locks: null,
    });
  }

  beforeEach(() => {
    name = `submission-test-${crypto.randomUUID()}`;
    db = new LocalDb(name);
    clock = new FakeClock();
    online = true;
    serve(() => (online ? undefined : { status: 0, body: null }));
  });

  afterEach(async () => {
    document.body.replaceChildren();
    scheduler.stop();
    db.close();
    await new LocalDb(name).delete();
  });

  it('submits: queued and locked at once, then completed with the receipt; the pending identity goes', async () => {
    savePendingIdentity({ name: BODY.name, idNumber: BODY.idNumber });
    const { submission, draftId, submit, completed } = await watching();
    online = false;
    expect(await submit()).to.equal(true);
    expect(submission.busy).to.equal(false);
    expect(submission.item?.state).to.equal('queued');
    expect(submission.locked).to.equal(true);
    expect(submission.item?.body.photo, 'the photo goes by its SHA-256').to.equal((await photo()).sha256);
    expect(completed).to.have.length(0);

    online = true;
    await scheduler.flushNow({ ignoreBackoff: true });
    await waitFor(() => completed.length === 1);
    expect(completed[0]).to.deep.include({ accountId: ACCOUNT, receiptNumber: 'JL20260105000001', submissionId: 'sub-JL20260105000001' });
    expect(submission.item).to.equal(undefined);
    expect(submission.locked).to.equal(false);
    expect(loadPendingIdentity()).to.equal(undefined);
    expect(await db.drafts.get(draftId), 'completion removed the draft').to.equal(undefined);
  });

  it('tells of each new rejection once, and lets the person withdraw (not while it is being sent)', async () => {
    const issues = [{ field: 'mobile', message: '手机号码格式不正确' }];
    serve((request) => (request.method === 'POST' ? { status: 400, body: { error: '申请内容有误', issues } } : undefined));
    const { submission, draftId, submit, rejected } = await watching();
    await submit();
    await waitFor(() => rejected.length === 1);
    expect(rejected[0]).to.deep.include({ state: 'rejected', rejectedFor: 'issues', lastError: OUTBOX_MESSAGES.fields });
    expect(rejected[0]?.issues).to.deep.equal(issues);
    expect(submission.locked).to.equal(false);

    // A change that is no new rejection (another field of the item) tells nothing.
    const id = submission.item!.id;
    await db.outbox.update(id, { lastError: OUTBOX_MESSAGES.fields });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(rejected).to.have.length(1);

    await db.outbox.update(id, { state: 'sending' });
    await waitFor(() => submission.item?.state === 'sending');
    expect(submission.locked).to.equal(true);
    expect(await submission.withdraw()).to.equal(false);
    await db.outbox.update(id, { state: 'queued' });
    await waitFor(() => submission.item?.state === 'queued');
    expect(await submission.withdraw()).to.equal(true);
    expect(submission.item).to.equal(undefined);
    expect(await db.outbox.count()).to.equal(0);
    expect(await db.drafts.get(draftId), 'the draft stays for editing').to.exist;
  });

  it('moves the item along when the draft is merged into another id', async () => {
    const { submission, submit } = await watching();
    online = false;
    await submit();
    const key = submission.item!.id;
    const merged = await draft();
    submission.watch(ACCOUNT, merged);
    await waitFor(() => submission.item?.draftId === merged);
    expect((await db.outbox.get(key))?.draftId).to.equal(merged);
    expect(submission.item?.id, 'the same key').to.equal(key);
  });

  it('after signing in again sends what waited for it', async () => {
    let signedIn = false;
    serve(() => (signedIn ? undefined : { status: 401, body: { error: '请先登录' } }));
    const { submission, submit, completed } = await watching();
    await submit();
    await waitFor(() => submission.item?.state === 'rejected');
    expect(submission.item?.rejectedFor).to.equal('sign-in');

    signedIn = true;
    await submission.resumeAfterSignIn(ACCOUNT, false);
    await waitFor(() => completed.length === 1);
  });

  it('stops following the outbox once the host is gone', async () => {
    const { el, submission, submit, rejected } = await watching();
    online = false;
    await submit();
    const id = submission.item!.id;
    el.remove();
    const updates = el.updates;
    await db.outbox.update(id, { state: 'rejected', rejectedFor: 'other' });
    scheduler.dispatchEvent(new Event('progress'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(rejected).to.have.length(0);
    expect(el.updates).to.equal(updates);
  });
});
