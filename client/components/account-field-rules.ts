/**
 * Client-side checks of the account fields (identity check, registration, sign-in), with messages
 * that use the words on these screens (身份证号码, not the application form's 证件号码).
 */
import * as v from 'valibot';
import { AGE_LIMIT_MESSAGE, isOverAgeLimit } from '../../shared/age.ts';
import { mobileSchema, nameSchema, residentIdSchema } from '../../shared/field-schemas.ts';
import { newPasswordSchema } from '../../shared/password-rules.ts';
import { birthDateFromId } from '../../shared/resident-id.ts';
import type { FieldProblem } from './field-validation-controller.ts';

export { PASSWORD_MAX, PASSWORD_RULE, type PasswordStrength, passwordStrength } from '../../shared/password-rules.ts';

function firstMessage(result: { success: boolean; issues?: readonly { message: string }[] }): string | undefined {
  return result.success ? undefined : result.issues?.[0]?.message;
}

export function checkName(value: string): string | undefined {
  if (value.trim() === '') return '请填写姓名';
  return firstMessage(v.safeParse(nameSchema, value));
}

/** Normalised value sent to the server (trimmed, look-alike dots replaced). */
export function normalizedName(value: string): string {
  const result = v.safeParse(nameSchema, value);
  return result.success ? result.output : value.trim();
}

/**
 * The ID number; with `ageLimit`, a valid ID of a person over 65 today fails at once (shown while
 * typing, before the rest of the form is filled, as the rules ask).
 */
export function checkIdNumber(value: string, ageLimit: boolean): FieldProblem | string | undefined {
  if (value.trim() === '') return '请填写身份证号码';
  const message = firstMessage(v.safeParse(residentIdSchema, value));
  if (message) return message.replace('证件号码', '身份证号码');
  if (ageLimit) {
    const birthDate = birthDateFromId(value);
    if (birthDate && isOverAgeLimit(birthDate)) return { message: AGE_LIMIT_MESSAGE, immediate: true };
  }
  return undefined;
}

export function normalizedIdNumber(value: string): string {
  return value.trim().toUpperCase();
}

/** Name and ID number as sent to the server and carried between the account pages. */
export function normalizedIdentity(name: string, idNumber: string): { name: string; idNumber: string } {
  return { name: normalizedName(name), idNumber: normalizedIdNumber(idNumber) };
}

export function checkMobile(value: string): string | undefined {
  if (value.trim() === '') return '请填写手机号码';
  return firstMessage(v.safeParse(mobileSchema, value));
}

export function normalizedMobile(value: string): string {
  return value.replace(/\s+/g, '');
}

export function checkNewPassword(value: string): string | undefined {
  if (value === '') return '请设置密码';
  return firstMessage(v.safeParse(newPasswordSchema, value));
}

export function checkGivenPassword(value: string): string | undefined {
  return value === '' ? '请填写密码' : undefined;
}

/** Shows enough of the ID for the person to recognise it, and not enough for an onlooker to copy it. */
export function maskIdNumber(idNumber: string): string {
  const id = normalizedIdNumber(idNumber);
  return id.length <= 8 ? id : `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}
