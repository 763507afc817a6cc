/**
 * The form's side of a submission: puts it in the outbox and asks for it to be sent now, follows the
 * draft's outbox item whoever sends it (this tab, another, the service worker), and tells the host when
 * it was rejected or completed. The outbox does the rest (client/sync/outbox.ts).
 */
import { liveQuery, type Subscription } from 'dexie';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DraftStore } from '../data/draft-store.ts';
import { type LocalDb, localDb, type OutboxRecord, type ReceiptRecord } from '../data/local-db.ts';
import { clearPendingIdentity } from '../data/pending-identity.ts';
import { receiptForKey } from '../data/receipts.ts';
import { enqueueSubmission, moveOutboxItems, outboxItemForDraft, resumeAfterSignIn, withdrawSubmission } from './outbox.ts';
import { type OutboxScheduler, outboxScheduler } from './outbox-scheduler.ts';
import type { OutboxProgress } from './outbox-sender.ts';

export interface SubmissionAttachment {
  kind: 'photo' | 'signature';
  blob: Blob;
  sha256: string;
}

export interface SubmissionRequest {
  accountId: string;
  draftId: string;
  /** Checked on the device; photo/signature are set by the controller from attachments. */
  body: Record<string, unknown>;
  attachments: SubmissionAttachment[];
  /** A 补正: the submission this is a new version of. */
  resubmissionOf?: string;
}

export interface SubmissionDeps {
  db?: () => LocalDb;
  scheduler?: () => OutboxScheduler;
}

const isActive = (item: OutboxRecord | undefined) => item?.state === 'queued' || item?.state === 'sending';

/** Usage: `private readonly submission = new SubmissionController(this)`, then `watch(accountId, draftId)`. */
export class SubmissionController implements ReactiveController {
  /** Set by the host: the server (or the matching) refused the item; fired once per new rejection. */
  onRejected: (item: OutboxRecord) => void = () => undefined;
  /** Set by the host: the item left with a receipt (navigate to receiptRoute(receipt.submissionId)). */
  onCompleted: (receipt: ReceiptRecord) => void = () => undefined;

  private current: OutboxRecord | undefined;
  private enqueueing = false;
  private watched: { accountId: string; draftId: string } | undefined;
  private subscription: Subscription | undefined;
  /** Bumped by every watch and disconnect: a late answer of an older watch is dropped. */
  private generation = 0;
  private connected = false;
  /** The scheduler whose progress is listened to (the host may give another later). */
  private listening: OutboxScheduler | undefined;
  private readonly database: () => LocalDb;
  private readonly scheduler: () => OutboxScheduler;
  private readonly onProgress = () => this.host.requestUpdate();

  constructor(
    private readonly host: ReactiveControllerHost & EventTarget,
    deps: SubmissionDeps = {},
  ) {
    this.database = deps.db ?? localDb;
    this.scheduler = deps.scheduler ?? (() => outboxScheduler);
    host.addController(this);
  }

  /** The watched draft's outbox item. */
  get item(): OutboxRecord | undefined {
    return this.current;
  }

  /** Bytes sent by this page while the item is sent; undefined when another sender has it. */
  get progress(): OutboxProgress | undefined {
    const progress = this.scheduler().progress;
    return progress && progress.recordId === this.current?.id ? progress : undefined;
  }

  /** Queued or being sent: the form stays locked until it is sent or withdrawn. */
  get locked(): boolean {
    return isActive(this.current);
  }

  /** While the submission is being put in the outbox. */
  get busy(): boolean {
    return this.enqueueing;
  }

  hostConnected(): void {
    this.connected = true;
    this.listening = this.scheduler();
    this.listening.addEventListener('progress', this.onProgress);
    if (this.watched) this.subscribe(this.watched);
  }

  hostDisconnected(): void {
    this.connected = false;
    this.generation++;
    this.listening?.removeEventListener('progress', this.onProgress);
    this.listening = undefined;
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }

  /**
   * Usage: `watch(accountId, draftId)` once the draft is open; again with the new id after the draft
   * was merged into another: the outbox item moves along with it.
   */
  watch(accountId: string, draftId: string): void {
    const previous = this.watched;
    this.watched = { accountId, draftId };
    if (previous?.accountId === accountId && previous.draftId === draftId && this.subscription) return;
    const moved =
      previous && previous.accountId === accountId && previous.draftId !== draftId
        ? moveOutboxItems(this.database(), accountId, previous.draftId, draftId).catch((error: unknown) =>
            console.error('[submission] outbox item not moved to the merged draft', error),
          )
        : Promise.resolve();
    if (!this.connected) return;
    const generation = ++this.generation;
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    // Watched once moved: the new id would show no item for a moment before.
    void moved.then(() => {
      if (generation === this.generation) this.subscribe({ accountId, draftId });
    });
  }

  /** Usage: `if (!(await submission.submit(request))) show(QUEUE_FAILED_MESSAGE)` — enqueue, then send now. */
  async submit(request: SubmissionRequest): Promise<boolean> {
    this.enqueueing = true;
    this.host.requestUpdate();
    try {
      const item = await enqueueSubmission(this.database(), request);
      if (this.watched?.draftId === request.draftId) this.current = item;
    } catch (error) {
      console.error('[submission] not queued', error);
      return false;
    } finally {
      this.enqueueing = false;
      this.host.requestUpdate();
    }
    await this.scheduler().flushNow({ ignoreBackoff: true });
    return true;
  }

  /**
   * Usage: `if (!(await submission.submitDraft(store, check.submission))) show(QUEUE_FAILED_MESSAGE)` —
   * the checked application of the open draft, with its photo and signature; a 补正's draft as a new
   * version of the submission it corrects.
   */
  async submitDraft(store: DraftStore, checked: Record<string, unknown>): Promise<boolean> {
    // What was checked is what is sent, whatever is edited meanwhile.
    const { photo: _photo, signature: _signature, ...body } = checked;
    let request: SubmissionRequest;
    try {
      const attachments = await Promise.all([store.attachment('photo'), store.attachment('signature')]);
      await store.flush();
      const { accountId, correctionOf } = store.record;
      request = { accountId, draftId: store.id, body, attachments: attachments.filter((a) => a !== undefined) };
      if (correctionOf) request.resubmissionOf = correctionOf.submissionId;
    } catch (error) {
      console.error('[submission] draft not readable', error);
      return false;
    }
    return this.submit(request);
  }

  /** Usage: `await submission.withdraw()` (撤回，继续修改); false while it is being sent. */
  async withdraw(): Promise<boolean> {
    const item = this.current;
    if (!item) return true;
    const withdrawn = await withdrawSubmission(this.database(), item.id).catch(() => false);
    if (withdrawn && this.current?.id === item.id) {
      this.current = undefined;
      this.host.requestUpdate();
    }
    return withdrawn;
  }

  /** Usage: after sign-in: what was refused for want of a session (or face check) is sent again. */
  async resumeAfterSignIn(accountId: string, faceVerified: boolean): Promise<void> {
    const resumed = await resumeAfterSignIn(this.database(), accountId, faceVerified).catch(() => 0);
    if (resumed > 0) void this.scheduler().flushNow({ ignoreBackoff: true });
  }

  private subscribe(target: { accountId: string; draftId: string }) {
    this.subscription?.unsubscribe();
    const generation = this.generation;
    const db = this.database();
    this.subscription = liveQuery(() => outboxItemForDraft(db, target.accountId, target.draftId)).subscribe({
      next: (item) => {
        if (generation === this.generation) void this.onItem(db, item);
      },
      error: (error: unknown) => console.error('[submission] outbox not readable', error),
    });
  }

  private async onItem(db: LocalDb, item: OutboxRecord | undefined) {
    const previous = this.current;
    this.current = item;
    this.host.requestUpdate();
    if (!item) {
      // Gone: sent (a receipt under its key) or withdrawn (none).
      if (previous) await this.maybeCompleted(db, previous);
      return;
    }
    const fresh = previous?.id !== item.id || previous.state !== item.state || previous.attempts !== item.attempts;
    if (item.state === 'rejected' && fresh) this.onRejected(item);
  }

  private async maybeCompleted(db: LocalDb, previous: OutboxRecord) {
    const generation = this.generation;
    const receipt = await receiptForKey(db, previous.id).catch(() => undefined);
    if (!receipt || generation !== this.generation) return;
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    this.watched = undefined;
    // Nothing personal outlives the receipt on this device: the ID number typed at the identity check neither.
    clearPendingIdentity();
    this.onCompleted(receipt);
  }
}
