/**
 * The outbox: submissions waiting for the network, in our own Dexie table (not Workbox's queue), so
 * they survive restarts, 4xx and 5xx alike, and the person can see where each one stands. This module
 * is the only writer of `db.outbox`, the keeper of each application's Idempotency-Key (the item's id),
 * and the one place a submission is completed.
 */
// Not from draft-store.ts: the service worker imports this module, and the draft store's hashing holds
// a dynamic import(), which service workers refuse.
import { newUuid, retireDrafts } from '../data/drafts.ts';
import type { LocalDb, OutboxAttachment, OutboxRecord, OutboxState } from '../data/local-db.ts';
import { putReceipt, type ReceiptAnswer, receiptOf } from '../data/receipts.ts';
import { backoffDelay } from './backoff.ts';
import type { DirectoryEnterprise } from './enterprise-cache.ts';
import type { Outcome } from './outbox-outcome.ts';

export interface SubmissionAttachmentInput {
  kind: OutboxAttachment['kind'];
  blob: Blob;
  /** Hex SHA-256 of `blob`, computed when the person set it (see client/data/blob-sha256.ts). */
  sha256: string;
}

export interface EnqueueInput {
  accountId: string;
  draftId: string;
  /**
   * The checked submit body; photo and signature are set here to the attachments' SHA-256. An
   * `enterprise` of only `{ name }` (typed, never picked) is matched by the sender before it is sent.
   */
  body: Record<string, unknown>;
  attachments: SubmissionAttachmentInput[];
  /** A 补正: the submission this body is a new version of (see OutboxRecord.resubmissionOf). */
  resubmissionOf?: string;
}

/** What the person reads about an item, by its state. */
export const OUTBOX_STATE_TEXT: Record<Exclude<OutboxState, 'sent'>, string> = {
  queued: '等待网络，恢复后自动提交',
  sending: '正在提交…',
  rejected: '需要修改后重新提交',
};

/** What a waiting item says instead while the device has no room to send it (not the network's fault). */
export const OUTBOX_STORAGE_FULL_TEXT = '本机存储空间已满，请清理空间后自动提交';

/**
 * Whether this page's last send failed because the device's storage is full. Kept in memory: a full
 * store may refuse to record it on the item. Set by the scheduler after each flush; event `change`.
 */
class OutboxStorageState extends EventTarget {
  full = false;

  set(full: boolean): void {
    if (full === this.full) return;
    this.full = full;
    this.dispatchEvent(new Event('change'));
  }
}

export const outboxStorage = new OutboxStorageState();

// ---- reading ----

/** Usage: `liveQuery(() => outboxItemForDraft(db, accountId, draftId))` — at most one per draft. */
export async function outboxItemForDraft(db: LocalDb, accountId: string, draftId: string): Promise<OutboxRecord | undefined> {
  return db.outbox
    .where('accountId')
    .equals(accountId)
    .filter((record) => record.draftId === draftId)
    .first();
}

/** Usage: `liveQuery(() => outboxItems(db, accountId))` — every item (of the account), oldest first. */
export async function outboxItems(db: LocalDb, accountId?: string): Promise<OutboxRecord[]> {
  const records = accountId === undefined ? await db.outbox.toArray() : await db.outbox.where('accountId').equals(accountId).toArray();
  return records.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

/** Usage: `await nextQueuedAt(db)` — the earliest nextAttemptAt of what waits; undefined when nothing does. */
export async function nextQueuedAt(db: LocalDb): Promise<number | undefined> {
  const times = (await db.outbox.where('state').equals('queued').toArray()).map((record) => record.nextAttemptAt);
  return times.length > 0 ? Math.min(...times) : undefined;
}

/** Usage: `await unsentCount(db)` — submissions not yet accepted (waiting, being sent or rejected). */
export async function unsentCount(db: LocalDb): Promise<number> {
  return db.outbox.count();
}

// ---- what the person does ----

/** A body whose employer was typed, never picked: it carries a name and no USCC. */
function enterpriseToMatch(body: Record<string, unknown>): boolean {
  const enterprise = body.enterprise as { uscc?: unknown } | undefined;
  return typeof enterprise === 'object' && enterprise !== null && typeof enterprise.uscc !== 'string';
}

/**
 * Usage: `const item = await enqueueSubmission(db, { accountId, draftId, body, attachments })`.
 * Puts the submission in the outbox and returns the stored item. An item of this draft already
 * waiting or being sent is returned unchanged. A rejected one is replaced, under a new key, since the
 * rejected attempts stored nothing — unless one of them went unanswered, when the server may hold it
 * under the old key: then the old key is kept, so an unchanged body gets the first receipt back
 * instead of a second application.
 */
export async function enqueueSubmission(db: LocalDb, input: EnqueueInput, now: () => number = Date.now): Promise<OutboxRecord> {
  const body: Record<string, unknown> = { ...input.body };
  const attachments: OutboxAttachment[] = input.attachments.map(({ kind, blob, sha256 }) => {
    body[kind] = sha256;
    return { sha256, kind, blob, uploaded: false };
  });
  return db.transaction('rw', db.outbox, async () => {
    const mine = (await db.outbox.where('accountId').equals(input.accountId).toArray()).filter(
      (record) => record.draftId === input.draftId,
    );
    const active = mine.find((record) => record.state === 'queued' || record.state === 'sending');
    if (active) return active;
    const key = mine.find((old) => old.maybeDelivered)?.id ?? newUuid();
    await db.outbox.bulkDelete(mine.map((old) => old.id));
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
    if (enterpriseToMatch(body)) record.enterpriseToMatch = true;
    if (input.resubmissionOf !== undefined) record.resubmissionOf = input.resubmissionOf;
    await db.outbox.put(record);
    return record;
  });
}

/**
 * Usage: `await withdrawSubmission(db, item.id)` (撤回): takes a waiting or rejected item out so the
 * draft can be edited. Refused (false) while it is being sent: the server may be storing it now.
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
 * Usage: `await resumeAfterSignIn(db, accountId, faceVerified)` once the person has signed in again
 * (and passed face verification when `faceVerified`): items the server refused only for want of that
 * go back in the queue as they are. Their key was never claimed (the server checks the session
 * first), so resending under it is safe. Returns how many were requeued.
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
 * Usage: `await moveOutboxItems(db, accountId, oldDraftId, newDraftId)` when the draft took another id
 * (merged into the account's server draft): its item follows it, so the form still finds it and the
 * completion removes that draft.
 */
export async function moveOutboxItems(db: LocalDb, accountId: string, fromDraftId: string, toDraftId: string): Promise<number> {
  return db.outbox
    .where('accountId')
    .equals(accountId)
    .filter((record) => record.draftId === fromDraftId)
    .modify({ draftId: toDraftId });
}

// ---- what the sender does (client/sync/outbox-sender.ts) ----

/**
 * Takes the item for one sender, atomically, if `isDue` still says so: a withdrawal and a claim cannot
 * both succeed. Undefined when it is gone or not due any more.
 */
export async function claimOutboxItem(
  db: LocalDb,
  id: string,
  isDue: (record: OutboxRecord) => boolean,
  at: number,
): Promise<OutboxRecord | undefined> {
  return db.transaction('rw', db.outbox, async () => {
    const current = await db.outbox.get(id);
    if (!current || !isDue(current)) return undefined;
    const claimed: OutboxRecord = { ...current, state: 'sending', sendingAt: at };
    await db.outbox.put(claimed);
    return claimed;
  });
}

/** Written at once, so an upload done before a crash or an offline spell is not repeated. False: gone. */
export async function markUploaded(db: LocalDb, id: string, sha256: string): Promise<boolean> {
  return db.transaction('rw', db.outbox, async () => {
    const current = await db.outbox.get(id);
    if (!current) return false;
    const attachments = current.attachments.map((a) => (a.sha256 === sha256 ? { ...a, uploaded: true } : a));
    await db.outbox.put({ ...current, attachments });
    return true;
  });
}

/**
 * The typed employer matched one directory enterprise: the body is completed with it and stored
 * before the first POST, so every attempt sends the same body under the same key. Undefined: gone.
 */
export async function storeMatchedEnterprise(db: LocalDb, id: string, match: DirectoryEnterprise): Promise<OutboxRecord | undefined> {
  const { uscc, name, legalRepresentative, province, city } = match;
  // The directory's own spelling of the name: the server requires it exactly.
  const enterprise = { uscc, name, legalRepresentative, province, city };
  return db.transaction('rw', db.outbox, async () => {
    const current = await db.outbox.get(id);
    if (!current) return undefined;
    const next: OutboxRecord = { ...current, body: { ...current.body, enterprise } };
    delete next.enterpriseToMatch;
    await db.outbox.put(next);
    return next;
  });
}

/**
 * The server's receipt arrived: in one transaction the receipt is kept, the item goes, and the draft
 * (ID number, photo, signature) goes with a tombstone, so draft sync deletes the server's copy too and
 * no pull brings it back. All or none.
 */
export async function completeSubmission(db: LocalDb, record: OutboxRecord, answer: ReceiptAnswer, at: number): Promise<void> {
  const receipt = receiptOf(record, answer);
  await db.transaction('rw', [db.receipts, db.outbox, db.drafts, db.draftTombstones], async () => {
    await putReceipt(db, receipt);
    await db.outbox.delete(record.id);
    await retireDrafts(db, record.accountId, [record.draftId], at);
  });
}

/**
 * Settles an attempt that did not complete: queued again with backoff, rejected and kept for the
 * person, or (the key names another body on the server) queued again under a new key.
 */
export async function settleAttempt(
  db: LocalDb,
  id: string,
  outcome: Outcome,
  clock: { now: () => number; random: () => number },
): Promise<void> {
  if (outcome.kind === 'sent' || outcome.kind === 'gone') return;
  await db.transaction('rw', db.outbox, async () => {
    // The stored copy: uploads were marked on it while the attempt was in flight.
    const current = await db.outbox.get(id);
    if (!current) return;
    const base: OutboxRecord = { ...current, attempts: current.attempts + 1 };
    delete base.sendingAt;
    if (outcome.kind === 'requeue') {
      await db.outbox.put({
        ...base,
        state: 'queued',
        nextAttemptAt: clock.now() + backoffDelay(base.attempts, clock.random),
        lastError: outcome.message,
        maybeDelivered: Boolean(current.maybeDelivered) || outcome.maybeDelivered,
      });
    } else if (outcome.kind === 'reject') {
      const rejected: OutboxRecord = { ...base, state: 'rejected', rejectedFor: outcome.reason, lastError: outcome.message };
      if (outcome.issues) rejected.issues = outcome.issues;
      else delete rejected.issues;
      await db.outbox.put(rejected);
    } else {
      await db.outbox.delete(id);
      const rekeyed: OutboxRecord = { ...base, id: newUuid(), state: 'queued', nextAttemptAt: clock.now(), maybeDelivered: false };
      delete rekeyed.lastError;
      await db.outbox.put(rekeyed);
    }
  });
}
