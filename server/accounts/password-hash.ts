import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Passwords are stored as `scrypt$N$r$p$salt$hash` (salt and hash in base64). scrypt is memory-hard,
 * so guessing on GPUs costs memory as well as time; the parameters travel with each hash, so they can be
 * raised later without breaking existing accounts.
 */

const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
// scrypt needs 128·N·r bytes (32 MiB here); node's default cap (32 MiB) is exactly at the edge.
const MAX_MEM = 128 * 1024 * 1024;
// Refuse stored parameters that would let a tampered row exhaust memory or CPU.
const MAX_N = 2 ** 20;

function derive(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, { ...options, maxmem: MAX_MEM }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** True when `password` matches `stored`; a malformed stored value never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every(Number.isSafeInteger) || N < 2 || N > MAX_N || (N & (N - 1)) !== 0) return false;
  if (r < 1 || r > 32 || p < 1 || p > 16) return false;
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (salt.length === 0 || expected.length === 0) return false;
  try {
    const actual = await derive(password, salt, expected.length, { N, r, p });
    return timingSafeEqual(actual, expected);
  } catch {
    // Parameters beyond the memory cap: treat as no match rather than a server error.
    return false;
  }
}

// Made once per process: a sign-in for a name nobody has is checked against it, so answering takes as
// long as for a known name with a wrong password, and timing does not tell which names have accounts.
let dummyHash: Promise<string> | undefined;

/** Computes the dummy hash ahead of the first sign-in, so even that one takes no longer than the rest. */
export function prepareDummyHash(): void {
  dummyHash ??= hashPassword('not-a-password-0');
}

/** What checking a password costs, spent for a sign-in without an account: one scrypt derivation. Never matches. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  prepareDummyHash();
  await verifyPassword(password, await dummyHash!);
  return false;
}
