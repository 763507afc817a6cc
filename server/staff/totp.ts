/**
 * The second factor of staff and employer accounts: TOTP (RFC 6238) as authenticator apps expect it,
 * SHA-1, 6 digits, 30 s. The library computes codes; remembering which time step was last accepted is
 * ours (RFC 6238 §5.2), so a code seen once — on the wire, over a shoulder — cannot sign in again.
 */
import { Secret, TOTP } from 'otpauth';

export const TOTP_ISSUER = '监理工程师注册';
const PERIOD_SECONDS = 30;
const DIGITS = 6;
/** One step either side: a phone's clock a little off still works; more would widen what a guess can hit. */
const WINDOW = 1;

function totpOf(secret: string, label = ''): TOTP {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label,
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secret),
  });
}

/** A new 160-bit secret, base32 as enrolment URIs carry it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** `otpauth://totp/…?secret=…&issuer=…`: what an authenticator app scans or takes pasted. */
export function enrolmentUri(username: string, secret: string): string {
  return totpOf(secret, username).toString();
}

/** The code an authenticator shows at `at` (tests and the development console use it). */
export function totpCodeAt(secret: string, at: Date): string {
  return totpOf(secret).generate({ timestamp: at.getTime() });
}

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: 'wrong' | 'replayed' };

/**
 * Checks a code against the secret at `now`. `lastStep` is the step of the last code accepted for the
 * account (undefined before the first): that step and every older one are refused. On success the
 * caller stores the returned step, in the same write that records the sign-in.
 */
export function checkTotpCode(secret: string, code: string, lastStep: number | undefined, now: Date): TotpCheck {
  if (!/^\d{6}$/.test(code)) return { ok: false, reason: 'wrong' };
  const timestamp = now.getTime();
  const delta = totpOf(secret).validate({ token: code, timestamp, window: WINDOW });
  if (delta === null) return { ok: false, reason: 'wrong' };
  const step = TOTP.counter({ period: PERIOD_SECONDS, timestamp }) + delta;
  if (lastStep !== undefined && step <= lastStep) return { ok: false, reason: 'replayed' };
  return { ok: true, step };
}
