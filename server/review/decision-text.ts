/**
 * The written decision for a refusal. 行政许可法 §38: a refusal states its reasons and tells the applicant
 * of the right to apply for administrative reconsideration or to sue; the periods are those of
 * 行政复议法 §20 (60 days) and 行政诉讼法 §46 (6 months).
 */
import type { ReviewDecision } from '../../shared/review/workflow.ts';

export const REMEDIES_NOTICE =
  '申请人如对本决定不服，可以自收到本决定之日起六十日内依法申请行政复议，或者自收到本决定之日起六个月内依法向人民法院提起行政诉讼。';

const REFUSALS: Partial<Record<ReviewDecision, string>> = {
  not_accept: '不予受理',
  reject: '不予注册',
};

/** The text stored with a refusal and shown to the applicant; undefined for every other decision. */
export function decisionText(decision: ReviewDecision, reason: string | undefined): string | undefined {
  const title = REFUSALS[decision];
  if (!title) return undefined;
  // The reason's own closing full stop would double the one after it.
  const said = (reason ?? '').trim().replace(/[。.；;\s]+$/u, '');
  return `${title}。理由：${said}。${REMEDIES_NOTICE}`;
}
