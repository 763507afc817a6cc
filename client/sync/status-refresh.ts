/**
 * Where the person's applications stand, brought to the device without being asked: at app start, when
 * the network comes back (`online`) and when the page is shown again; the service worker does the same
 * about daily where Periodic Background Sync exists (sw/standings-check.ts). The device's receipts learn
 * each status, so a pending 补正 shows offline too: a banner in the app, a badge on the home-screen icon.
 */
import { liveQuery, type Subscription } from 'dexie';
import { type SubmissionList, type SubmissionSummary, submissionListSchema } from '../../shared/api/submissions.ts';
import type { SubmissionStatus } from '../../shared/submission-status.ts';
import { type LocalDb, localDb, type ReceiptRecord } from '../data/local-db.ts';
import { receiptsOf, refreshStandings } from '../data/receipts.ts';
import { type ApiAnswer, NO_ANSWER, type NetClient, net, readAnswer } from '../net/api-client.ts';

/** The status in which the reviewer waits for the person (补正). */
export const CORRECTION_REQUESTED: SubmissionStatus = 'correction_requested';

/** One application waiting for the person's 补正. */
export interface PendingCorrection {
  submissionId: string;
  receiptNumber: string;
}

/** The Badging API. Typed as always there, it is missing in many browsers (and in headless Chromium). */
export interface AppBadge {
  setAppBadge?: (contents?: number) => Promise<void>;
  clearAppBadge?: () => Promise<void>;
}

/**
 * Usage: `pendingCorrections(receipts, list)` — what waits for 补正: the device's receipts decide for
 * the submissions they hold (a resubmission made here replaces its receipt at once); the server's
 * latest list adds those submitted from another device.
 */
export function pendingCorrections(receipts: readonly ReceiptRecord[], listed: readonly SubmissionSummary[] = []): PendingCorrection[] {
  const onDevice = new Set(receipts.map((receipt) => receipt.submissionId));
  const pending = receipts
    .filter((receipt) => receipt.status === CORRECTION_REQUESTED)
    .map(({ submissionId, receiptNumber }) => ({ submissionId, receiptNumber }));
  for (const row of listed) {
    if (row.status === CORRECTION_REQUESTED && !onDevice.has(row.id)) pending.push({ submissionId: row.id, receiptNumber: row.receiptNumber });
  }
  return pending;
}

/** Usage: `await showOnBadge(navigator, pending.length)` — the count on the icon; cleared at 0; never throws. */
export async function showOnBadge(badge: AppBadge, count: number): Promise<void> {
  try {
    if (count > 0) await badge.setAppBadge?.(count);
    else await badge.clearAppBadge?.();
  } catch {
    // Refused (no installed app, no permission): the banner in the app still says it.
  }
}

/**
 * Usage: `const answer = await fetchStandings(db, client)` — GET /api/submissions; on an answer the
 * device's receipts take each status and 补正 notes. Offline or signed out: the failure, nothing changed.
 */
export async function fetchStandings(db: LocalDb, client: NetClient = net): Promise<ApiAnswer<SubmissionList>> {
  const answer = await readAnswer(client.api.submissions.$get(), submissionListSchema);
  if (answer.ok) {
    await refreshStandings(db, answer.data.submissions).catch((error: unknown) => console.error('[standings] receipts not refreshed', error));
  }
  return answer;
}

/** A device where someone signed in and started or sent an application; a fresh device asks nothing. */
async function holdsApplications(db: LocalDb): Promise<boolean> {
  return (await db.receipts.count()) > 0 || (await db.drafts.count()) > 0;
}

export interface StatusRefreshOptions {
  /** The network (tests give one over a fake server). */
  net?: NetClient;
  /** False when the device knows it is offline (default navigator.onLine). */
  online?: () => boolean;
  /** Where the count is shown (default navigator, where the Badging API exists). */
  badge?: AppBadge;
}

/** The page's side: triggers, the pending 补正 (event `change`), the badge. */
export class StatusRefresh extends EventTarget {
  /** What waits for the person's 补正, as far as the device knows. */
  pending: readonly PendingCorrection[] = [];
  private receipts: readonly ReceiptRecord[] = [];
  private listed: readonly SubmissionSummary[] = [];
  private badgeCount: number | undefined;
  private running: Promise<ApiAnswer<SubmissionList>> | undefined;
  private subscription: Subscription | undefined;
  private readonly client: NetClient;
  private readonly online: () => boolean;
  private readonly badge: AppBadge;

  private readonly onOnline = () => void this.refreshIfHeld();
  /** 清除本机数据 / 退出登录 here (client/components/device-data-actions.ts): what was known goes too. */
  private readonly onCleared = () => {
    this.listed = [];
    this.receipts = [];
    this.update();
    // The database was deleted under the subscription: follow the new, empty one.
    this.follow();
  };
  private readonly onVisible = () => {
    if (document.visibilityState === 'visible') void this.refreshIfHeld();
  };

  constructor(
    private readonly database: () => LocalDb,
    options: StatusRefreshOptions = {},
  ) {
    super();
    this.client = options.net ?? net;
    this.online = options.online ?? (() => navigator.onLine !== false);
    this.badge = options.badge ?? navigator;
  }

  /** Installs the triggers once, follows the device's receipts, and asks the server now. */
  start(): void {
    if (this.subscription) return;
    window.addEventListener('online', this.onOnline);
    document.addEventListener('visibilitychange', this.onVisible);
    window.addEventListener('device-cleared', this.onCleared);
    this.follow();
    void this.refreshIfHeld();
  }

  /** Live: receipts change here, in another tab, or in the service worker's daily check. */
  private follow() {
    this.subscription?.unsubscribe();
    this.subscription = liveQuery(() => receiptsOf(this.database())).subscribe({
      next: (receipts) => {
        this.receipts = receipts;
        this.update();
      },
      error: (error: unknown) => console.error('[standings] receipts not readable', error),
    });
  }

  /** Removes the triggers (a test ends). */
  stop(): void {
    window.removeEventListener('online', this.onOnline);
    document.removeEventListener('visibilitychange', this.onVisible);
    window.removeEventListener('device-cleared', this.onCleared);
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }

  /**
   * Usage: `const answer = await statusRefresh.refreshNow()` — asks the server now (我的申请 shows the
   * answer); a request already under way is shared. Known to be offline: no request, NO_ANSWER.
   */
  refreshNow(): Promise<ApiAnswer<SubmissionList>> {
    this.running ??= this.refresh().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async refreshIfHeld(): Promise<void> {
    if (this.online() && (await holdsApplications(this.database()).catch(() => false))) await this.refreshNow();
  }

  private async refresh(): Promise<ApiAnswer<SubmissionList>> {
    if (!this.online()) return NO_ANSWER;
    const answer = await fetchStandings(this.database(), this.client);
    if (answer.ok) {
      this.listed = answer.data.submissions;
      this.update();
    }
    return answer;
  }

  private update() {
    const pending = pendingCorrections(this.receipts, this.listed);
    // Set once at start even at 0: a badge left by the service worker's check may be out of date.
    if (pending.length !== this.badgeCount) {
      this.badgeCount = pending.length;
      void showOnBadge(this.badge, pending.length);
    }
    const same = pending.length === this.pending.length && pending.every((each, index) => each.submissionId === this.pending[index]?.submissionId);
    if (same) return;
    this.pending = pending;
    this.dispatchEvent(new Event('change'));
  }
}

/** The app's one refresh, on the app's database. */
export const statusRefresh = new StatusRefresh(localDb);

/** Called once when the app starts. */
export function startStatusRefresh(): void {
  statusRefresh.start();
}
