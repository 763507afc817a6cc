import { Hono } from 'hono';
import { findAccountByIdNumber } from '../db/accounts-store.ts';
import type { Storage } from '../db/database.ts';
import { readJson } from '../http/json-body.ts';
import { identityCheckSchema } from './account-schemas.ts';
import { type ClientAddress, limitExceeded, limitKey, MINUTE_MS, type RateLimitRule, socketAddress } from './rate-limit.ts';

export interface IdentityCheckLimits {
  perIp: RateLimitRule;
  /** Stops one ID number being tried against many names from many addresses. */
  perIdNumber: RateLimitRule;
}

export const IDENTITY_CHECK_LIMITS: IdentityCheckLimits = {
  perIp: { limit: 30, windowMs: 10 * MINUTE_MS },
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
  const clientAddress = options.clientAddress ?? socketAddress;
  return new Hono().post('/', async (c) => {
    const byIp = await limitExceeded(c, storage, limitKey('identity-check', 'ip', clientAddress(c)), limits.perIp);
    if (byIp) return byIp;
    const body = await readJson(c, identityCheckSchema);
    if (!body.ok) return body.response;
    const { name, idNumber } = body.value;
    const byId = await limitExceeded(c, storage, limitKey('identity-check', 'id', idNumber), limits.perIdNumber);
    if (byId) return byId;
    return c.json({ registered: await isRegistered(storage, name, idNumber) });
  });
}
