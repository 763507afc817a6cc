import { expect } from 'chai';
import { blobSha256 } from '../data/blob-sha256.ts';
import type { FakeClock } from '../test-support/fake-clock.ts';
import { ACCOUNT, BODY, JPEG, outboxTestBed, PNG } from '../test-support/outbox-fixtures.ts';
import { markUploaded, resumeAfterSignIn, withdrawSubmission } from './outbox.ts';
import { OUTBOX_MESSAGES } from './outbox-outcome.ts';

describe('outbox', () => {
  const bed = outboxTestBed();
  const { database, draft, enqueue } = bed;
  let clock: FakeClock;

  beforeEach(() => {
    clock = bed.clock;
  });

  describe('enqueueSubmission and withdrawSubmission', () => {
    it('keeps a queued item whole when a later write finds the device full', async () => {
      const db = database();
      const { id } = await draft(db);
      const item = await enqueue(db, id);
      const before = await db.outbox.get(item.id);
      const put = db.outbox.put.bind(db.outbox);
      db.outbox.put = (() => {
        db.outbox.put = put;
        return Promise.reject(new DOMException('storage full', 'QuotaExceededError'));
      }) as unknown as typeof db.outbox.put;
      const sha = before!.attachments[0]!.sha256;
      let refused: unknown;
      await markUploaded(db, item.id, sha).catch((error: unknown) => {
        refused = error;
      });
      expect(refused, 'the write was refused').to.not.equal(undefined);
      expect(await db.outbox.count()).to.equal(1);
      expect(await db.outbox.get(item.id)).to.deep.equal(before);
      expect((await enqueue(db, id)).id, 'a second 下一步 finds it, not a new one').to.equal(item.id);
    });

    it('stores one queued item under a new key, attachments as Blobs named by their SHA-256', async () => {
      const db = database();
      const { id } = await draft(db);
      const item = await enqueue(db, id);
      const photoSha = await blobSha256(new Blob([JPEG]));
      const signatureSha = await blobSha256(new Blob([PNG]));
      expect(photoSha).to.match(/^[0-9a-f]{64}$/);
      const [stored, ...others] = await db.outbox.toArray();
      expect(others).to.have.length(0);
      expect(stored?.id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(stored?.enterpriseToMatch, 'a picked employer is sent as it is').to.equal(undefined);
      expect(stored).to.include({ state: 'queued', attempts: 0, nextAttemptAt: clock.now(), draftId: id, accountId: ACCOUNT });
      expect(stored?.body.photo).to.equal(photoSha);
      expect(stored?.body.signature).to.equal(signatureSha);
      expect(stored?.attachments.map((a) => [a.kind, a.sha256, a.uploaded])).to.deep.equal([
        ['photo', photoSha, false],
        ['signature', signatureSha, false],
      ]);
      expect(stored?.attachments[0]?.blob).to.be.instanceOf(Blob);
      expect(item.id).to.equal(stored?.id);
      // A second 下一步 while it waits changes nothing.
      expect((await enqueue(db, id)).id).to.equal(item.id);
      expect(await db.outbox.count()).to.equal(1);
    });

    it('keeps the key on the outbox item alone: the draft is left as it was', async () => {
      const db = database();
      const record = await draft(db);
      const item = await enqueue(db, record.id);
      const stored = await db.drafts.get(record.id);
      expect(stored).to.deep.equal(record);
      expect(JSON.stringify(stored)).to.not.contain(item.id);
    });

    it('replaces a rejected item under a new key; keeps the key if an attempt went unanswered', async () => {
      const db = database();
      const { id } = await draft(db);
      const first = await enqueue(db, id);
      await db.outbox.update(first.id, { state: 'rejected', issues: [{ field: 'mobile', message: '手机号码格式不正确' }] });
      const second = await enqueue(db, id, { ...BODY, mobile: '13900139000' });
      expect(second.id).to.not.equal(first.id);
      expect((await db.outbox.toArray()).map((r) => [r.id, r.state])).to.deep.equal([[second.id, 'queued']]);

      await db.outbox.update(second.id, { state: 'rejected', maybeDelivered: true });
      const third = await enqueue(db, id);
      expect(third.id).to.equal(second.id);
      expect(third.state).to.equal('queued');
    });

    it('withdraws a waiting item, but not one being sent', async () => {
      const db = database();
      const { id } = await draft(db);
      const item = await enqueue(db, id);
      await db.outbox.update(item.id, { state: 'sending' });
      expect(await withdrawSubmission(db, item.id)).to.equal(false);
      expect(await db.outbox.count()).to.equal(1);
      await db.outbox.update(item.id, { state: 'queued' });
      expect(await withdrawSubmission(db, item.id)).to.equal(true);
      expect(await db.outbox.count()).to.equal(0);
      expect(await db.drafts.get(id), 'the draft stays for editing').to.exist;
    });
  });

  describe('resumeAfterSignIn', () => {
    it('after signing in again, requeues what was refused for sign-in (and for face only once verified), under the same key', async () => {
      const db = database();
      const signIn = await enqueue(db, (await draft(db)).id);
      await db.outbox.update(signIn.id, { state: 'rejected', rejectedFor: 'sign-in', lastError: OUTBOX_MESSAGES.signIn });
      const face = await enqueue(db, (await draft(db)).id);
      await db.outbox.update(face.id, { state: 'rejected', rejectedFor: 'face', lastError: OUTBOX_MESSAGES.face });
      const fields = await enqueue(db, (await draft(db)).id);
      await db.outbox.update(fields.id, { state: 'rejected', rejectedFor: 'issues', issues: [{ field: 'mobile', message: '手机号码格式不正确' }] });

      expect(await resumeAfterSignIn(db, signIn.accountId, false)).to.equal(1);
      expect(await db.outbox.get(signIn.id)).to.deep.include({ state: 'queued', id: signIn.id });
      expect((await db.outbox.get(signIn.id))?.lastError).to.equal(undefined);
      expect((await db.outbox.get(face.id))?.state).to.equal('rejected');

      expect(await resumeAfterSignIn(db, signIn.accountId, true)).to.equal(1);
      expect((await db.outbox.get(face.id))?.state).to.equal('queued');
      // Field problems need the person, not a new session.
      expect((await db.outbox.get(fields.id))?.state).to.equal('rejected');
    });
  });
});
