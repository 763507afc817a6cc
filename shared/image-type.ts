/**
 * The image formats the service takes (photo, signature, face frame), told by their first bytes
 * only: a file name, a declared type or the browser's guess proves nothing. Used on the device and
 * on the server alike.
 */
export type ImageMime = 'image/jpeg' | 'image/png';

const JPEG_MAGIC = [0xff, 0xd8, 0xff] as const;
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

/** How many leading bytes `sniffImageType` needs to tell every format apart. */
export const IMAGE_MAGIC_BYTES = PNG_MAGIC.length;

function startsWith(bytes: ArrayLike<number>, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((byte, i) => bytes[i] === byte);
}

export function sniffImageType(bytes: ArrayLike<number>): ImageMime | undefined {
  if (startsWith(bytes, JPEG_MAGIC)) return 'image/jpeg';
  if (startsWith(bytes, PNG_MAGIC)) return 'image/png';
  return undefined;
}
