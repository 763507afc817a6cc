/**
 * An attachment's id: the lowercase hex SHA-256 of its bytes. Computed once, when the person sets the
 * photo or signature; everything after (draft sync, the outbox) takes the value it is given.
 */

/**
 * WebCrypto's digest where there is one; where crypto.subtle is missing (a page not served over
 * HTTPS, an old WebView) @noble/hashes, imported only then.
 */
async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle) {
    try {
      return new Uint8Array(await subtle.digest('SHA-256', bytes));
    } catch {
      // Refused: as if it were missing.
    }
  }
  const { sha256: nobleSha256 } = await import('@noble/hashes/sha2.js');
  return nobleSha256(bytes);
}

/** Usage: `const sha256 = await blobSha256(blob)`. */
export async function blobSha256(blob: Blob): Promise<string> {
  const digest = await sha256(new Uint8Array(await blob.arrayBuffer()));
  return [...digest].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
