/**
 * The change feed's cursor: the sequence number of the last event a client has, sealed with an HMAC so
 * a client cannot forge a position (nor another deployment's cursor pass as ours). Opaque to clients:
 * `nextCursor` goes back unchanged with the next poll.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'f1';
const TAG_BYTES = 16;

function tagOf(seq: number, key: Uint8Array): Buffer {
  return createHmac('sha256', key).update(`${PREFIX}.${seq}`).digest().subarray(0, TAG_BYTES);
}

export function encodeFeedCursor(seq: number, key: Uint8Array): string {
  if (!Number.isSafeInteger(seq) || seq < 0) throw new RangeError('a cursor holds a sequence number');
  return `${PREFIX}.${seq}.${tagOf(seq, key).toString('base64url')}`;
}

/** The sequence number, or undefined for anything this deployment did not issue. */
export function decodeFeedCursor(cursor: string, key: Uint8Array): number | undefined {
  const match = /^f1\.(0|[1-9]\d{0,15})\.([A-Za-z0-9_-]{22})$/.exec(cursor);
  if (!match) return undefined;
  const seq = Number(match[1]);
  if (!Number.isSafeInteger(seq)) return undefined;
  // Compared as text: base64url's last character carries spare bits, so two spellings decode alike.
  const given = Buffer.from(match[2] ?? '', 'utf8');
  const expected = Buffer.from(tagOf(seq, key).toString('base64url'), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected) ? seq : undefined;
}
