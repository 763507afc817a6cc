import type { SubmissionSummary } from '../../shared/api/submissions.ts';
import { checkStep } from '../../shared/review/workflow.ts';
import { recordAudit } from '../audit/audit.ts';
import { moveSubmissionStatus } from '../db/submissions-store.ts';
import { recordEvent } from '../feed/submission-events.ts';
import { enqueueNotice } from '../notices/notice-outbox.ts';
import { findOwn, summaryOf } from './own-submissions.ts';
import type { SubmissionContext } from './submit-application.ts';

export type WithdrawResult =
  /** Withdrawn now, or before (a retry of a lost answer changes nothing and records nothing). */
  | { kind: 'withdrawn'; submission: SubmissionSummary }
  | { kind: 'not-found' }
  /** Accepted (受理) or decided already: too late to withdraw. */
  | { kind: 'not-withdrawable' };

// A staff decision can land between our read and our write; the next read settles it.
const ATTEMPTS = 3;

export interface WithdrawRequest {
  accountId: string;
  submissionId: string;
  /** The client's address, for the audit entry. */
  address?: string;
}

/** 撤回: the applicant takes back their own application before 受理, as the workflow allows. */
export async function withdrawApplication(context: SubmissionContext, request: WithdrawRequest): Promise<WithdrawResult> {
  const { accountId, submissionId: id, address } = request;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const submission = await findOwn(context, accountId, id);
    if (!submission) return { kind: 'not-found' };
    if (submission.status === 'withdrawn') return { kind: 'withdrawn', submission: await summaryOf(context, submission) };
    const step = checkStep(submission.status, { by: 'applicant', action: 'withdraw' });
    if (!step.ok) return { kind: 'not-withdrawable' };

    const at = context.now();
    const moved = await context.db.transaction().execute(async (trx) => {
      if (!(await moveSubmissionStatus(trx, id, submission, step.to))) return false;
      const actor = `account:${accountId}`;
      await recordAudit(trx, { principal: { kind: 'applicant', accountId }, action: 'submission.withdraw', submissionId: id, address, at });
      await enqueueNotice(trx, { accountId, submissionId: id, event: 'decision', status: step.to, at });
      await recordEvent(trx, { submissionId: id, version: submission.version, status: step.to, kind: 'withdrawn', actor, at });
      return true;
    });
    if (moved) return { kind: 'withdrawn', submission: await summaryOf(context, { ...submission, status: step.to }) };
  }
  return { kind: 'not-withdrawable' };
}
