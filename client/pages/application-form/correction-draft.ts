/**
 * The draft of a 补正: the submitted version as the server keeps it (GET /api/submissions/{id}), its
 * photo and signature brought down under their ids, with the reviewer's notes. Once made it stays on
 * this device, so the person can go on with it offline.
 */
import * as v from 'valibot';
import { ATTACHMENT_KINDS } from '../../../shared/api/attachments.ts';
import { submissionDetailSchema } from '../../../shared/api/submissions.ts';
import { draftSchema } from '../../../shared/application-schema.ts';
import { routes } from '../../navigation.ts';
import { newUuid, SHA_KEY } from '../../data/draft-store.ts';
import { correctionDraftOf, keepCorrectionDraft } from '../../data/drafts.ts';
import type { DraftRecord, DraftValues, LocalDb } from '../../data/local-db.ts';
import { type NetClient, readAnswer } from '../../net/api-client.ts';

export const NOT_FOR_CORRECTION = '该申请当前无需补正。';
export const CORRECTION_NEEDS_NETWORK = '首次补正需要联网读取所提交的申请，请在网络恢复后点击“重试”。';
export const ATTACHMENTS_UNAVAILABLE = '暂时无法取得所提交的照片或签名，请稍后点击“重试”。';

const CORRECTION_PARAM = 'correction';

/** Usage: `navigate(this, correctionRoute(submission.id))` — the form, on that submission's 补正. */
export function correctionRoute(submissionId: string): string {
  return `${routes.form}?${new URLSearchParams({ [CORRECTION_PARAM]: submissionId })}`;
}

/** The submission a form address corrects (see correctionRoute); undefined for a new application. */
export function correctionOfRoute(search: string): string | undefined {
  return new URLSearchParams(search).get(CORRECTION_PARAM) || undefined;
}

/** The submitted values as a draft holds them; a field today's rules refuse is left for the person to fill in. */
function draftValuesOf(application: Record<string, unknown>): DraftValues {
  const parsed = v.safeParse(draftSchema, application);
  if (parsed.success) return withoutAttachments(parsed.output);
  const refused = new Set(parsed.issues.map((issue) => String(issue.path?.[0]?.key)));
  const kept = Object.fromEntries(Object.entries(application).filter(([key]) => !refused.has(key)));
  const again = v.safeParse(draftSchema, kept);
  return again.success ? withoutAttachments(again.output) : {};
}

function withoutAttachments(values: v.InferOutput<typeof draftSchema>): DraftValues {
  const { photo: _photo, signature: _signature, ...rest } = values;
  return rest;
}

export type CorrectionDraft = { ok: true; record: DraftRecord } | { ok: false; failure: string };

/**
 * Usage: `await correctionDraft(db, net, accountId, submissionId)` — the draft to open for that
 * submission's 补正: made from the submitted version while 补正 is asked, or, with no answer from the
 * server, the one already on this device.
 */
export async function correctionDraft(db: LocalDb, net: NetClient, accountId: string, submissionId: string): Promise<CorrectionDraft> {
  const answer = await readAnswer(net.api.submissions[':id'].$get({ param: { id: submissionId } }), submissionDetailSchema);
  if (!answer.ok) {
    const here = await correctionDraftOf(db, accountId, submissionId);
    if (here) return { ok: true, record: here };
    return { ok: false, failure: answer.offline ? CORRECTION_NEEDS_NETWORK : answer.error };
  }
  const detail = answer.data;
  if (detail.status !== 'correction_requested') return { ok: false, failure: NOT_FOR_CORRECTION };
  const here = await correctionDraftOf(db, accountId, submissionId);
  if (here?.correctionOf?.version === detail.version) return { ok: true, record: here };
  const record: DraftRecord & Required<Pick<DraftRecord, 'correctionOf'>> = {
    id: newUuid(),
    accountId,
    values: draftValuesOf(detail.application),
    fieldUpdatedAt: {},
    updatedAt: Date.now(),
    correctionOf: { submissionId, version: detail.version, corrections: detail.corrections ?? [] },
  };
  for (const kind of ATTACHMENT_KINDS) {
    const id = detail.application[kind];
    if (typeof id !== 'string') continue;
    // The server's re-encoded bytes, under the id they were submitted with: an unchanged one is not sent again.
    const blob = await net.downloadAttachment(id, kind);
    if (!blob.ok) return { ok: false, failure: ATTACHMENTS_UNAVAILABLE };
    record[kind] = blob.data;
    record[SHA_KEY[kind]] = id;
  }
  return { ok: true, record: await keepCorrectionDraft(db, record) };
}
