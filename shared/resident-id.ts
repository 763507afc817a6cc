/** 居民身份证号码 (GB 11643): 6-digit region, 8-digit birth date, 3-digit sequence, check char. */
import { type DateInput, compareIsoDates, formatIsoDate, isRealDate, todayIso } from './calendar-date.ts';

export type Sex = 'male' | 'female';

/** How the form and the console name each sex. */
export const SEX_LABELS: Readonly<Record<Sex, string>> = { male: '男', female: '女' };

export type ResidentIdCheck =
  | { ok: true; idNumber: string; birthDate: string; sex: Sex }
  | { ok: false; message: string };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';
const SHAPE = /^\d{17}[\dX]$/;
const EARLIEST_BIRTH_YEAR = 1900;

/** Province-level prefixes in use (first two digits). */
const REGION_RANGES: readonly (readonly [number, number])[] = [
  [11, 15],
  [21, 23],
  [31, 37],
  [41, 46],
  [50, 54],
  [61, 65],
];

/** Trims and upper-cases, so a typed lowercase x is accepted. */
export function normalizeResidentId(value: string): string {
  return value.trim().toUpperCase();
}

export function isValidRegionPrefix(id: string): boolean {
  const prefix = Number(id.slice(0, 2));
  return REGION_RANGES.some(([low, high]) => prefix >= low && prefix <= high);
}

/** Check char for the first 17 digits; throws on anything else (a programming error). */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('residentIdCheckChar: expected 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** Birth date in chars 7–14 as 'YYYY-MM-DD', if it is a real calendar day (range not checked). */
export function birthDateFromId(id: string): string | undefined {
  const digits = normalizeResidentId(id).slice(6, 14);
  if (!/^\d{8}$/.test(digits)) return undefined;
  const date = { year: Number(digits.slice(0, 4)), month: Number(digits.slice(4, 6)), day: Number(digits.slice(6, 8)) };
  return isRealDate(date.year, date.month, date.day) ? formatIsoDate(date) : undefined;
}

/** 17th digit odd = male (男), even = female (女). */
export function sexFromId(id: string): Sex | undefined {
  const digit = normalizeResidentId(id)[16];
  if (digit === undefined || !/\d/.test(digit)) return undefined;
  return Number(digit) % 2 === 1 ? 'male' : 'female';
}

/** Full check; `today` (default: the current day in China) bounds the birth date. */
export function validateResidentId(value: string, today?: DateInput): ResidentIdCheck {
  const idNumber = normalizeResidentId(value);
  if (!SHAPE.test(idNumber)) {
    return { ok: false, message: '证件号码应为18位，前17位为数字，最后一位为数字或X' };
  }
  if (!isValidRegionPrefix(idNumber)) return { ok: false, message: '证件号码前两位地区代码不正确' };
  const birthDate = birthDateFromId(idNumber);
  if (birthDate === undefined) return { ok: false, message: '证件号码中的出生日期不是有效日期' };
  if (Number(birthDate.slice(0, 4)) < EARLIEST_BIRTH_YEAR) {
    return { ok: false, message: '证件号码中的出生日期不能早于1900年' };
  }
  if (compareIsoDates(birthDate, todayIso(today)) > 0) {
    return { ok: false, message: '证件号码中的出生日期不能晚于今天' };
  }
  if (residentIdCheckChar(idNumber.slice(0, 17)) !== idNumber[17]) {
    return { ok: false, message: '证件号码校验位不正确，请核对' };
  }
  return { ok: true, idNumber, birthDate, sex: sexFromId(idNumber)! };
}
