/**
 * The words of each text message. A message leaves the service for a phone company and sits on a
 * screen anyone may glance at, so it carries the 申请编号 and a short status only: never a name, an ID
 * number, a mobile number, an employer or a reviewer's notes. The person reads the rest after signing in.
 */
import { isoDateOf } from '../../shared/calendar-date.ts';
import { addWorkingDays, type HolidayCalendar } from '../../shared/review/working-days.ts';
import { type SubmissionStatus, submissionStatusLabel } from '../../shared/submission-status.ts';
import type { NoticeEvent } from '../db/schema.ts';

/** How long the applicant is given to answer a 补正 request, in working days, stated in the message. */
export const CORRECTION_REPLY_WORKING_DAYS = 20;

/** The last day to answer a 补正 asked at `askedAt` (working days as the review's deadlines count them). */
export function correctionReplyDue(askedAt: Date, calendar: HolidayCalendar): string {
  return addWorkingDays(isoDateOf(askedAt), CORRECTION_REPLY_WORKING_DAYS, calendar);
}

/** The statuses a person is told of by message: receipt, 补正, and every decision on the application. */
const EVENT_OF_STATUS: Partial<Record<SubmissionStatus, NoticeEvent>> = {
  submitted: 'received',
  correction_requested: 'correction_requested',
  employer_declined: 'decision',
  accepted: 'decision',
  not_accepted: 'decision',
  publicised: 'decision',
  approved: 'decision',
  rejected: 'decision',
  withdrawn: 'decision',
};

/** Which notice, if any, a step that led to `status` sends (the intermediate steps send none). */
export function noticeEventFor(status: SubmissionStatus): NoticeEvent | undefined {
  return EVENT_OF_STATUS[status];
}

export interface NoticeWording {
  event: NoticeEvent;
  receiptNumber: string;
  status: string;
  /** The last day to answer a 补正 ('YYYY-MM-DD'). */
  deadline?: string;
}

export function noticeText({ event, receiptNumber, status, deadline }: NoticeWording): string {
  const application = `您的注册申请（申请编号 ${receiptNumber}）`;
  if (event === 'received') return `${application}已收到，当前状态：${submissionStatusLabel(status)}。可登录“我的申请”查看办理进度。`;
  if (event === 'correction_requested') {
    const by = deadline ? `请于 ${deadline} 前（${CORRECTION_REPLY_WORKING_DAYS} 个工作日内）` : '请';
    return `${application}需补正，${by}登录“我的申请”查看需补正的内容并重新提交。`;
  }
  return `${application}办理进度更新：${submissionStatusLabel(status)}。详情请登录“我的申请”查看。`;
}
