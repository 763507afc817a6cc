/**
 * Working days in the mainland calendar: Monday to Friday, less the public holidays, plus the weekend
 * days made working days (调休). The State Council publishes each year's list late in the year before, so
 * the calendar is configuration, not code: a deployment loads its own (see `parseHolidayCalendar`).
 */
import { addDays, compareIsoDates, isIsoDate, parseIsoDate } from '../calendar-date.ts';

export interface HolidayCalendar {
  /** Weekdays that are not worked ('YYYY-MM-DD'). */
  holidays: ReadonlySet<string>;
  /** Saturdays and Sundays that are worked instead ('YYYY-MM-DD'). */
  workingWeekends: ReadonlySet<string>;
}

export const EMPTY_CALENDAR: HolidayCalendar = { holidays: new Set(), workingWeekends: new Set() };

/** 0 Sunday … 6 Saturday, by Zeller's congruence on the proleptic Gregorian calendar. */
function dayOfWeek(date: string): number {
  const parsed = parseIsoDate(date);
  if (!parsed) throw new RangeError('not a date');
  let { year, month } = parsed;
  if (month < 3) {
    month += 12;
    year -= 1;
  }
  const k = year % 100;
  const j = Math.floor(year / 100);
  const h = (parsed.day + Math.floor((13 * (month + 1)) / 5) + k + Math.floor(k / 4) + Math.floor(j / 4) + 5 * j) % 7;
  // Zeller counts from Saturday.
  return (h + 6) % 7;
}

export function isWorkingDay(date: string, calendar: HolidayCalendar = EMPTY_CALENDAR): boolean {
  if (calendar.workingWeekends.has(date)) return true;
  if (calendar.holidays.has(date)) return false;
  const weekday = dayOfWeek(date);
  return weekday !== 0 && weekday !== 6;
}

/**
 * The day on which a period of `days` working days ends, counted from the day after `start` (a period
 * never includes the day of the event that starts it, as 行政许可法 §82 counts).
 */
export function addWorkingDays(start: string, days: number, calendar: HolidayCalendar = EMPTY_CALENDAR): string {
  if (!Number.isInteger(days) || days < 0) throw new RangeError('days must be a whole number');
  let date = start;
  let left = days;
  // Bounded: a year holds at least 200 working days in any real calendar.
  for (let guard = 0; left > 0; guard++) {
    if (guard > days * 3 + 60) throw new RangeError('calendar has too few working days');
    date = addDays(date, 1);
    if (isWorkingDay(date, calendar)) left--;
  }
  return date;
}

/** Working days left from `today` until `deadline` (0 on the day itself, negative once it has passed). */
export function workingDaysLeft(today: string, deadline: string, calendar: HolidayCalendar = EMPTY_CALENDAR): number {
  const order = compareIsoDates(today, deadline);
  if (order === 0) return 0;
  const [from, to, sign] = order < 0 ? [today, deadline, 1] : [deadline, today, -1];
  let count = 0;
  for (let date = from; compareIsoDates(date, to) < 0; ) {
    date = addDays(date, 1);
    if (isWorkingDay(date, calendar)) count++;
  }
  return sign * count;
}

/**
 * Reads a calendar from configuration: `{ "holidays": ["2026-10-01", …], "workingWeekends": ["2026-09-27", …] }`.
 * Throws with a short English reason (for the operator's log) on anything else.
 */
export function parseHolidayCalendar(json: unknown): HolidayCalendar {
  const value = (json ?? {}) as { holidays?: unknown; workingWeekends?: unknown };
  const dates = (list: unknown, name: string): Set<string> => {
    if (list === undefined) return new Set();
    if (!Array.isArray(list) || !list.every(isIsoDate)) throw new Error(`${name} must be a list of YYYY-MM-DD dates`);
    return new Set(list);
  };
  const holidays = dates(value.holidays, 'holidays');
  const workingWeekends = dates(value.workingWeekends, 'workingWeekends');
  for (const date of workingWeekends) {
    const weekday = dayOfWeek(date);
    if (weekday !== 0 && weekday !== 6) throw new Error(`workingWeekends: ${date} is not a Saturday or Sunday`);
  }
  return { holidays, workingWeekends };
}
