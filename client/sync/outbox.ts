/**
 * The outbox: submissions waiting for the network, in our own Dexie table (not Workbox's queue), so
 * they survive restarts, 4xx and 5xx alike, and the person can see where each one stands.
 */
import { newUuid } from '../data/draft-store.ts';
import type { LocalDb, OutboxAttachment, OutboxRecord, OutboxState } from '../data/local-db.ts';
import { blobSha256 } from './attachment-upload.ts';

export interface SubmissionAttachmentInput {
  kind: OutboxAttachment['kind'];
  blob: Blob;
}

export interface EnqueueInput {
  accountId: string;
  draftId: string;
  /** The checked submit body; photo and signature are set here to the attachments' SHA-256. */
  body: Record<string, unknown>;
  attachments: SubmissionAttachmentInput[];
  /** `body.enterprise` is only `{ name }` as typed: the sender matches it before sending. */
  enterpriseToMatch?: boolean;
}

/** What the person reads about an item, by its state. */
export const OUTBOX_STATE_TEXT: Record<Exclude<OutboxState, 'sent'>, string> = {
  queued: '等待网络，恢复后自动提交',
  sending: '正在提交…',
  rejected: '需要修改后重新提交',
};

/** The item of one draft (at most one is kept per draft). */
export async function outboxItemForDraft(db: LocalDb, accountId: string, draftId: string) {
  return db.outbox
    .where('accountId')
    .equals(accountId)
    .filter((record) => record.draftId === draftId)
    .first();
}

/** Every item of the account, oldest first. */
export async function outboxItems(db: LocalDb, accountId?: string): Promise<OutboxRecord[]> {
  const records = accountId === undefined ? await db.outbox.toArray() : await db.outbox.where('accountId').equals(accountId).toArray();
  return records.sort((a, b) => a.createdAt - b.createdAt);
}

/**
 * Puts the submission in the outbox under the draft's Idempotency-Key (made and kept on the draft if
 * it has none) and returns the stored item. An item of this draft already waiting or being sent is
 * returned unchanged. A rejected one is replaced: under a new key, since the rejected attempts stored
 * nothing — unless one of them went unanswered, when the server may hold it under the old key: then the
 * old key is kept, so an unchanged body gets the first receipt back instead of a second application.
 */
export async function enqueueSubmission(db: LocalDb, input: EnqueueInput, now: () => number = Date.now): Promise<OutboxRecord> {
  // Hashing is asynchronous work outside IndexedDB: done before the transaction, which it would end.
  const attachments: OutboxAttachment[] = [];
  const body: Record<string, unknown> = { ...input.body };
  for (const { kind, blob } of input.attachments) {
    const sha256 = await blobSha256(blob);
    attachments.push({ sha256, kind, blob, uploaded: false });
    body[kind] = sha256;
  }
  return db.transaction('rw', db.outbox, db.drafts, async () => {
    const mine = (await db.outbox.where('accountId').equals(input.accountId).toArray()).filter(
      (record) => record.draftId === input.draftId,
    );
    const active = mine.find((record) => record.state === 'queued' || record.state === 'sending');
    if (active) return active;
    const draft = await db.drafts.get(input.draftId);
    let key = draft?.idempotencyKey ?? newUuid();
    for (const old of mine) {
      if (old.id === key && !old.maybeDelivered) key = newUuid();
      else if (old.maybeDelivered) key = old.id;
      await db.outbox.delete(old.id);
    }
    const at = now();
    const record: OutboxRecord = {
      id: key,
      accountId: input.accountId,
      draftId: input.draftId,
      body,
      attachments,
      state: 'queued',
      attempts: 0,
      nextAttemptAt: at,
      createdAt: at,
    };
    if (input.enterpriseToMatch) record.enterpriseToMatch = true;
    await db.outbox.put(record);
    if (draft && draft.idempotencyKey !== key) await db.drafts.update(input.draftId, { idempotencyKey: key });
    return record;
  });
}

/**
 * 撤回: takes a waiting or rejected item out so the draft can be edited. Refused (false) while it is
 * being sent: the server may be storing it at this moment.
 */
export async function withdrawSubmission(db: LocalDb, id: string): Promise<boolean> {
  return db.transaction('rw', db.outbox, async () => {
    const record = await db.outbox.get(id);
    if (!record) return true;
    if (record.state === 'sending') return false;
    await db.outbox.delete(id);
    return true;
  });
}

/**
 * The person has signed in again (and passed face verification when `faceVerified`): items the server
 * refused only for want of that go back in the queue as they are. Their key was never claimed (the
 * server checks the session first), so resending under it is safe. Returns how many were requeued.
 */
export async function resumeAfterSignIn(
  db: LocalDb,
  accountId: string,
  faceVerified: boolean,
  now: () => number = Date.now,
): Promise<number> {
  const reasons: OutboxRecord['rejectedFor'][] = faceVerified ? ['sign-in', 'face'] : ['sign-in'];
  return db.outbox
    .where('accountId')
    .equals(accountId)
    .filter((record) => record.state === 'rejected' && reasons.includes(record.rejectedFor))
    .modify((record) => {
      record.state = 'queued';
      record.nextAttemptAt = now();
      delete record.rejectedFor;
      delete record.lastError;
    });
}

/**
 * The draft took another id (merged into the account's server draft): its outbox item follows it, so
 * the form still finds it and a receipt still removes that draft.
 */
export async function moveOutboxItems(db: LocalDb, accountId: string, fromDraftId: string, toDraftId: string): Promise<number> {
  return db.outbox
    .where('accountId')
    .equals(accountId)
    .filter((record) => record.draftId === fromDraftId)
    .modify({ draftId: toDraftId });
}
