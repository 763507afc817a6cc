/**
 * When to try a failed submission again: exponential backoff with full jitter, so many phones that
 * lost the same network do not all come back at the same instant.
 */

export interface BackoffPolicy {
  baseMs: number;
  factor: number;
  capMs: number;
}

export const OUTBOX_BACKOFF: BackoffPolicy = { baseMs: 2_000, factor: 2, capMs: 5 * 60_000 };

/**
 * Delay before the next attempt after `failures` failed ones (1 = the first failure): uniform in
 * [0, min(cap, base · factor^(failures−1))], drawn with `random` (a value in [0, 1)).
 */
export function backoffDelay(failures: number, random: () => number, policy: BackoffPolicy = OUTBOX_BACKOFF): number {
  const exponent = Math.max(0, Math.floor(failures) - 1);
  // Capped before it can overflow: factor^exponent grows without bound on a long outage.
  const ceiling = Math.min(policy.capMs, policy.baseMs * policy.factor ** Math.min(exponent, 64));
  const raw = random();
  const draw = Number.isFinite(raw) ? Math.min(Math.max(raw, 0), 1) : 0;
  return Math.floor(draw * ceiling);
}
