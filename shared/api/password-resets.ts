/** 忘记密码: POST /api/password-resets, then its face check and its new password. */
import * as v from 'valibot';
import { newPasswordSchema } from '../password-rules.ts';
import { accountObjectMessage } from './accounts.ts';
import { identityCheckRequestSchema } from './identity-checks.ts';

/** Who says they forgot: the same two fields as 身份核验. */
export const passwordResetRequestSchema = identityCheckRequestSchema;

/** A reset id is 32 random bytes, base64url; anything else is answered like an unknown one. */
const resetId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/, '找回密码已失效，请重新开始'));

export const passwordResetParamSchema = v.object({ id: resetId });

export const passwordResetStartedSchema = v.object({
  resetId: v.pipe(v.string(), v.description('本次找回密码的凭据，用于人脸识别和设置新密码；无论身份证号码是否已注册都会给出')),
  expiresAt: v.pipe(v.string(), v.isoTimestamp(), v.description('失效时间')),
});

export const newPasswordRequestSchema = v.object({ password: newPasswordSchema }, accountObjectMessage);

export type PasswordResetRequest = v.InferInput<typeof passwordResetRequestSchema>;
export type PasswordResetStarted = v.InferOutput<typeof passwordResetStartedSchema>;
export type NewPasswordRequest = v.InferInput<typeof newPasswordRequestSchema>;
