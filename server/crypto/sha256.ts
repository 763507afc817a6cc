import { createHash } from 'node:crypto';

/** SHA-256 as 64 lower-case hex digits; text is hashed as its UTF-8 bytes. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
