import * as v from 'valibot';

/** The rule for a new account password, the same on the device and at the server. */
export const PASSWORD_RULE = '密码至少8位，需同时包含字母和数字';
export const PASSWORD_MAX = 64;

// Counted in code points, like every other length rule here.
const charCount = (value: string): number => Array.from(value).length;

export const newPasswordSchema = v.pipe(
  v.string(PASSWORD_RULE),
  v.check((value) => charCount(value) >= 8 && /\p{L}/u.test(value) && /\d/.test(value), PASSWORD_RULE),
  v.check((value) => charCount(value) <= PASSWORD_MAX, `密码不能超过${PASSWORD_MAX}位`),
);

export type PasswordStrength = '弱' | '中' | '强';

/** A rough guide for the person, not a rule: anything short of the rule is 弱. */
export function passwordStrength(value: string): PasswordStrength {
  if (!v.is(newPasswordSchema, value)) return '弱';
  const kinds = [/\p{Ll}/u, /\p{Lu}/u, /\d/, /[^\p{L}\d]/u].filter((re) => re.test(value)).length;
  const length = charCount(value);
  if ((length >= 12 && kinds >= 3) || length >= 16) return '强';
  return '中';
}
