/**
 * The draft endpoints (/api/drafts) as the draft sync asks them, through the one network client.
 * Answers are read with the shared schemas (shared/api/drafts.ts); a 409 brings the server's copy.
 */
import * as v from 'valibot';
import { type DraftCopy, draftConflictSchema, draftListSchema, draftSavedSchema } from '../../shared/api/drafts.ts';
import type { DraftRecord } from '../data/local-db.ts';
import { NO_ANSWER } from '../net/api-answer.ts';
import { type ApiFailure, type NetClient, readAnswer } from '../net/api-client.ts';

export type SaveAnswer =
  | { kind: 'saved'; revision: number }
  /** Based on a stale revision: the server's copy, to merge. */
  | { kind: 'conflict'; copy: DraftCopy }
  | { kind: 'failed'; failure: ApiFailure };

/** Worth trying again later: no answer, or the server busy or failing. */
export const retryable = (failure: ApiFailure) =>
  failure.status === 0 || failure.status === 408 || failure.status === 429 || failure.status >= 500;

/** GET /api/drafts: the account's drafts on the server. */
export async function listDraftCopies(net: NetClient): Promise<DraftCopy[] | ApiFailure> {
  const answer = await readAnswer(net.api.drafts.$get(), draftListSchema);
  return answer.ok ? answer.data.drafts : answer;
}

/** PUT /api/drafts/:id, based on the revision the record was last synced with. */
export async function saveDraftCopy(net: NetClient, record: DraftRecord): Promise<SaveAnswer> {
  const json = {
    baseRevision: record.serverRevision ?? 0,
    values: record.values,
    fieldUpdatedAt: record.fieldUpdatedAt,
    updatedAt: record.updatedAt,
    ...(record.photoSha256 ? { photo: record.photoSha256 } : {}),
    ...(record.signatureSha256 ? { signature: record.signatureSha256 } : {}),
  };
  let status: number;
  let text: string;
  try {
    const response = await net.api.drafts[':id'].$put({ param: { id: record.id }, json });
    status = response.status;
    text = await response.text();
  } catch {
    return { kind: 'failed', failure: NO_ANSWER };
  }
  if (status === 409) {
    try {
      const conflict = v.safeParse(draftConflictSchema, JSON.parse(text));
      if (conflict.success) return { kind: 'conflict', copy: conflict.output.draft };
    } catch {
      // Not our body: read below like any other failure.
    }
  }
  const answer = await readAnswer({ status, text: async () => text }, draftSavedSchema);
  return answer.ok ? { kind: 'saved', revision: answer.data.revision } : { kind: 'failed', failure: answer };
}

/** DELETE /api/drafts/:id; true once the server holds no such draft. */
export async function deleteDraftCopy(net: NetClient, id: string): Promise<boolean> {
  const answer = await readAnswer(net.api.drafts[':id'].$delete({ param: { id } }), null);
  return answer.ok || answer.status === 404;
}
