/**
 * A step of the workflow taken by staff or an employer: checked against shared/review/workflow.ts and,
 * for 补正, against the §32 period; then the status, the audit entry and the feed event are written in
 * one transaction, the event last (it numbers the feed in commit order).
 */
import type { ReviewDecision, WorkflowStep } from '../../shared/review/workflow.ts';
import { checkStep } from '../../shared/review/workflow.ts';
import type { HolidayCalendar } from '../../shared/review/working-days.ts';
import type { SubmissionStatus } from '../../shared/submission-status.ts';
import type { Correction } from '../../shared/api/submissions.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Storage } from '../db/database.ts';
import { findSubmissionById, moveSubmissionStatus } from '../db/submissions-store.ts';
import { historyOf, recordEvent } from '../feed/submission-events.ts';
import { enqueueNotice } from '../notices/notice-outbox.ts';
import { correctionReplyDue, noticeEventFor } from '../notices/notice-text.ts';
import type { StaffPrincipal } from '../staff/staff-auth.ts';
import { correctionPeriodOver, periodStartsOf } from './deadlines.ts';
import { decisionText } from './decision-text.ts';
import { namesEmployer } from './review-store.ts';

export interface StepRequest {
  submissionId: string;
  /** Who takes it: a staff account (tokens cannot write; the routes refuse them before). */
  principal: Extract<StaffPrincipal, { kind: 'staff' }>;
  step: Exclude<WorkflowStep, { by: 'applicant' }>;
  /** The version the decision was made on; a newer one means the decider has not seen it. */
  version?: number;
  reason?: string;
  corrections?: Correction[];
  /** An employer acts on applications naming its USCC only; any other is answered as missing. */
  employerUscc?: string;
  address?: string;
  calendar: HolidayCalendar;
  now: Date;
}

export type StepResult =
  | { kind: 'done'; id: string; status: SubmissionStatus; version: number; at: string; text?: string }
  | { kind: 'not-found' }
  | { kind: 'stale' }
  | { kind: 'illegal' }
  | { kind: 'reason-required' }
  | { kind: 'corrections-required' }
  | { kind: 'correction-too-late' };

function actionName(step: StepRequest['step']): string {
  return step.by === 'employer' ? `submission.confirmation.${step.action}` : `submission.decision.${step.action}`;
}

export async function takeStep(storage: Storage, request: StepRequest): Promise<StepResult> {
  return storage.db.transaction().execute(async (trx): Promise<StepResult> => {
    const submission = await findSubmissionById(trx, request.submissionId);
    if (!submission) return { kind: 'not-found' };
    if (request.employerUscc !== undefined && !(await namesEmployer(trx, submission.id, request.employerUscc))) {
      return { kind: 'not-found' };
    }
    if (request.version !== undefined && request.version !== submission.version) return { kind: 'stale' };

    const reason = request.reason?.trim() || undefined;
    const corrections = request.corrections?.length ? request.corrections : undefined;
    const check = checkStep(submission.status, request.step, { reason, corrections });
    if (!check.ok) return { kind: check.reason === 'illegal' ? 'illegal' : check.reason };

    if (request.step.by === 'reviewer' && request.step.action === 'request_correction') {
      const starts = periodStartsOf(await historyOf(trx, submission.id), submission.version, submission.createdAt);
      if (correctionPeriodOver(starts, request.calendar, request.now)) return { kind: 'correction-too-late' };
    }

    const from = { status: submission.status, version: submission.version };
    // Another decision got there first (it changed the status or the version since the read above).
    if (!(await moveSubmissionStatus(trx, submission.id, from, check.to))) return { kind: 'stale' };

    const text = request.step.by === 'reviewer' ? decisionText(request.step.action as ReviewDecision, reason) : undefined;
    await recordAudit(trx, {
      principal: request.principal,
      action: actionName(request.step),
      submissionId: submission.id,
      ...(request.address === undefined ? {} : { address: request.address }),
      at: request.now,
    });
    const event = noticeEventFor(check.to);
    if (event) {
      const deadline = event === 'correction_requested' ? correctionReplyDue(request.now, request.calendar) : undefined;
      const notice = { accountId: submission.accountId, submissionId: submission.id, event, status: check.to, at: request.now };
      await enqueueNotice(trx, deadline === undefined ? notice : { ...notice, deadline });
    }
    await recordEvent(trx, {
      submissionId: submission.id,
      version: submission.version,
      status: check.to,
      kind: 'status',
      actor: `staff:${request.principal.id}`,
      detail: { ...((text ?? reason) === undefined ? {} : { reason: text ?? reason }), ...(corrections ? { corrections } : {}) },
      at: request.now,
    });
    return {
      kind: 'done',
      id: submission.id,
      status: check.to,
      version: submission.version,
      at: request.now.toISOString(),
      ...(text === undefined ? {} : { text }),
    };
  });
}
