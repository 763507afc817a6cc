import { Hono } from 'hono';
import type { Storage } from '../db/database.ts';
import { errorResponse } from '../http/errors.ts';
import { readJson } from '../http/json-body.ts';
import { signInSchema } from './account-schemas.ts';
import { toAccountView } from './account-view.ts';
import { type ClientAddress, limitExceeded, limitKey, MINUTE_MS, type RateLimitRule, socketAddress } from './rate-limit.ts';
import { endSession, issueSession, requireAccount } from './session.ts';
import { authenticate, prepareSignIn } from './sign-in.ts';

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

export const SIGN_IN_FAILED_MESSAGE = '身份证号码或密码不正确';

/** Sign in (POST), who am I (GET), sign out (DELETE). */
export function sessionRoutes(storage: Storage, options: SessionRoutesOptions = {}) {
  const limits = { ...SIGN_IN_LIMITS, ...options.limits };
  const clientAddress = options.clientAddress ?? socketAddress;
  prepareSignIn();
  return new Hono()
    .post('/', async (c) => {
      const byIp = await limitExceeded(c, storage, limitKey('sign-in', 'ip', clientAddress(c)), limits.perIp);
      if (byIp) return byIp;
      const body = await readJson(c, signInSchema);
      if (!body.ok) return body.response;
      const { idNumber, password } = body.value;
      const byId = await limitExceeded(c, storage, limitKey('sign-in', 'id', idNumber), limits.perIdNumber);
      if (byId) return byId;
      const account = await authenticate(storage, idNumber, password);
      if (!account) return errorResponse(c, 401, SIGN_IN_FAILED_MESSAGE);
      await issueSession(c, storage, account.id);
      return c.json({ account: await toAccountView(storage, account) }, 200);
    })
    .get('/', requireAccount(storage), async (c) => c.json({ account: await toAccountView(storage, c.get('account')) }, 200))
    .delete('/', async (c) => {
      await endSession(c, storage);
      return c.body(null, 204);
    });
}
