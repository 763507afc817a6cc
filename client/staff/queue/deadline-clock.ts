import { html, type TemplateResult } from 'lit';
import type { Deadline } from '../../../shared/api/review.ts';

/**
 * The words of a deadline clock: how many working days are left, or how far past it is. A period the
 * application has moved beyond no longer counts down: it is over, whatever its last count was.
 */
export function deadlineText(deadline: Deadline): string {
  if (!deadline.current) return `${deadline.label}：已结束`;
  const left = deadline.workingDaysLeft;
  if (left > 0) return `${deadline.label}：剩 ${left} 个工作日（${deadline.due} 届满）`;
  if (left === 0) return `${deadline.label}：今日届满`;
  return `${deadline.label}：已逾期 ${-left} 个工作日`;
}

function tone(deadline: Deadline): string {
  if (!deadline.current) return 'over';
  return deadline.workingDaysLeft < 0 ? 'overdue' : deadline.workingDaysLeft <= 2 ? 'near' : 'ok';
}

/** The clock as shown: words, not colour alone, say when it is near or past. */
export function deadlineClock(deadline: Deadline | null): TemplateResult {
  if (!deadline) return html`<span class="muted">—</span>`;
  return html`<span class=${`clock ${tone(deadline)}`}>${deadlineText(deadline)}</span>`;
}
