import { Hono } from 'hono';
import { accountAnswerSchema, duplicateAccountSchema, registrationRequestSchema } from '../../shared/api/accounts.ts';
import type { Storage } from '../db/database.ts';
import { validate } from '../http/validate.ts';
import { describeRoute, errorResponses, SET_SESSION_COOKIE_HEADER } from '../openapi/describe-route.ts';
import { toAccountView } from './account-view.ts';
import { type ClientAddress, limitByAddress, MINUTE_MS, type RateLimitRule, clientAddress as proxiedClientAddress } from './rate-limit.ts';
import { registerAccount } from './registration.ts';
import { issueSession } from './session.ts';

export interface RegistrationLimits {
  perIp: RateLimitRule;
}

// Generous enough for an office behind one NAT address, tight enough to stop bulk sign-ups.
export const REGISTRATION_LIMITS: RegistrationLimits = {
  perIp: { limit: 20, windowMs: 60 * MINUTE_MS },
};

export interface AccountRoutesOptions {
  limits?: Partial<RegistrationLimits>;
  clientAddress?: ClientAddress;
}

export const DUPLICATE_ACCOUNT_MESSAGE = '该身份证号码已注册，请直接登录';

/** 用户注册: creates the account and signs the person in. */
export function accountRoutes(storage: Storage, options: AccountRoutesOptions = {}) {
  const limits = { ...REGISTRATION_LIMITS, ...options.limits };
  const clientAddress = options.clientAddress ?? proxiedClientAddress;
  return new Hono().post(
    '/',
    describeRoute({
      operationId: 'register',
      summary: '用户注册',
      description: '创建账号并直接登录（设置会话 Cookie）。密码至少 8 位，须同时包含字母和数字。',
      tags: ['账号与登录'],
      security: 'public',
      responses: {
        201: { description: '注册成功，已登录', schema: accountAnswerSchema, headers: SET_SESSION_COOKIE_HEADER },
        409: { description: '该身份证号码已注册', schema: duplicateAccountSchema },
        ...errorResponses(429),
      },
    }),
    limitByAddress(storage, 'registration', limits.perIp, clientAddress),
    validate('json', registrationRequestSchema),
    async (c) => {
      const result = await registerAccount(storage, c.req.valid('json'));
      if (!result.ok) return c.json({ error: DUPLICATE_ACCOUNT_MESSAGE, code: 'duplicate' as const }, 409);
      await issueSession(c, storage, result.account.id);
      return c.json({ account: await toAccountView(storage, result.account) }, 201);
    },
  );
}
