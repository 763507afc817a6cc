/** Mainland mobile numbers: 11 digits starting 13–19. */

export const MOBILE_PATTERN = /^1[3-9]\d{9}$/;
export const MOBILE_MESSAGE = '手机号码应为11位数字，以1开头，第二位为3至9';

export type MobileCheck = { ok: true; mobile: string } | { ok: false; message: string };

/** Drops spaces a person may type or paste between digit groups. */
export function normalizeMobile(value: string): string {
  return value.replace(/\s+/g, '');
}

export function isValidMobile(value: string): boolean {
  return MOBILE_PATTERN.test(normalizeMobile(value));
}

export function validateMobile(value: string): MobileCheck {
  const mobile = normalizeMobile(value);
  return MOBILE_PATTERN.test(mobile) ? { ok: true, mobile } : { ok: false, message: MOBILE_MESSAGE };
}
