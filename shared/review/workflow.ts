/**
 * The review workflow after submission (DOMAIN.md, "After submission"): who may move an application from
 * which status to which. One table, read by the server that enforces it and by the console that offers
 * only the buttons that can succeed.
 */
import type { SubmissionStatus } from '../submission-status.ts';

/** What staff decide (POST /api/staff/submissions/{id}/decisions). */
export const REVIEW_DECISIONS = [
  'accept',
  'not_accept',
  'request_correction',
  'start_review',
  'publicise',
  'approve',
  'reject',
] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** Each decision in words: the console's buttons and the person's record of what was decided. */
export const REVIEW_DECISION_LABELS: Readonly<Record<ReviewDecision, string>> = {
  accept: '受理',
  not_accept: '不予受理',
  request_correction: '补正',
  start_review: '开始审查',
  publicise: '公示',
  approve: '准予注册',
  reject: '不予注册',
};

/** Every step, by who takes it: the employer's confirmation, the reviewer's decisions, the applicant's own. */
export type WorkflowStep =
  | { by: 'employer'; action: 'confirm' | 'decline' }
  | { by: 'reviewer'; action: ReviewDecision }
  | { by: 'applicant'; action: 'withdraw' | 'resubmit' };

export type WorkflowActor = WorkflowStep['by'];

interface Transition {
  from: readonly SubmissionStatus[];
  to: SubmissionStatus;
  /** The step must say why (不予受理, 不予注册, a declined confirmation). */
  needsReason?: boolean;
  /** The step carries per-field notes, all at once (补正, 一次性告知). */
  needsCorrections?: boolean;
}

/** Before 受理: the applicant may still withdraw, and 补正 may still be asked. */
const BEFORE_ACCEPTANCE = ['submitted', 'employer_confirmed', 'correction_requested'] as const;

const TRANSITIONS: Readonly<Record<`${WorkflowActor}:${string}`, Transition>> = {
  'employer:confirm': { from: ['submitted'], to: 'employer_confirmed' },
  'employer:decline': { from: ['submitted'], to: 'employer_declined', needsReason: true },
  'reviewer:accept': { from: ['employer_confirmed'], to: 'accepted' },
  'reviewer:not_accept': { from: ['employer_confirmed'], to: 'not_accepted', needsReason: true },
  'reviewer:request_correction': { from: ['employer_confirmed'], to: 'correction_requested', needsCorrections: true },
  'reviewer:start_review': { from: ['accepted'], to: 'under_review' },
  'reviewer:publicise': { from: ['under_review'], to: 'publicised' },
  'reviewer:approve': { from: ['publicised'], to: 'approved' },
  // 不予注册 may follow the review itself: only an application to be approved is publicised.
  'reviewer:reject': { from: ['under_review', 'publicised'], to: 'rejected', needsReason: true },
  'applicant:withdraw': { from: BEFORE_ACCEPTANCE, to: 'withdrawn' },
  // The corrected version goes back to the reviewer; the employer's confirmation of the application stands.
  'applicant:resubmit': { from: ['correction_requested'], to: 'employer_confirmed' },
};

/** Statuses from which nothing moves on. */
export const FINAL_STATUSES: readonly SubmissionStatus[] = ['employer_declined', 'not_accepted', 'approved', 'rejected', 'withdrawn'];

export type StepCheck =
  | { ok: true; to: SubmissionStatus }
  | { ok: false; reason: 'illegal' | 'reason-required' | 'corrections-required' };

export interface StepDetails {
  reason?: string;
  corrections?: readonly unknown[];
}

/** Whether `step` may be taken from `status`, and the status it leads to. */
export function checkStep(status: SubmissionStatus, step: WorkflowStep, details: StepDetails = {}): StepCheck {
  const transition = TRANSITIONS[`${step.by}:${step.action}`];
  if (!transition?.from.includes(status)) return { ok: false, reason: 'illegal' };
  if (transition.needsReason && !details.reason?.trim()) return { ok: false, reason: 'reason-required' };
  if (transition.needsCorrections && !details.corrections?.length) {
    return { ok: false, reason: 'corrections-required' };
  }
  return { ok: true, to: transition.to };
}

/** The steps `actor` can take from `status` (the console shows just these). */
export function availableSteps(status: SubmissionStatus, actor: WorkflowActor): WorkflowStep[] {
  return Object.entries(TRANSITIONS)
    .filter(([key, transition]) => key.startsWith(`${actor}:`) && transition.from.includes(status))
    .map(([key]) => ({ by: actor, action: key.slice(actor.length + 1) }) as WorkflowStep);
}

export function isFinal(status: SubmissionStatus): boolean {
  return FINAL_STATUSES.includes(status);
}
