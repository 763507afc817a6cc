/** Where a submission stands, from receipt to decision; client and server show the same words. */

export const SUBMISSION_STATUSES = [
  'submitted',
  'employer_confirmed',
  'employer_declined',
  'accepted',
  'not_accepted',
  'correction_requested',
  'under_review',
  'publicised',
  'approved',
  'rejected',
  'withdrawn',
] as const;

export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

export const submissionStatusLabels: Readonly<Record<SubmissionStatus, string>> = Object.freeze({
  submitted: '已提交，待单位确认',
  employer_confirmed: '单位已确认',
  employer_declined: '单位未确认',
  accepted: '已受理',
  not_accepted: '不予受理',
  correction_requested: '需补正',
  under_review: '审查中',
  publicised: '公示中',
  approved: '准予注册',
  rejected: '不予注册',
  withdrawn: '已撤回',
});

export function isSubmissionStatus(value: unknown): value is SubmissionStatus {
  return typeof value === 'string' && (SUBMISSION_STATUSES as readonly string[]).includes(value);
}

/** The Chinese label; a code this build does not know (a newer server) still shows something honest. */
export function submissionStatusLabel(status: string): string {
  return isSubmissionStatus(status) ? submissionStatusLabels[status] : '状态更新中';
}
