/**
 * The statutory periods of an application, in working days (shared/review/working-days.ts): 补正 must be
 * asked within 5 working days of receiving the materials, past which the application counts as accepted
 * (行政许可法 §32); the review takes at most 20 working days from 受理 (§42); 公示 lasts 10.
 */
import type { Deadline, DeadlineKind } from '../../shared/api/review.ts';
import { isoDateOf } from '../../shared/calendar-date.ts';
import { addWorkingDays, type HolidayCalendar, workingDaysLeft } from '../../shared/review/working-days.ts';
import type { SubmissionStatus } from '../../shared/submission-status.ts';

interface Period {
  label: string;
  days: number;
  /** While the application is in one of these, this period is the one running. */
  runsIn: readonly SubmissionStatus[];
}

export const PERIODS: Readonly<Record<DeadlineKind, Period>> = {
  correction: { label: '补正告知期限', days: 5, runsIn: ['submitted', 'employer_confirmed'] },
  review: { label: '审查期限', days: 20, runsIn: ['accepted', 'under_review'] },
  publicity: { label: '公示期', days: 10, runsIn: ['publicised'] },
};

/** What starts each period: when the current version's materials arrived, and when the steps were taken. */
export interface PeriodStarts {
  /** The current version's submission (a resubmission after 补正 is new materials: its own 5 days). */
  received: string;
  accepted?: string;
  publicised?: string;
}

/** The events a history holds, as far as deadlines care. */
export interface DatedEvent {
  kind: string;
  status: string;
  version: number;
  at: string;
}

/** Reads the starts from the history (oldest first): the latest of each, for the current version's receipt. */
export function periodStartsOf(history: readonly DatedEvent[], version: number, submittedAt: string): PeriodStarts {
  const latest = (match: (event: DatedEvent) => boolean) => history.filter(match).at(-1)?.at;
  return {
    received: latest((event) => event.version === version && (event.kind === 'submitted' || event.kind === 'resubmitted')) ?? submittedAt,
    accepted: latest((event) => event.kind === 'status' && event.status === 'accepted'),
    publicised: latest((event) => event.kind === 'status' && event.status === 'publicised'),
  };
}

function deadlineOf(kind: DeadlineKind, start: string, status: SubmissionStatus, calendar: HolidayCalendar, today: string): Deadline {
  const period = PERIODS[kind];
  const startedOn = isoDateOf(new Date(start));
  const due = addWorkingDays(startedOn, period.days, calendar);
  return {
    kind,
    label: period.label,
    startedOn,
    due,
    workingDaysLeft: workingDaysLeft(today, due, calendar),
    current: period.runsIn.includes(status),
  };
}

/** Every period that has started, in the order they run; `current` marks the one running now. */
export function deadlinesOf(starts: PeriodStarts, status: SubmissionStatus, calendar: HolidayCalendar, now: Date): Deadline[] {
  const today = isoDateOf(now);
  const out = [deadlineOf('correction', starts.received, status, calendar, today)];
  if (starts.accepted) out.push(deadlineOf('review', starts.accepted, status, calendar, today));
  if (starts.publicised) out.push(deadlineOf('publicity', starts.publicised, status, calendar, today));
  return out;
}

/** The period running now, if any. */
export function currentDeadline(deadlines: readonly Deadline[]): Deadline | null {
  return deadlines.find((deadline) => deadline.current) ?? null;
}

/** §32: once the 5 working days after receipt have passed, 补正 can no longer be asked. */
export function correctionPeriodOver(starts: PeriodStarts, calendar: HolidayCalendar, now: Date): boolean {
  const due = addWorkingDays(isoDateOf(new Date(starts.received)), PERIODS.correction.days, calendar);
  return workingDaysLeft(isoDateOf(now), due, calendar) < 0;
}
