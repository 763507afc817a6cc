/** 毕业时间: strictly after 出生日期 and not after today. */
import { type DateInput, compareIsoDates, isIsoDate, todayIso } from './calendar-date.ts';

export type GraduationDateCheck = { ok: true } | { ok: false; message: string };

export const GRADUATION_DATE_MESSAGES = {
  format: '毕业时间应为有效日期（年-月-日）',
  notAfterBirth: '毕业时间应晚于出生日期',
  future: '毕业时间不能晚于今天',
} as const;

export function isGraduationAfterBirth(graduationDate: string, birthDate: string): boolean {
  return compareIsoDates(graduationDate, birthDate) > 0;
}

export function isGraduationInFuture(graduationDate: string, today?: DateInput): boolean {
  return compareIsoDates(graduationDate, todayIso(today)) > 0;
}

export function validateGraduationDate(
  graduationDate: string,
  birthDate: string,
  today?: DateInput,
): GraduationDateCheck {
  if (!isIsoDate(graduationDate)) return { ok: false, message: GRADUATION_DATE_MESSAGES.format };
  if (isIsoDate(birthDate) && !isGraduationAfterBirth(graduationDate, birthDate)) {
    return { ok: false, message: GRADUATION_DATE_MESSAGES.notAfterBirth };
  }
  if (isGraduationInFuture(graduationDate, today)) return { ok: false, message: GRADUATION_DATE_MESSAGES.future };
  return { ok: true };
}
