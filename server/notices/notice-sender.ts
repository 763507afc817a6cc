/**
 * Delivers the notices outbox. Every server instance runs one sender; they share the work through the
 * database: a notice is claimed before it is handed to the provider and settled by its claim, so each is
 * sent once however many instances run. A failure is retried with growing pauses and never reaches the
 * status change that wrote the notice, which committed long before.
 */
import type { Kysely } from 'kysely';
import { type ClaimedNotice, claimDueNotices, markNoticeFailed, markNoticeSent } from '../db/notices-store.ts';
import type { Database } from '../db/schema.ts';
import { errorFields, logger } from '../observability/logger.ts';
import type { SmsOutcome, SmsProvider } from './sms-provider.ts';

export interface SenderOptions {
  /** The clock; tests pin it. */
  now?: () => Date;
  /** Notices claimed per round. */
  batch?: number;
  /** How long a claim holds: longer than any one hand-over may take. */
  leaseMs?: number;
  /** Pause after the first failure; doubled after each further one, up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Hand-overs before a notice is given up. */
  maxAttempts?: number;
}

const DEFAULTS = { batch: 20, leaseMs: 60_000, backoffMs: 30_000, maxBackoffMs: 60 * 60_000, maxAttempts: 10 };

/** When to try a notice again after its `attempts`-th failure; undefined once it has had its tries. */
export function retryAt(attempts: number, now: Date, options: SenderOptions = {}): Date | undefined {
  const { backoffMs, maxBackoffMs, maxAttempts } = { ...DEFAULTS, ...options };
  if (attempts >= maxAttempts) return undefined;
  return new Date(now.getTime() + Math.min(backoffMs * 2 ** (attempts - 1), maxBackoffMs));
}

async function handOver(provider: SmsProvider, notice: ClaimedNotice): Promise<SmsOutcome> {
  // An account without a number to send to cannot be helped by retrying.
  if (!notice.mobile) return { ok: false, retryable: false };
  try {
    return await provider.send({ reference: notice.id, mobile: notice.mobile, text: notice.text });
  } catch (err) {
    // The reason only: the message and the number stay out of the log.
    logger.error({ provider: provider.name, notice: notice.id, ...errorFields(err) }, '短信服务发送失败');
    return { ok: false, retryable: true };
  }
}

export interface RoundResult {
  sent: number;
  failed: number;
}

/** One round: claims what is due and hands each to the provider. */
export async function sendDueNotices(db: Kysely<Database>, provider: SmsProvider, options: SenderOptions = {}): Promise<RoundResult> {
  const now = options.now ?? (() => new Date());
  const { batch, leaseMs } = { ...DEFAULTS, ...options };
  const claimed = await claimDueNotices(db, { now: now(), leaseMs, limit: batch });
  const result = { sent: 0, failed: 0 };
  for (const notice of claimed) {
    const outcome = await handOver(provider, notice);
    if (outcome.ok) {
      if (await markNoticeSent(db, notice, provider.name, now())) result.sent++;
    } else {
      await markNoticeFailed(db, notice, outcome.retryable ? retryAt(notice.attempts, now(), options) : undefined);
      result.failed++;
    }
  }
  return result;
}

export interface NoticeSender {
  /** Ends the loop after the round in progress, if any. */
  stop(): Promise<void>;
}

/** Runs `sendDueNotices` every `intervalMs` until stopped; a failed round is logged and the loop goes on. */
export function startNoticeSender(
  db: Kysely<Database>,
  provider: SmsProvider,
  options: SenderOptions & { intervalMs?: number } = {},
): NoticeSender {
  const intervalMs = options.intervalMs ?? 5_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();

  const tick = () => {
    round = (async () => {
      try {
        // A full batch means more may be waiting: go on at once rather than after the pause.
        for (let full = true; full && !stopped; ) {
          const { sent, failed } = await sendDueNotices(db, provider, options);
          full = sent + failed >= (options.batch ?? DEFAULTS.batch);
        }
      } catch (err) {
        logger.error(errorFields(err), '短信发送轮次失败');
      }
      if (!stopped) {
        timer = setTimeout(tick, intervalMs);
        // The loop alone must not keep the process alive.
        timer.unref();
      }
    })();
  };
  tick();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await round;
    },
  };
}
