import type { SubmissionDetail, SubmissionSummary } from '../../shared/api/submissions.ts';
import { submissionStatusLabel } from '../../shared/submission-status.ts';
import { findSubmissionById, listSubmissionsForAccount } from '../db/submissions-store.ts';
import { latestCorrections } from '../feed/submission-events.ts';
import { receiptOf } from './issued-receipt.ts';
import type { Submission } from './submission.ts';
import type { SubmissionContext } from './submit-application.ts';

/** What a person may read of their own submissions: today's status, in Chinese too, and any 补正 asked. */
export async function summaryOf(context: SubmissionContext, submission: Submission): Promise<SubmissionSummary> {
  const summary: SubmissionSummary = {
    id: submission.id,
    receiptNumber: submission.receiptNumber,
    submittedAt: submission.createdAt,
    status: submission.status,
    statusLabel: submissionStatusLabel(submission.status),
    version: submission.version,
  };
  if (submission.status !== 'correction_requested') return summary;
  return { ...summary, corrections: await latestCorrections(context.db, submission.id) };
}

/** The account's submissions, newest first. */
export async function listOwnSubmissions(context: SubmissionContext, accountId: string): Promise<SubmissionSummary[]> {
  return Promise.all((await listSubmissionsForAccount(context.db, accountId)).map((submission) => summaryOf(context, submission)));
}

/** The account's own submission; someone else's is undefined, exactly like a missing one. */
export async function findOwn(context: SubmissionContext, accountId: string, id: string): Promise<Submission | undefined> {
  const submission = await findSubmissionById(context.db, id);
  return submission?.accountId === accountId ? submission : undefined;
}

/** One submission with its stored body and receipt; someone else's is undefined, exactly like a missing one. */
export async function findOwnSubmission(
  context: SubmissionContext,
  accountId: string,
  id: string,
): Promise<SubmissionDetail | undefined> {
  const submission = await findOwn(context, accountId, id);
  if (!submission) return undefined;
  return {
    ...(await summaryOf(context, submission)),
    bodySha256: submission.bodySha256,
    commitment: submission.commitment,
    receipt: await receiptOf(context.db, submission, context.signer),
    application: JSON.parse(submission.bodyJson) as Record<string, unknown>,
  };
}
