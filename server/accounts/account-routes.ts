import { Hono } from 'hono';
import type { Storage } from '../db/database.ts';
import { readJson } from '../http/json-body.ts';
import { registrationSchema } from './account-schemas.ts';
import { toAccountView } from './account-view.ts';
import { type ClientAddress, limitExceeded, limitKey, MINUTE_MS, type RateLimitRule, socketAddress } from './rate-limit.ts';
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
  const clientAddress = options.clientAddress ?? socketAddress;
  return new Hono().post('/', async (c) => {
    const byIp = await limitExceeded(c, storage, limitKey('registration', 'ip', clientAddress(c)), limits.perIp);
    if (byIp) return byIp;
    const body = await readJson(c, registrationSchema);
    if (!body.ok) return body.response;
    const result = await registerAccount(storage, body.value);
    if (!result.ok) return c.json({ error: DUPLICATE_ACCOUNT_MESSAGE, code: 'duplicate' as const }, 409);
    await issueSession(c, storage, result.account.id);
    return c.json({ account: await toAccountView(storage, result.account) }, 201);
  });
}
