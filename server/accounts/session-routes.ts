import { Hono } from 'hono';
import { sessionAnswerSchema, SIGN_IN_FAILED_MESSAGE, signInRequestSchema } from '../../shared/api/session.ts';
import type { Storage } from '../db/database.ts';
import { errorResponse } from '../http/errors.ts';
import { validate } from '../http/validate.ts';
import { describeRoute, errorResponses, SET_SESSION_COOKIE_HEADER } from '../openapi/describe-route.ts';
import { toAccountView } from './account-view.ts';
import { type ClientAddress, limitByAddress, limitExceeded, limitKey, MINUTE_MS, type RateLimitRule, clientAddress as proxiedClientAddress } from './rate-limit.ts';
import { endSession, issueSession, requireAccount } from './session.ts';
import { prepareDummyHash } from './password-hash.ts';
import { authenticate } from './sign-in.ts';

export interface SignInLimits {
  perIp: RateLimitRule;
  /** Stops password guessing on one account from many addresses. */
  perIdNumber: RateLimitRule;
}

export const SIGN_IN_LIMITS: SignInLimits = {
  perIp: { limit: 30, windowMs: 10 * MINUTE_MS },
  perIdNumber: { limit: 10, windowMs: 10 * MINUTE_MS },
};

export interface SessionRoutesOptions {
  limits?: Partial<SignInLimits>;
  clientAddress?: ClientAddress;
}

export { SIGN_IN_FAILED_MESSAGE };

/** Sign in (POST), who am I (GET), sign out (DELETE). */
export function sessionRoutes(storage: Storage, options: SessionRoutesOptions = {}) {
  const limits = { ...SIGN_IN_LIMITS, ...options.limits };
  const clientAddress = options.clientAddress ?? proxiedClientAddress;
  prepareDummyHash();
  return new Hono()
    .post(
      '/',
      describeRoute({
        operationId: 'signIn',
        summary: '登录',
        tags: ['账号与登录'],
        security: 'public',
        responses: {
          200: { description: '登录成功', schema: sessionAnswerSchema, headers: SET_SESSION_COOKIE_HEADER },
          ...errorResponses(401, 429),
        },
      }),
      limitByAddress(storage, 'sign-in', limits.perIp, clientAddress),
      validate('json', signInRequestSchema),
      async (c) => {
        const { idNumber, password } = c.req.valid('json');
        const byId = await limitExceeded(c, storage, limitKey('sign-in', 'id', idNumber), limits.perIdNumber);
        if (byId) return byId;
        const account = await authenticate(storage, idNumber, password);
        if (!account) return errorResponse(c, 401, SIGN_IN_FAILED_MESSAGE);
        await issueSession(c, storage, account.id);
        return c.json({ account: await toAccountView(storage, account) }, 200);
      },
    )
    .get(
      '/',
      describeRoute({
        operationId: 'getSession',
        summary: '当前登录账号',
        tags: ['账号与登录'],
        security: 'session',
        responses: { 200: { description: '当前账号', schema: sessionAnswerSchema } },
      }),
      requireAccount(storage),
      async (c) => c.json({ account: await toAccountView(storage, c.get('account')) }, 200),
    )
    .delete(
      '/',
      describeRoute({
        operationId: 'signOut',
        summary: '退出登录',
        description: '结束本次会话并清除 Cookie；未登录时同样成功。',
        tags: ['账号与登录'],
        security: 'public',
        responses: { 204: { description: '已退出' } },
      }),
      async (c) => {
        await endSession(c, storage);
        return c.body(null, 204);
      },
    );
}
