/**
 * Sends what waits in the outbox: attachments first (by their SHA-256), then the submission under its
 * Idempotency-Key. Runs in a page or in the service worker, so it uses only fetch (XMLHttpRequest when
 * present), IndexedDB through Dexie and crypto: no DOM, no window.
 *
 * One flush at a time across tabs and the service worker (Web Lock `outbox:<db>`), so an item is
 * never sent by two senders together; the server's idempotency makes even that harmless, but the
 * person would see two progress bars.
 */
import { newUuid } from '../data/draft-store.ts';
import { LocalDb, type OutboxAttachment, type OutboxRecord, type ReceiptRecord } from '../data/local-db.ts';
import { uploadAttachment } from './attachment-upload.ts';
import { exchange, type HttpAnswer } from './http-exchange.ts';
import { backoffDelay } from './backoff.ts';
import type { DirectoryEnterprise } from './enterprise-cache.ts';
import {
  type DirectorySearch,
  DirectoryUnavailableError,
  ENTERPRISE_NOT_FOUND,
  enterpriseToConfirmMessage,
  matchTypedEnterprise,
  sameEnterpriseName,
  searchEnterpriseDirectory,
} from './enterprise-match.ts';

/** What the service worker posts to its pages after sending the outbox, so they catch up. */
export const FLUSH_OUTBOX_MESSAGE = 'flush-outbox';

export interface OutboxRequest {
  method: 'HEAD' | 'PUT' | 'POST';
  /** Same-origin path, e.g. `/api/submissions`. */
  path: string;
  headers: Record<string, string>;
  body?: Blob | string;
  /** Bytes of `body` sent so far (uploads only). */
  onUploadProgress?: (loaded: number) => void;
}

/** Answers every request; status 0 stands for no answer (offline, timeout). Never throws. */
export type OutboxSend = (request: OutboxRequest) => Promise<HttpAnswer>;

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
  send?: OutboxSend;
  now?: () => number;
  /** In [0, 1): the backoff jitter. */
  random?: () => number;
  /** Web Locks (default navigator.locks); null: one flush at a time within this context only. */
  locks?: LockManager | null;
  /** Treat every queued item as due: the network just came back, or the person pressed 下一步. */
  ignoreBackoff?: boolean;
  /** Called while an item is sent, and with undefined when it is done. */
  onProgress?: (progress: OutboxProgress | undefined) => void;
  /** The enterprise directory, asked for an employer typed but not picked (default: the server's search). */
  search?: DirectorySearch;
}

export interface FlushResult {
  sent: string[];
  requeued: string[];
  rejected: string[];
  /** Earliest nextAttemptAt of what is still queued: when to wake up next. */
  nextAttemptAt: number | undefined;
}

export const OUTBOX_MESSAGES = {
  offline: '网络不可用，恢复后自动提交',
  busy: '上一次提交仍在处理中，稍后自动重试',
  unavailable: (status: number) => `服务暂时不可用（${status}），稍后自动重试`,
  fields: '申请内容有误，请修改标红的项目后重新提交',
  signIn: '登录已过期，请重新核验身份后再提交。填写的内容仍保存在本机。',
  face: '人脸识别已过期，请重新完成人脸识别后再提交。填写的内容仍保存在本机。',
  attachment: '附件未能上传，请重新选择后再提交',
  refused: (status: number) => `提交未被受理（${status}），请修改后重新提交`,
  device: '本机存储暂时不可用，稍后自动重试',
} as const;

/** A claim older than this is a sender that died (tab closed mid-send); requests time out well before. */
export const STALE_SENDING_MS = 5 * 60_000;
/** Enough for every item of one person, and a bound on the loop. */
const MAX_ITEMS_PER_FLUSH = 20;

/** The real network: same-origin fetch with the session cookie; uploads with progress. */
export const httpSend: OutboxSend = async (request) => {
  if (request.method === 'PUT' && request.body instanceof Blob) {
    return uploadAttachment(request.path, request.body, request.headers, request.onUploadProgress);
  }
  return exchange(request);
};

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

// ---- the answers ----

type Outcome =
  | { kind: 'sent' }
  | { kind: 'requeue'; message: string; maybeDelivered: boolean; offline?: boolean }
  | { kind: 'reject'; reason: NonNullable<OutboxRecord['rejectedFor']>; message: string; issues?: OutboxRecord['issues'] }
  | { kind: 'rekey' }
  | { kind: 'gone' };

interface ErrorBody {
  error?: unknown;
  issues?: unknown;
}

function errorOf(answer: HttpAnswer): string | undefined {
  const error = (answer.body as ErrorBody | null)?.error;
  return typeof error === 'string' && error !== '' ? error : undefined;
}

function issuesOf(answer: HttpAnswer): { field: string; message: string }[] {
  const issues = (answer.body as ErrorBody | null)?.issues;
  if (!Array.isArray(issues)) return [];
  return issues
    .filter((issue): issue is { field: string; message: string } => {
      const { field, message } = (issue ?? {}) as Record<string, unknown>;
      return typeof field === 'string' && typeof message === 'string';
    })
    .map(({ field, message }) => ({ field, message }));
}

/** Answers after which the same request is simply tried again later. */
function retryable(answer: HttpAnswer): Outcome | undefined {
  const { status } = answer;
  if (status === 0) return { kind: 'requeue', message: OUTBOX_MESSAGES.offline, maybeDelivered: true, offline: true };
  if (status === 409) return { kind: 'requeue', message: OUTBOX_MESSAGES.busy, maybeDelivered: true };
  if (status === 408 || status === 429 || status >= 500) {
    // A 5xx may come after the commit (a proxy timing out): the key may already be taken.
    return { kind: 'requeue', message: OUTBOX_MESSAGES.unavailable(status), maybeDelivered: status >= 500 };
  }
  return undefined;
}

function signInOrFace(answer: HttpAnswer): Outcome | undefined {
  if (answer.status === 401) return { kind: 'reject', reason: 'sign-in', message: OUTBOX_MESSAGES.signIn };
  if (answer.status === 403) return { kind: 'reject', reason: 'face', message: OUTBOX_MESSAGES.face };
  return undefined;
}

interface SubmissionAnswer {
  id: string;
  receiptNumber: string;
  submittedAt: string;
  status: string;
  bodySha256: string;
  receipt?: { submissionId?: unknown; keyId?: unknown; signature?: unknown };
}

function isSubmissionAnswer(body: unknown): body is SubmissionAnswer {
  const b = (body ?? {}) as Record<string, unknown>;
  return (
    typeof b.id === 'string' &&
    typeof b.receiptNumber === 'string' &&
    typeof b.submittedAt === 'string' &&
    typeof b.bodySha256 === 'string'
  );
}

/** What the device keeps: the signed receipt and a summary to list it offline, never the ID number. */
export function receiptFromAnswer(record: OutboxRecord, answer: SubmissionAnswer): ReceiptRecord {
  const body = record.body as {
    name?: unknown;
    enterprise?: { name?: unknown };
    specialty1?: unknown;
    specialty2?: unknown;
  };
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const signed = answer.receipt;
  const receipt: ReceiptRecord = {
    receiptNumber: answer.receiptNumber,
    accountId: record.accountId,
    submissionId: typeof signed?.submissionId === 'string' ? signed.submissionId : answer.id,
    submittedAt: answer.submittedAt,
    status: typeof answer.status === 'string' ? answer.status : 'submitted',
    bodySha256: answer.bodySha256,
    summary: {
      name: text(body.name),
      enterpriseName: text(body.enterprise?.name),
      specialty1: text(body.specialty1),
      specialty2: text(body.specialty2),
    },
  };
  if (typeof signed?.signature === 'string' && typeof signed.keyId === 'string') {
    receipt.signature = signed.signature;
    receipt.keyId = signed.keyId;
  }
  return receipt;
}

// ---- the flush ----

class Flush {
  private readonly db: LocalDb;
  private readonly send: OutboxSend;
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
    this.send = deps.send ?? httpSend;
    this.now = deps.now ?? Date.now;
    this.random = deps.random ?? Math.random;
    this.onProgress = deps.onProgress ?? (() => undefined);
    this.search = deps.search ?? searchEnterpriseDirectory;
  }

  private isDue(record: OutboxRecord, ignoreBackoff: boolean): boolean {
    if (record.state === 'queued') return ignoreBackoff || record.nextAttemptAt <= this.now();
    if (record.state === 'sending') {
      return this.exclusiveAcrossContexts || (record.sendingAt ?? 0) <= this.now() - STALE_SENDING_MS;
    }
    return false;
  }

  async run(ignoreBackoff: boolean): Promise<FlushResult> {
    const result: FlushResult = { sent: [], requeued: [], rejected: [], nextAttemptAt: undefined };
    const tried = new Set<string>();
    for (let i = 0; i < MAX_ITEMS_PER_FLUSH; i++) {
      const all = await this.db.outbox.toArray();
      const next = all
        .filter((record) => !tried.has(record.id) && this.isDue(record, ignoreBackoff))
        .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))[0];
      if (!next) break;
      tried.add(next.id);
      const outcome = await this.sendOne(next.id, ignoreBackoff);
      if (outcome.kind === 'sent') result.sent.push(next.id);
      else if (outcome.kind === 'reject') result.rejected.push(next.id);
      else if (outcome.kind === 'requeue') {
        result.requeued.push(next.id);
        // No network: the others would fail the same way; `online` wakes the outbox again.
        if (outcome.offline) break;
      }
    }
    const queued = await this.db.outbox.where('state').equals('queued').toArray();
    const times = queued.map((record) => record.nextAttemptAt);
    result.nextAttemptAt = times.length > 0 ? Math.min(...times) : undefined;
    return result;
  }

  /** Takes the item for this sender, atomically: a withdrawal and a claim cannot both succeed. */
  private claim(id: string, ignoreBackoff: boolean): Promise<OutboxRecord | undefined> {
    const { db } = this;
    return db.transaction('rw', db.outbox, async () => {
      const current = await db.outbox.get(id);
      if (!current || !this.isDue(current, ignoreBackoff)) return undefined;
      const claimed: OutboxRecord = { ...current, state: 'sending', sendingAt: this.now() };
      await db.outbox.put(claimed);
      return claimed;
    });
  }

  private async sendOne(id: string, ignoreBackoff: boolean): Promise<Outcome> {
    const record = await this.claim(id, ignoreBackoff);
    if (!record) return { kind: 'gone' };
    let outcome: Outcome;
    try {
      outcome = await this.deliver(record);
    } catch (error) {
      // IndexedDB trouble mid-way (quota, the database being cleared): try again later.
      console.error('[outbox] send failed', error);
      outcome = { kind: 'requeue', message: OUTBOX_MESSAGES.device, maybeDelivered: true };
    } finally {
      this.onProgress(undefined);
    }
    await this.settle(record, outcome);
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
    const total = record.attachments.reduce((sum, a) => sum + a.blob.size, 0);
    let done = record.attachments.reduce((sum, a) => sum + (a.uploaded ? a.blob.size : 0), 0);
    const progress = (phase: OutboxProgress['phase'], loaded: number) =>
      this.onProgress({ recordId: record.id, phase, loaded: Math.min(loaded, total), total });
    for (const attachment of record.attachments) {
      if (attachment.uploaded) continue;
      progress('uploading', done);
      const failed = await this.upload(attachment, (loaded) => progress('uploading', done + loaded));
      if (failed) return failed;
      done += attachment.blob.size;
      if (!(await this.markUploaded(record.id, attachment.sha256))) return { kind: 'gone' };
    }
    progress('submitting', total);
    const answer = await this.send({
      method: 'POST',
      path: '/api/submissions',
      headers: { 'content-type': 'application/json', 'Idempotency-Key': record.id },
      body: JSON.stringify(record.body),
    });
    if (answer.status === 200 || answer.status === 201) {
      if (!isSubmissionAnswer(answer.body)) {
        // A 2xx without a receipt is no answer from our server (a captive portal, say).
        return { kind: 'requeue', message: OUTBOX_MESSAGES.unavailable(answer.status), maybeDelivered: true };
      }
      await this.complete(record, answer.body);
      return { kind: 'sent' };
    }
    const again = retryable(answer) ?? signInOrFace(answer);
    if (again) return again;
    const issues = issuesOf(answer);
    // 422 with no field at fault: this key already names another body (see DESIGN.md, exactly once).
    if (answer.status === 422 && issues.length === 0) return { kind: 'rekey' };
    if (issues.length > 0) return { kind: 'reject', reason: 'issues', message: OUTBOX_MESSAGES.fields, issues };
    return { kind: 'reject', reason: 'other', message: errorOf(answer) ?? OUTBOX_MESSAGES.refused(answer.status) };
  }

  /**
   * The employer was typed, never picked: the one directory enterprise of that name completes the body,
   * which is stored before the first POST, so every attempt sends the same body under the same key.
   */
  private async matchEnterprise(record: OutboxRecord): Promise<{ record: OutboxRecord } | { outcome: Outcome }> {
    const typed = (record.body.enterprise as { name?: unknown } | undefined)?.name;
    const name = typeof typed === 'string' ? typed : '';
    let match: DirectoryEnterprise | undefined;
    try {
      match = await matchTypedEnterprise(name, this.search);
    } catch (error) {
      // The directory cannot be asked now: like any network failure. Nothing went out under the key.
      const status = error instanceof DirectoryUnavailableError && !error.offline ? error.status : 0;
      const message = status === 0 ? OUTBOX_MESSAGES.offline : OUTBOX_MESSAGES.unavailable(status);
      return { outcome: { kind: 'requeue', message, maybeDelivered: false, offline: status === 0 } };
    }
    const reject = (message: string): { outcome: Outcome } => ({
      outcome: { kind: 'reject', reason: 'issues', message: OUTBOX_MESSAGES.fields, issues: [{ field: 'enterprise.name', message }] },
    });
    if (!match) return reject(ENTERPRISE_NOT_FOUND);
    // The commitment text names the employer, and it was accepted with the typed name; the server
    // builds it from the directory's. A match by name equals the typed one after normalisation (what
    // matchTypedEnterprise compares), so the acceptance covers it; a match by USCC does not.
    if (!sameEnterpriseName(name, match.name)) return reject(enterpriseToConfirmMessage(match.name));
    const { uscc, legalRepresentative, province, city } = match;
    // The directory's own spelling of the name: the server requires it exactly.
    const enterprise = { uscc, name: match.name, legalRepresentative, province, city };
    const { db } = this;
    const completed = await db.transaction('rw', db.outbox, async () => {
      const current = await db.outbox.get(record.id);
      if (!current) return undefined;
      const next: OutboxRecord = { ...current, body: { ...current.body, enterprise } };
      delete next.enterpriseToMatch;
      await db.outbox.put(next);
      return next;
    });
    return completed ? { record: completed } : { outcome: { kind: 'gone' } };
  }

  /** HEAD first (the server may have it from an earlier attempt), then PUT; undefined when it is there. */
  private async upload(attachment: OutboxAttachment, onProgress: (loaded: number) => void): Promise<Outcome | undefined> {
    const path = `/api/attachments/${attachment.sha256}`;
    const head = await this.send({ method: 'HEAD', path, headers: {} });
    if (head.status === 200) return undefined;
    const headFailure = retryable(head) ?? signInOrFace(head);
    if (headFailure) return headFailure;
    const type = attachment.blob.type || (attachment.kind === 'photo' ? 'image/jpeg' : 'image/png');
    const put = await this.send({
      method: 'PUT',
      path: `${path}?kind=${attachment.kind}`,
      headers: { 'content-type': type },
      body: attachment.blob,
      onUploadProgress: onProgress,
    });
    if (put.status === 200 || put.status === 201) return undefined;
    const putFailure = retryable(put) ?? signInOrFace(put);
    if (putFailure) return putFailure;
    // The image itself was refused (type, size, hash): the person picks it again.
    const message = errorOf(put) ?? OUTBOX_MESSAGES.attachment;
    return { kind: 'reject', reason: 'issues', message: OUTBOX_MESSAGES.fields, issues: [{ field: attachment.kind, message }] };
  }

  /** Written at once, so an upload done before a crash or an offline spell is not repeated. */
  private async markUploaded(id: string, sha256: string): Promise<boolean> {
    const { db } = this;
    return db.transaction('rw', db.outbox, async () => {
      const current = await db.outbox.get(id);
      if (!current) return false;
      const attachments = current.attachments.map((a) => (a.sha256 === sha256 ? { ...a, uploaded: true } : a));
      await db.outbox.put({ ...current, attachments });
      return true;
    });
  }

  /**
   * The receipt, and in the same transaction the outbox item and the draft (ID number, photo,
   * signature) go; a tombstone has the draft sync delete the server's copy too, so that no pull
   * brings it back (see client/sync/draft-sync.ts).
   */
  private async complete(record: OutboxRecord, answer: SubmissionAnswer): Promise<void> {
    const { db } = this;
    const receipt = receiptFromAnswer(record, answer);
    await db.transaction('rw', [db.receipts, db.outbox, db.drafts, db.draftTombstones], async () => {
      await db.receipts.put(receipt);
      await db.outbox.delete(record.id);
      // The draft may have been replaced by the server's copy meanwhile: it carries the key along.
      const drafts = await db.drafts
        .where('accountId')
        .equals(record.accountId)
        .filter((draft) => draft.id === record.draftId || draft.idempotencyKey === record.id)
        .primaryKeys();
      const deletedAt = this.now();
      for (const id of new Set([record.draftId, ...drafts])) {
        await db.drafts.delete(id);
        await db.draftTombstones.put({ id, accountId: record.accountId, deletedAt });
      }
    });
  }

  private async settle(record: OutboxRecord, outcome: Outcome): Promise<void> {
    if (outcome.kind === 'sent' || outcome.kind === 'gone') return;
    const { db } = this;
    await db.transaction('rw', db.outbox, db.drafts, async () => {
      // The stored copy: uploads were marked on it while this one was in flight.
      const current = await db.outbox.get(record.id);
      if (!current) return;
      const base: OutboxRecord = { ...current, attempts: current.attempts + 1 };
      delete base.sendingAt;
      if (outcome.kind === 'requeue') {
        await db.outbox.put({
          ...base,
          state: 'queued',
          nextAttemptAt: this.now() + backoffDelay(base.attempts, this.random),
          lastError: outcome.message,
          maybeDelivered: Boolean(current.maybeDelivered) || outcome.maybeDelivered,
        });
      } else if (outcome.kind === 'reject') {
        const rejected: OutboxRecord = { ...base, state: 'rejected', rejectedFor: outcome.reason, lastError: outcome.message };
        if (outcome.issues) rejected.issues = outcome.issues;
        else delete rejected.issues;
        await db.outbox.put(rejected);
      } else {
        // The body under this key differs from what the server holds: send again under a new key.
        const key = newUuid();
        await db.outbox.delete(record.id);
        const rekeyed: OutboxRecord = { ...base, id: key, state: 'queued', nextAttemptAt: this.now(), maybeDelivered: false };
        delete rekeyed.lastError;
        await db.outbox.put(rekeyed);
        await db.drafts.update(record.draftId, { idempotencyKey: key });
      }
    });
  }
}

/**
 * Sends every due outbox item once (oldest first) and settles it: receipt saved and item deleted,
 * queued again with backoff, or rejected and kept for the person. Waits while another flush runs
 * in any tab or the service worker.
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
