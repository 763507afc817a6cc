/** Checks of the sign-in fields, taken from the request schemas the server validates with. */
import type { TemplateResult } from 'lit';
import * as v from 'valibot';
import { staffSignInRequestSchema } from '../../../shared/api/staff-session.ts';
import { type TextFieldOptions, textField } from '../../components/form-field.ts';

function messageOf(schema: v.GenericSchema, value: string): string | undefined {
  const result = v.safeParse(schema, value);
  return result.success ? undefined : result.issues[0]?.message;
}

export const checkUsername = (value: string) => messageOf(staffSignInRequestSchema.entries.username, value.trim());
/** What an authenticator app shows: six digits, typed or pasted with spaces. */
export const normalizedCode = (value: string) => value.replace(/\s+/g, '');
export const checkCode = (value: string) => messageOf(staffSignInRequestSchema.entries.code, normalizedCode(value));

export const SIGN_IN_OFFLINE = '登录需要联网，请检查网络后重试。';

/** The 动态验证码 field of sign-in and of 设置新密码: digits, and the one-time code autofill. */
export function codeField(binding: Pick<TextFieldOptions, 'id' | 'value' | 'error' | 'onInput' | 'onBlur'>, hint: string): TemplateResult {
  return textField({ ...binding, label: '动态验证码', hint, inputmode: 'numeric', autocomplete: 'one-time-code' });
}
