/**
 * An attachment's id: the lowercase hex SHA-256 of its bytes. Computed once, when the person sets the
 * photo or signature; everything after (draft sync, the outbox) takes the value it is given.
 */

/** Usage: `const sha256 = await blobSha256(blob)` (WebCrypto: needs a secure context, as the SW has). */
export async function blobSha256(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
