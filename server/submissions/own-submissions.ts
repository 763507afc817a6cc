import type { SubmissionDetail, SubmissionSummary } from '../../shared/api/submissions.ts';
import { submissionStatusLabel } from '../../shared/submission-status.ts';
import { findSubmissionById, listSubmissionsForAccount } from '../db/submissions-store.ts';
import { receiptOf } from './issued-receipt.ts';
import type { Submission } from './submission.ts';
import type { SubmissionContext } from './submit-application.ts';

/** What a person may read of their own submissions: today's status, in Chinese too. */
function summaryOf(submission: Submission): SubmissionSummary {
  return {
    id: submission.id,
    receiptNumber: submission.receiptNumber,
    submittedAt: submission.createdAt,
    status: submission.status,
    statusLabel: submissionStatusLabel(submission.status),
  };
}

/** The account's submissions, newest first. */
export async function listOwnSubmissions(context: SubmissionContext, accountId: string): Promise<SubmissionSummary[]> {
  return (await listSubmissionsForAccount(context.db, accountId)).map(summaryOf);
}

/** One submission with its stored body and receipt; someone else's is undefined, exactly like a missing one. */
export async function findOwnSubmission(
  context: SubmissionContext,
  accountId: string,
  id: string,
): Promise<SubmissionDetail | undefined> {
  const submission = await findSubmissionById(context.db, id);
  if (!submission || submission.accountId !== accountId) return undefined;
  return {
    ...summaryOf(submission),
    bodySha256: submission.bodySha256,
    commitment: submission.commitment,
    receipt: await receiptOf(context.db, submission, context.signer),
    application: JSON.parse(submission.bodyJson) as Record<string, unknown>,
  };
}
