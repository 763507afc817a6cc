/**
 * Calendar dates as 'YYYY-MM-DD' strings. Pure arithmetic, no `new Date('YYYY-MM-DD')`, so the
 * browser and the server agree whatever their time zones.
 */
import { serverNow } from './server-time.ts';

/** A day given as 'YYYY-MM-DD' or as an instant (read in China Standard Time, see `isoDateOf`). */
export type DateInput = string | Date;

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// China Standard Time has no daylight saving, so a fixed offset is exact.
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isRealDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** Parses a strict 'YYYY-MM-DD' string naming a real day; undefined otherwise. */
export function parseIsoDate(value: string): CalendarDate | undefined {
  const match = ISO_DATE.exec(value);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return isRealDate(year, month, day) ? { year, month, day } : undefined;
}

export function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && parseIsoDate(value) !== undefined;
}

export function formatIsoDate({ year, month, day }: CalendarDate): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The calendar day of an instant in China Standard Time (UTC+8), the service's time zone. */
export function isoDateOf(instant: Date): string {
  const shifted = new Date(instant.getTime() + CHINA_OFFSET_MS);
  return formatIsoDate({
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
  });
}

/**
 * Resolves an injectable "today"; without one, the current day in China on the server's clock (on a
 * device, once an answer from the server has been seen: its own clock may be days off).
 */
export function todayIso(today?: DateInput): string {
  if (today === undefined) return isoDateOf(serverNow());
  if (today instanceof Date) {
    if (Number.isNaN(today.getTime())) throw new RangeError('today: invalid Date');
    return isoDateOf(today);
  }
  if (!isIsoDate(today)) throw new RangeError(`today: expected YYYY-MM-DD, got ${today}`);
  return today;
}

/** Valid 'YYYY-MM-DD' strings with 4-digit years order the same as text and as days. */
export function compareIsoDates(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Adds whole days (negative to go back); used by callers and tests for boundaries. */
export function addDays(date: string, days: number): string {
  const parsed = parseIsoDate(date);
  if (!parsed) throw new RangeError(`addDays: expected YYYY-MM-DD, got ${date}`);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  const d = new Date(0);
  d.setUTCFullYear(parsed.year, parsed.month - 1, parsed.day + days);
  return formatIsoDate({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
}
