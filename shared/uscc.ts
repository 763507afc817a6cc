/** 统一社会信用代码 (GB 32100): 17 chars from a 31-char alphabet plus a mod-31 check char. */

export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

/**
 * A bad shape blocks; a bad check char only warns, because some early codes fail the check
 * (DOMAIN.md: warn, do not block). Both outcomes with `ok: true` are acceptable input.
 */
export type UsccCheck =
  | { ok: true; uscc: string; checksumValid: true }
  | { ok: true; uscc: string; checksumValid: false; warning: string }
  | { ok: false; kind: 'format'; message: string };

export const USCC_FORMAT_MESSAGE = '统一社会信用代码应为18位，由数字和大写字母组成（不含I、O、S、V、Z）';
export const USCC_CHECKSUM_WARNING = '统一社会信用代码校验位不符，请核对；部分早期代码属此情况，可继续办理';

export function normalizeUscc(value: string): string {
  return value.trim().toUpperCase();
}

export function isUsccShape(value: string): boolean {
  return SHAPE.test(value);
}

/** Check char for the first 17 chars; throws on anything else (a programming error). */
export function usccCheckChar(first17: string): string {
  if (!/^[0-9A-HJ-NPQRTUWXY]{17}$/.test(first17)) {
    throw new RangeError('usccCheckChar: expected 17 chars of the USCC alphabet');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17[i]!) * WEIGHTS[i]!;
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]!;
}

export function validateUscc(value: string): UsccCheck {
  const uscc = normalizeUscc(value);
  if (!isUsccShape(uscc)) return { ok: false, kind: 'format', message: USCC_FORMAT_MESSAGE };
  if (usccCheckChar(uscc.slice(0, 17)) !== uscc[17]) {
    return { ok: true, uscc, checksumValid: false, warning: USCC_CHECKSUM_WARNING };
  }
  return { ok: true, uscc, checksumValid: true };
}
