import { Hono } from 'hono';
import { identityCheckAnswerSchema, identityCheckRequestSchema } from '../../shared/api/identity-checks.ts';
import { findAccountByIdNumber } from '../db/accounts-store.ts';
import type { Storage } from '../db/database.ts';
import { validate } from '../http/validate.ts';
import { describeRoute, errorResponses } from '../openapi/describe-route.ts';
import { type ClientAddress, limitByAddress, limitExceeded, limitKey, MINUTE_MS, type RateLimitRule, clientAddress as proxiedClientAddress } from './rate-limit.ts';

export interface IdentityCheckLimits {
  perIp: RateLimitRule;
  /** Stops one ID number being tried against many names from many addresses. */
  perIdNumber: RateLimitRule;
}

export const IDENTITY_CHECK_LIMITS: IdentityCheckLimits = {
  perIp: { limit: 60, windowMs: 10 * MINUTE_MS },
  perIdNumber: { limit: 10, windowMs: 10 * MINUTE_MS },
};

export interface IdentityCheckOptions {
  limits?: Partial<IdentityCheckLimits>;
  clientAddress?: ClientAddress;
}

/** 身份核验: is there an account with this ID number and this name? */
export async function isRegistered(storage: Storage, name: string, idNumber: string): Promise<boolean> {
  const account = await findAccountByIdNumber(storage.db, idNumber);
  // An unknown ID and a name mismatch give the same answer, so the check cannot confirm an ID alone.
  return account !== undefined && account.name === name;
}

export function identityCheckRoutes(storage: Storage, options: IdentityCheckOptions = {}) {
  const limits = { ...IDENTITY_CHECK_LIMITS, ...options.limits };
  const clientAddress = options.clientAddress ?? proxiedClientAddress;
  return new Hono().post(
    '/',
    describeRoute({
      operationId: 'checkIdentity',
      summary: '身份核验：查询是否已注册',
      description: '姓名与身份证号码均须与已注册账号一致才返回 registered: true；不一致与未注册的回答相同。',
      tags: ['账号与登录'],
      security: 'public',
      responses: { 200: { description: '核验结果', schema: identityCheckAnswerSchema }, ...errorResponses(429) },
    }),
    limitByAddress(storage, 'identity-check', limits.perIp, clientAddress),
    validate('json', identityCheckRequestSchema),
    async (c) => {
      const { name, idNumber } = c.req.valid('json');
      const byId = await limitExceeded(c, storage, limitKey('identity-check', 'id', idNumber), limits.perIdNumber);
      if (byId) return byId;
      return c.json({ registered: await isRegistered(storage, name, idNumber) }, 200);
    },
  );
}
