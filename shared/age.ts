/**
 * Age limit: registration is refused to a person over 65 on the day of submission.
 * Rule chosen: refuse when the age in full years is greater than 65, i.e. from the 66th birthday on.
 * On the 65th birthday and up to the day before the 66th birthday the person is 65 and allowed.
 * Someone born on 29 February has their birthday on 1 March in common years.
 */
import { type DateInput, parseIsoDate, todayIso } from './calendar-date.ts';

export const MAX_APPLICANT_AGE = 65;
export const AGE_LIMIT_MESSAGE = '出生日期显示申请人已超过65周岁，不能申请监理工程师注册';

/** Age in full years on `onDate` (both 'YYYY-MM-DD'); throws on malformed dates. */
export function ageOn(birthDate: string, onDate: string): number {
  const birth = parseIsoDate(birthDate);
  const on = parseIsoDate(onDate);
  if (!birth || !on) throw new RangeError('ageOn: expected YYYY-MM-DD dates');
  const birthdayPassed = on.month > birth.month || (on.month === birth.month && on.day >= birth.day);
  return on.year - birth.year - (birthdayPassed ? 0 : 1);
}

/** True when the person is older than 65 in full years on `today` (default: today in China). */
export function isOverAgeLimit(birthDate: string, today?: DateInput): boolean {
  return ageOn(birthDate, todayIso(today)) > MAX_APPLICANT_AGE;
}
