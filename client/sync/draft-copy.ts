/**
 * The draft on this device and the server's copy of it (shared/api/drafts.ts), side by side: each as a
 * side of the per-field merge (client/sync/draft-merge.ts), and the merged result as a record again.
 * Pure: no storage, no network.
 */
import { ATTACHMENT_KINDS, type AttachmentKind } from '../../shared/api/attachments.ts';
import type { DraftCopy } from '../../shared/api/drafts.ts';
import { SHA_KEY } from '../data/draft-store.ts';
import type { RemoteDraftChange } from '../data/drafts.ts';
import type { DraftRecord, DraftValues } from '../data/local-db.ts';
import type { MergeableDraft, MergeResult } from './draft-merge.ts';

/** Stands for a local Blob whose id is not known yet: equals no server id, so the local bytes are kept. */
const UNHASHED = 'unhashed';

export interface WantedAttachment {
  kind: AttachmentKind;
  sha256: string;
}

/** Not yet confirmed by the server as it is now. */
export const unsynced = (record: DraftRecord) =>
  record.serverRevision === undefined || record.syncedUpdatedAt !== record.updatedAt;

/** The local copy as a side of the merge: attachments by their id. */
export function localSide(record: DraftRecord): MergeableDraft {
  const id = (kind: AttachmentKind) => record[SHA_KEY[kind]] ?? (record[kind] ? UNHASHED : undefined);
  return {
    values: record.values,
    fieldUpdatedAt: record.fieldUpdatedAt,
    photo: id('photo'),
    signature: id('signature'),
    updatedAt: record.updatedAt,
  };
}

/** Server ids the merge takes from the server that this device holds no bytes for. */
export function neededDownloads(local: DraftRecord, result: MergeResult): WantedAttachment[] {
  const side = localSide(local);
  return ATTACHMENT_KINDS.flatMap((kind) => {
    const id = result.merged[kind];
    return id !== undefined && id !== side[kind] ? [{ kind, sha256: id }] : [];
  });
}

/** The merged draft as a record: the local Blob where the local side won, the downloaded one elsewhere. */
export function mergedRecord(
  local: DraftRecord,
  server: DraftCopy,
  result: MergeResult,
  blobs: ReadonlyMap<string, Blob>,
): RemoteDraftChange {
  const { merged } = result;
  const side = localSide(local);
  const next: RemoteDraftChange = {
    ...local,
    id: server.id,
    values: merged.values as DraftValues,
    fieldUpdatedAt: merged.fieldUpdatedAt,
    updatedAt: merged.updatedAt,
    serverRevision: server.revision,
  };
  // Nothing of this device's is left to send: the server holds this content.
  if (result.keptLocal.length === 0) next.syncedUpdatedAt = merged.updatedAt;
  for (const kind of ATTACHMENT_KINDS) {
    const id = merged[kind];
    if (id === side[kind]) continue;
    const blob = id === undefined ? undefined : blobs.get(id);
    if (blob) next[kind] = blob;
    else delete next[kind];
    if (id) next[SHA_KEY[kind]] = id;
    else delete next[SHA_KEY[kind]];
    if (kind === 'photo') delete next.photoWhiteBackground;
  }
  return next;
}

/** The attachments a server copy names. */
export function attachmentsOf(server: DraftCopy): WantedAttachment[] {
  return ATTACHMENT_KINDS.flatMap((kind) => {
    const sha256 = server[kind];
    return sha256 ? [{ kind, sha256 }] : [];
  });
}

/** A draft from the server not yet on this device, with the attachments that came down. */
export function recordFromCopy(accountId: string, server: DraftCopy, blobs: ReadonlyMap<string, Blob>): DraftRecord {
  const record: DraftRecord = {
    id: server.id,
    accountId,
    values: server.values as DraftValues,
    fieldUpdatedAt: server.fieldUpdatedAt,
    updatedAt: server.updatedAt,
    serverRevision: server.revision,
    syncedUpdatedAt: server.updatedAt,
  };
  for (const { kind, sha256 } of attachmentsOf(server)) {
    // Without its bytes (offline half-way) the id is still kept, so a later PUT does not drop it.
    record[SHA_KEY[kind]] = sha256;
    const blob = blobs.get(sha256);
    if (blob) record[kind] = blob;
  }
  return record;
}
