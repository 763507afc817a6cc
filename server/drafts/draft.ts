/** What a device syncs of a draft; the server keeps it as given (after validation by the caller). */
export interface DraftContent {
  values: Record<string, unknown>;
  /** Per field path, when it was last edited on a device (ms since epoch): the merge rule's input. */
  fieldUpdatedAt: Record<string, number>;
  /** Attachment ids (the uploaded bytes' SHA-256). */
  photo?: string | undefined;
  signature?: string | undefined;
  /** The device's time of its last edit (ms since epoch). */
  updatedAt: number;
}

/** A draft as kept on the server: the content, whose it is, and its revision for compare-and-set. */
export interface StoredDraft extends DraftContent {
  id: string;
  accountId: string;
  revision: number;
  /** The server's time of the last accepted write. */
  savedAt: string;
}
