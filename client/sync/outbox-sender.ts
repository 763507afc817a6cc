/**
 * Sends what waits in the outbox: the employer matched when it was typed, not picked; attachments
 * (by their SHA-256); then the submission under its Idempotency-Key. Runs in a page or in the service
 * worker, so it uses only the network client, IndexedDB through Dexie and crypto: no DOM, no window.
 *
 * One flush at a time across tabs and the service worker (Web Lock `outbox:<db>`), so an item is
 * never sent by two senders together; the server's idempotency makes even that harmless, but the
 * person would see two progress bars.
 */
import { submissionMessages, submissionReceiptSchema, versionReceiptSchema } from '../../shared/api/submissions.ts';
import { isQuotaExceeded } from '../data/drafts.ts';
import { LocalDb, type OutboxRecord } from '../data/local-db.ts';
import type { ReceiptAnswer } from '../data/receipts.ts';
import { type ApiAnswer, type ApiFailure, type NetClient, net, readAnswer, serverMessage } from '../net/api-client.ts';
import {
  type DirectorySearch,
  DirectoryUnavailableError,
  directorySearch,
  ENTERPRISE_NOT_FOUND,
  enterpriseToConfirmMessage,
  matchTypedEnterprise,
  sameEnterpriseName,
} from './enterprise-match.ts';
import {
  claimOutboxItem,
  completeSubmission,
  markUploaded,
  nextQueuedAt,
  outboxItems,
  settleAttempt,
  storeMatchedEnterprise,
} from './outbox.ts';
import { OUTBOX_MESSAGES, type Outcome, rejectFor, retryOrBlock } from './outbox-outcome.ts';

/** What the person sees while one item is being sent. */
export interface OutboxProgress {
  recordId: string;
  phase: 'uploading' | 'submitting';
  /** Attachment bytes the server has (or is receiving), out of `total`. */
  loaded: number;
  total: number;
}

export interface FlushDeps {
  db: LocalDb;
  /** The network (default: the app's client; tests give one over a fake server). */
  net?: NetClient;
  now?: () => number;
  /** In [0, 1): the backoff jitter. */
  random?: () => number;
  /** Web Locks (default navigator.locks); null: one flush at a time within this context only. */
  locks?: LockManager | null;
  /** Treat every queued item as due: the network just came back, or the person pressed 下一步. */
  ignoreBackoff?: boolean;
  /** Called while an item is sent, and with undefined when it is done. */
  onProgress?: (progress: OutboxProgress | undefined) => void;
  /** The enterprise directory, asked for an employer typed but not picked (default: through `net`). */
  search?: DirectorySearch;
}

export interface FlushResult {
  sent: string[];
  requeued: string[];
  rejected: string[];
  /** Earliest nextAttemptAt of what is still queued: when to wake up next. */
  nextAttemptAt: number | undefined;
  /** An attempt failed because the device's storage is full. */
  storageFull: boolean;
}

/**
 * A 409 to a 补正 that is not the same key still in flight: the application is no longer open for 补正
 * (accepted meanwhile, say); sending it again would only be refused again.
 */
function isNoLongerCorrectable(answer: ApiFailure): boolean {
  return answer.status === 409 && answer.error !== submissionMessages.inFlight;
}

/** A claim older than this is a sender that died (tab closed mid-send); requests time out well before. */
export const STALE_SENDING_MS = 5 * 60_000;
/** Enough for every item of one person, and a bound on the loop. */
const MAX_ITEMS_PER_FLUSH = 20;

// ---- one flush at a time ----

const localChains = new Map<string, Promise<unknown>>();

/** Runs `task` after every earlier one of the same name in this context has finished. */
function inThisContext<T>(name: string, task: () => Promise<T>): Promise<T> {
  const previous = localChains.get(name) ?? Promise.resolve();
  const next = previous.then(task, task);
  const settled = next.catch(() => undefined);
  localChains.set(name, settled);
  void settled.then(() => {
    if (localChains.get(name) === settled) localChains.delete(name);
  });
  return next;
}

function defaultLocks(): LockManager | null {
  return typeof navigator !== 'undefined' && navigator.locks ? navigator.locks : null;
}

// ---- the flush ----

class Flush {
  private readonly db: LocalDb;
  private readonly net: NetClient;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly onProgress: (progress: OutboxProgress | undefined) => void;
  private readonly search: DirectorySearch;

  constructor(
    deps: FlushDeps,
    /** With a Web Lock no other sender can be running: every 'sending' claim is left over. */
    private readonly exclusiveAcrossContexts: boolean,
  ) {
    this.db = deps.db;
    this.net = deps.net ?? net;
    this.now = deps.now ?? Date.now;
    this.random = deps.random ?? Math.random;
    this.onProgress = deps.onProgress ?? (() => undefined);
    this.search = deps.search ?? directorySearch(this.net);
  }

  private isDue(record: OutboxRecord, ignoreBackoff: boolean): boolean {
    if (record.state === 'queued') return ignoreBackoff || record.nextAttemptAt <= this.now();
    if (record.state === 'sending') {
      return this.exclusiveAcrossContexts || (record.sendingAt ?? 0) <= this.now() - STALE_SENDING_MS;
    }
    return false;
  }

  async run(ignoreBackoff: boolean): Promise<FlushResult> {
    const result: FlushResult = { sent: [], requeued: [], rejected: [], nextAttemptAt: undefined, storageFull: false };
    const tried = new Set<string>();
    for (let i = 0; i < MAX_ITEMS_PER_FLUSH; i++) {
      const next = (await outboxItems(this.db)).find((record) => !tried.has(record.id) && this.isDue(record, ignoreBackoff));
      if (!next) break;
      tried.add(next.id);
      const outcome = await this.sendOne(next.id, ignoreBackoff);
      if (outcome.kind === 'requeue' && outcome.storageFull) result.storageFull = true;
      if (outcome.kind === 'sent') result.sent.push(next.id);
      else if (outcome.kind === 'reject') result.rejected.push(next.id);
      else if (outcome.kind === 'requeue') {
        result.requeued.push(next.id);
        // No network: the others would fail the same way; `online` wakes the outbox again.
        if (outcome.offline) break;
      }
    }
    result.nextAttemptAt = await nextQueuedAt(this.db);
    return result;
  }

  private async sendOne(id: string, ignoreBackoff: boolean): Promise<Outcome> {
    const record = await claimOutboxItem(this.db, id, (current) => this.isDue(current, ignoreBackoff), this.now());
    if (!record) return { kind: 'gone' };
    let outcome: Outcome;
    try {
      outcome = await this.deliver(record);
    } catch (error) {
      // IndexedDB trouble mid-way (quota, the database being cleared): try again later.
      console.error('[outbox] send failed', error);
      outcome = isQuotaExceeded(error)
        ? { kind: 'requeue', message: OUTBOX_MESSAGES.storageFull, maybeDelivered: true, storageFull: true }
        : { kind: 'requeue', message: OUTBOX_MESSAGES.device, maybeDelivered: true };
    } finally {
      this.onProgress(undefined);
    }
    await settleAttempt(this.db, record.id, outcome, { now: this.now, random: this.random });
    return outcome;
  }

  private async deliver(claimed: OutboxRecord): Promise<Outcome> {
    let record = claimed;
    if (record.enterpriseToMatch) {
      // First, so an employer the directory lacks costs no upload on a weak connection.
      const matched = await this.matchEnterprise(record);
      if ('outcome' in matched) return matched.outcome;
      record = matched.record;
    }
    const uploaded = await this.uploadAttachments(record);
    if (uploaded) return uploaded;
    const answer = await this.post(record);
    if (answer.ok) {
      await completeSubmission(this.db, record, answer.data, this.now());
      return { kind: 'sent' };
    }
    if (record.resubmissionOf !== undefined && isNoLongerCorrectable(answer)) {
      return { kind: 'reject', reason: 'other', message: serverMessage(answer) ?? OUTBOX_MESSAGES.refused(answer.status) };
    }
    const again = retryOrBlock(answer);
    if (again) return again;
    // 422 with no field at fault: this key already names another body (see DESIGN.md, exactly once).
    if (answer.status === 422 && answer.issues.length === 0) return { kind: 'rekey' };
    if (answer.issues.length > 0) return rejectFor(answer.issues);
    return { kind: 'reject', reason: 'other', message: serverMessage(answer) ?? OUTBOX_MESSAGES.refused(answer.status) };
  }

  /** The application under its key; a 补正 as a new version of its submission. */
  private post(record: OutboxRecord): Promise<ApiAnswer<ReceiptAnswer>> {
    // Checked on the device when it was put in the outbox; the server checks it again.
    const request = { json: record.body as never, header: { 'idempotency-key': record.id } };
    if (record.resubmissionOf === undefined) return readAnswer(this.net.api.submissions.$post(request), submissionReceiptSchema);
    const param = { id: record.resubmissionOf };
    return readAnswer(this.net.api.submissions[':id'].versions.$post({ ...request, param }), versionReceiptSchema);
  }

  /**
   * Each attachment the server lacks goes up, with progress; undefined once the server has them all.
   * They go together: on a link with long round trips the second one's HEAD need not wait for the first.
   */
  private async uploadAttachments(record: OutboxRecord): Promise<Outcome | undefined> {
    const total = record.attachments.reduce((sum, a) => sum + a.blob.size, 0);
    const loaded = new Map(record.attachments.map((a) => [a.sha256, a.uploaded ? a.blob.size : 0]));
    const progress = (phase: OutboxProgress['phase']) => {
      const sum = [...loaded.values()].reduce((a, b) => a + b, 0);
      this.onProgress({ recordId: record.id, phase, loaded: Math.min(sum, total), total });
    };
    progress('uploading');
    const waiting = record.attachments.filter((attachment) => !attachment.uploaded);
    const outcomes = await Promise.all(
      waiting.map(async (attachment): Promise<Outcome | undefined> => {
        const answer = await this.net.ensureUploaded(attachment, (bytes) => {
          loaded.set(attachment.sha256, bytes);
          progress('uploading');
        });
        if (!answer.ok) {
          // The image itself was refused (type, size, hash): the person picks it again.
          const message = serverMessage(answer) ?? OUTBOX_MESSAGES.attachment;
          return retryOrBlock(answer) ?? rejectFor([{ field: attachment.kind, message }]);
        }
        loaded.set(attachment.sha256, attachment.blob.size);
        progress('uploading');
        return (await markUploaded(this.db, record.id, attachment.sha256)) ? undefined : { kind: 'gone' };
      }),
    );
    // The first in the record's order decides, as when they went one after another.
    const failed = outcomes.find((outcome) => outcome !== undefined);
    if (failed) return failed;
    progress('submitting');
    return undefined;
  }

  /**
   * The employer was typed, never picked: the one directory enterprise of that name completes the body.
   * Not found, or found by its USCC under a name the person has not seen, and the item is rejected.
   */
  private async matchEnterprise(record: OutboxRecord): Promise<{ record: OutboxRecord } | { outcome: Outcome }> {
    const typed = (record.body.enterprise as { name?: unknown } | undefined)?.name;
    const name = typeof typed === 'string' ? typed : '';
    let match: Awaited<ReturnType<typeof matchTypedEnterprise>>;
    try {
      match = await matchTypedEnterprise(name, this.search);
    } catch (error) {
      // The directory cannot be asked now: like any network failure. Nothing went out under the key.
      const status = error instanceof DirectoryUnavailableError && !error.offline ? error.status : 0;
      const message = status === 0 ? OUTBOX_MESSAGES.offline : OUTBOX_MESSAGES.unavailable(status);
      return { outcome: { kind: 'requeue', message, maybeDelivered: false, offline: status === 0 } };
    }
    if (!match) return { outcome: rejectFor([{ field: 'enterprise', message: ENTERPRISE_NOT_FOUND }]) };
    // The commitment text names the employer, and it was accepted with the typed name; the server
    // builds it from the directory's. A match by name equals the typed one after normalisation (what
    // matchTypedEnterprise compares), so the acceptance covers it; a match by USCC does not.
    if (!sameEnterpriseName(name, match.name)) {
      return { outcome: rejectFor([{ field: 'enterprise', message: enterpriseToConfirmMessage(match.name) }]) };
    }
    const completed = await storeMatchedEnterprise(this.db, record.id, match);
    return completed ? { record: completed } : { outcome: { kind: 'gone' } };
  }
}

/**
 * Usage: `await flushOutbox({ db })`. Sends every due outbox item once (oldest first) and settles it:
 * completed (receipt saved, item and draft deleted), queued again with backoff, or rejected and kept
 * for the person. Waits while another flush runs in any tab or the service worker.
 */
export async function flushOutbox(deps: FlushDeps): Promise<FlushResult> {
  const locks = deps.locks === undefined ? defaultLocks() : deps.locks;
  const name = `outbox:${deps.db.name}`;
  const run = () => new Flush(deps, locks !== null).run(Boolean(deps.ignoreBackoff));
  if (locks) return (await locks.request(name, run)) as FlushResult;
  return inThisContext(name, run);
}

/** For the service worker (Background Sync, a page's request): its own connection, the real network. */
export async function flushOutboxFromServiceWorker(): Promise<FlushResult> {
  const db = new LocalDb();
  try {
    return await flushOutbox({ db, ignoreBackoff: true });
  } finally {
    db.close();
  }
}
