import { randomInt } from 'node:crypto';
import { isoDateOf } from '../../shared/calendar-date.ts';

/** `JL` + the day in China (yyyyMMdd) + 6 random digits: short enough to read out on the phone. */
export const RECEIPT_NUMBER_PATTERN = /^JL\d{8}\d{6}$/;

/**
 * A fresh receipt number for an acceptance at `at`. A million numbers a day make a clash rare but
 * possible; the unique constraint catches it and the caller draws again.
 */
export function newReceiptNumber(at: Date): string {
  const day = isoDateOf(at).replaceAll('-', '');
  return `JL${day}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
}
