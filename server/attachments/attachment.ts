import type { AttachmentKind } from '../../shared/api/attachments.ts';

/** A photo or signature an account uploaded, as kept: the server's re-encoding of it. */
export interface AttachmentInfo {
  /** SHA-256 (hex) of the bytes the device uploaded: the id the device and submissions use. */
  id: string;
  accountId: string;
  kind: AttachmentKind;
  mime: string;
  /** SHA-256 (hex) of the stored, re-encoded bytes. */
  sha256: string;
  size: number;
  /** Null only for attachments stored before dimensions were recorded. */
  width: number | null;
  height: number | null;
  createdAt: string;
}

export interface StoredAttachment extends AttachmentInfo {
  bytes: Uint8Array;
}
