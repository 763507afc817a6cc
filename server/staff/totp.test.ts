import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkTotpCode, enrolmentUri, newTotpSecret, totpCodeAt } from './totp.ts';

// RFC 6238 appendix B: the SHA-1 seed "12345678901234567890", as base32.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

test('codes are those of RFC 6238 (SHA-1, 6 digits, 30 s)', () => {
  // The RFC lists 8 digits; authenticator apps show the last 6.
  assert.equal(totpCodeAt(RFC_SECRET, new Date(59_000)), '287082');
  assert.equal(totpCodeAt(RFC_SECRET, new Date(1_111_111_109_000)), '081804');
  assert.equal(totpCodeAt(RFC_SECRET, new Date(2_000_000_000_000)), '279037');
});

test('the enrolment URI is what authenticator apps read', () => {
  const secret = newTotpSecret();
  assert.match(secret, /^[A-Z2-7]{32}$/);
  assert.notEqual(newTotpSecret(), secret);
  const uri = new URL(enrolmentUri('reviewer01', secret));
  assert.equal(uri.protocol, 'otpauth:');
  assert.equal(uri.host, 'totp');
  assert.equal(uri.searchParams.get('secret'), secret);
  assert.equal(uri.searchParams.get('issuer'), '监理工程师注册');
  assert.equal(uri.searchParams.get('algorithm'), 'SHA1');
  assert.equal(uri.searchParams.get('digits'), '6');
  assert.equal(uri.searchParams.get('period'), '30');
  assert.match(decodeURIComponent(uri.pathname), /reviewer01$/);
});

test('a code is accepted once: the same step and older steps are refused after it', () => {
  const secret = newTotpSecret();
  const now = new Date('2026-12-01T08:00:10Z');
  const code = totpCodeAt(secret, now);
  const first = checkTotpCode(secret, code, undefined, now);
  assert.equal(first.ok, true);
  if (!first.ok) return;
  assert.deepEqual(checkTotpCode(secret, code, first.step, now), { ok: false, reason: 'replayed' });
  // The previous step's code is still inside the window, but older than the one accepted.
  const older = totpCodeAt(secret, new Date(now.getTime() - 30_000));
  assert.deepEqual(checkTotpCode(secret, older, first.step, now), { ok: false, reason: 'replayed' });
  const next = new Date(now.getTime() + 30_000);
  const later = checkTotpCode(secret, totpCodeAt(secret, next), first.step, next);
  assert.deepEqual(later, { ok: true, step: first.step + 1 });
});

test('wrong, malformed and out-of-window codes are refused', () => {
  const secret = newTotpSecret();
  const now = new Date('2026-12-01T08:00:10Z');
  const code = totpCodeAt(secret, now);
  const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  assert.deepEqual(checkTotpCode(secret, wrong, undefined, now), { ok: false, reason: 'wrong' });
  for (const bad of ['', '12345', '1234567', ' 12345', 'abcdef']) {
    assert.deepEqual(checkTotpCode(secret, bad, undefined, now), { ok: false, reason: 'wrong' }, bad);
  }
  const stale = totpCodeAt(secret, new Date(now.getTime() - 120_000));
  assert.deepEqual(checkTotpCode(secret, stale, undefined, now), { ok: false, reason: 'wrong' });
  assert.equal(checkTotpCode(secret, code, undefined, new Date(now.getTime() + 30_000)).ok, true, 'one step of clock skew');
});
