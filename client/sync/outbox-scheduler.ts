/**
 * When the page sends the outbox: at app start, when the network comes back (`online`), when the
 * page is shown again, at the next due attempt (a timer), when the service worker asks
 * (`{ type: 'flush-outbox' }`, e.g. from Background Sync), and again a while after a flush that failed
 * on the device (storage full: nothing marks the item, so no due time would wake it). Shares the upload
 * progress with the pages.
 */
import { type LocalDb, localDb } from '../data/local-db.ts';
import { backoffDelay, OUTBOX_BACKOFF } from './backoff.ts';
import { isQuotaExceeded } from '../data/drafts.ts';
import { nextQueuedAt, outboxStorage } from './outbox.ts';
import { FLUSH_OUTBOX_MESSAGE } from '../../sw/worker-protocol.ts';
import { type FlushDeps, type FlushResult, flushOutbox, type OutboxProgress } from './outbox-sender.ts';

/** The network and the clock, injectable so tests run the timer without waiting. */
export interface SchedulerOptions extends Omit<FlushDeps, 'db' | 'onProgress' | 'ignoreBackoff'> {
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
  /** False when the device knows it is offline (default navigator.onLine). */
  online?: () => boolean;
  /** Asks for a Background Sync wake-up while something waits (see service-worker-registration.ts). */
  requestSync?: () => Promise<unknown>;
}

/** setTimeout takes at most 2^31−1 ms; the backoff cap is far below, this is only a guard. */
const MAX_TIMER_MS = 10 * 60_000;

export class OutboxScheduler extends EventTarget {
  /** The item being sent from this page now, if any (event `progress` on every change). */
  progress: OutboxProgress | undefined;
  private timer: unknown;
  private running: Promise<FlushResult | undefined> | undefined;
  private again: { ignoreBackoff: boolean } | undefined;
  private started = false;
  /** Flushes in a row that failed on the device; the retry waits longer after each. */
  private failedFlushes = 0;

  private readonly deps: Omit<FlushDeps, 'db' | 'onProgress' | 'ignoreBackoff'>;
  private readonly setTimer: (run: () => void, ms: number) => unknown;
  private readonly cancelTimer: (timer: unknown) => void;
  private readonly online: () => boolean;
  private requestSync: () => Promise<unknown>;

  constructor(
    private readonly database: () => LocalDb,
    options: SchedulerOptions = {},
  ) {
    super();
    const { setTimer, clearTimer, online, requestSync, ...deps } = options;
    this.deps = deps;
    this.setTimer = setTimer ?? ((run, ms) => setTimeout(run, ms));
    this.cancelTimer = clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
    this.online = online ?? (() => navigator.onLine !== false);
    this.requestSync = requestSync ?? (() => Promise.resolve());
  }

  /** Installs the triggers once and sends what is due. */
  start(options: Pick<SchedulerOptions, 'requestSync'> = {}): void {
    if (this.started) return;
    this.started = true;
    if (options.requestSync) this.requestSync = options.requestSync;
    window.addEventListener('online', () => void this.flushNow({ ignoreBackoff: true }));
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') void this.flushNow();
    });
    navigator.serviceWorker?.addEventListener('message', (event: MessageEvent) => {
      if ((event.data as { type?: unknown } | null)?.type === FLUSH_OUTBOX_MESSAGE) {
        void this.flushNow({ ignoreBackoff: true });
      }
    });
    void this.flushNow({ ignoreBackoff: true });
  }

  /**
   * Sends now (what is due, or everything queued with ignoreBackoff). A request while a flush runs
   * is folded into one more flush after it, so nothing enqueued meanwhile waits for the timer.
   */
  flushNow(options: { ignoreBackoff?: boolean } = {}): Promise<FlushResult | undefined> {
    const ignoreBackoff = Boolean(options.ignoreBackoff);
    if (this.running) {
      this.again = { ignoreBackoff: ignoreBackoff || Boolean(this.again?.ignoreBackoff) };
      return this.running;
    }
    const task = (async () => {
      let ignore = ignoreBackoff;
      for (;;) {
        const result = await this.run(ignore);
        const again = this.again;
        this.again = undefined;
        // Checked and cleared in one step: a request arriving later starts a new task.
        if (!again) {
          this.running = undefined;
          return result;
        }
        ignore = again.ignoreBackoff;
      }
    })();
    this.running = task;
    return task;
  }

  private async run(ignoreBackoff: boolean): Promise<FlushResult | undefined> {
    this.clearTimer();
    // Known to be offline: an attempt would only count as a failure. `online` brings us back.
    if (!this.online()) {
      // Woken by the browser when the connection is back, even with this page closed by then.
      if ((await nextQueuedAt(this.database())) !== undefined) this.wakeLater();
      return undefined;
    }
    try {
      const result = await flushOutbox({
        ...this.deps,
        db: this.database(),
        ignoreBackoff,
        onProgress: (progress) => this.setProgress(progress),
      });
      this.failedFlushes = 0;
      outboxStorage.set(result.storageFull);
      this.schedule(result.nextAttemptAt);
      if (result.nextAttemptAt !== undefined) this.wakeLater();
      return result;
    } catch (error) {
      console.error('[outbox] flush failed', error);
      // Told to the person instead of 等待网络: the network is not what holds it back.
      outboxStorage.set(isQuotaExceeded(error));
      // The item stays as it was (queued): try again, as for a failed attempt.
      this.failedFlushes++;
      const now = this.deps.now ?? Date.now;
      this.schedule(now() + OUTBOX_BACKOFF.baseMs + backoffDelay(this.failedFlushes, this.deps.random ?? Math.random));
      return undefined;
    } finally {
      this.setProgress(undefined);
    }
  }

  private schedule(at: number | undefined) {
    this.clearTimer();
    if (at === undefined) return;
    const now = this.deps.now ?? Date.now;
    const delay = Math.min(Math.max(0, at - now()), MAX_TIMER_MS);
    this.timer = this.setTimer(() => {
      this.timer = undefined;
      void this.flushNow();
    }, delay);
  }

  private wakeLater() {
    this.requestSync().catch(() => undefined);
  }

  private clearTimer() {
    if (this.timer !== undefined) this.cancelTimer(this.timer);
    this.timer = undefined;
  }

  /** Stops the timer (the page is going away, or a test ends). */
  stop(): void {
    this.clearTimer();
  }

  private setProgress(progress: OutboxProgress | undefined) {
    if (progress === this.progress) return;
    this.progress = progress;
    this.dispatchEvent(new Event('progress'));
  }
}

/** The app's one scheduler, on the app's database. */
export const outboxScheduler = new OutboxScheduler(localDb);

/** Called once when the app starts; `requestSync` registers Background Sync where there is a worker. */
export function startOutbox(options: Pick<SchedulerOptions, 'requestSync'> = {}): void {
  outboxScheduler.start(options);
}
