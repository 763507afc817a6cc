/**
 * 注销账号 (PIPL Art. 47): only when no application is in progress and right after a face check. The
 * decided applications stay, as the law requires; the audit keeps every entry and gains this one.
 */
import { KEPT_AFTER_CLOSING } from '../../shared/api/my-data.ts';
import { FINAL_STATUSES } from '../../shared/review/workflow.ts';
import { submissionStatusLabel } from '../../shared/submission-status.ts';
import { hasFreshFaceCheck } from '../accounts/fresh-face.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Storage } from '../db/database.ts';
import { listSubmissionsForAccount } from '../db/submissions-store.ts';
import { listSubmissionVersions } from '../db/submission-versions-store.ts';
import { closeAccountRecords } from './personal-records.ts';

export type CloseResult =
  | { kind: 'closed'; closedAt: string; keptApplications: number; kept: string }
  | { kind: 'in-progress'; applications: { receiptNumber: string; statusLabel: string }[] }
  | { kind: 'face-required' };

/** The photo and signature ids an application names: those attachments stay with it. */
function attachmentIdsOf(bodyJson: string): string[] {
  const body = JSON.parse(bodyJson) as { photo?: unknown; signature?: unknown };
  return [body.photo, body.signature].filter((id): id is string => typeof id === 'string');
}

export async function closeAccount(storage: Storage, request: { accountId: string; address: string; now: Date }): Promise<CloseResult> {
  const { accountId, now } = request;
  // The check and the closing in one transaction, the sessions ending with it: once it commits, no
  // application can be started from this account.
  return storage.db.transaction().execute(async (trx): Promise<CloseResult> => {
    const submissions = await listSubmissionsForAccount(trx, accountId);
    const inProgress = submissions.filter((submission) => !FINAL_STATUSES.includes(submission.status));
    if (inProgress.length > 0) {
      return {
        kind: 'in-progress',
        applications: inProgress.map((s) => ({ receiptNumber: s.receiptNumber, statusLabel: submissionStatusLabel(s.status) })),
      };
    }
    if (!(await hasFreshFaceCheck(trx, accountId, now))) return { kind: 'face-required' };

    const versions = (await Promise.all(submissions.map((submission) => listSubmissionVersions(trx, submission.id)))).flat();
    const keptAttachments = new Set(versions.flatMap((version) => attachmentIdsOf(version.bodyJson)));
    await closeAccountRecords(trx, { accountId, keptAttachments, at: now });
    await recordAudit(trx, {
      principal: { kind: 'applicant', accountId },
      action: 'account.close',
      subject: `account:${accountId}`,
      address: request.address,
      at: now,
    });
    return { kind: 'closed', closedAt: now.toISOString(), keptApplications: submissions.length, kept: KEPT_AFTER_CLOSING };
  });
}
