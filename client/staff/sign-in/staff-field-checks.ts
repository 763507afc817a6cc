/** Checks of the sign-in fields, taken from the request schemas the server validates with. */
import * as v from 'valibot';
import { staffSignInRequestSchema } from '../../../shared/api/staff-session.ts';

function messageOf(schema: v.GenericSchema, value: string): string | undefined {
  const result = v.safeParse(schema, value);
  return result.success ? undefined : result.issues[0]?.message;
}

export const checkUsername = (value: string) => messageOf(staffSignInRequestSchema.entries.username, value.trim());
/** What an authenticator app shows: six digits, typed or pasted with spaces. */
export const normalizedCode = (value: string) => value.replace(/\s+/g, '');
export const checkCode = (value: string) => messageOf(staffSignInRequestSchema.entries.code, normalizedCode(value));

export const SIGN_IN_OFFLINE = '登录需要联网，请检查网络后重试。';
