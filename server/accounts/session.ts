import { randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Account } from './account.ts';
import type { Storage } from '../db/database.ts';
import { createSession, deleteSession, findAccountBySessionToken } from '../db/sessions-store.ts';
import { errorResponse } from '../http/errors.ts';
import { overHttps } from '../http/forwarded.ts';

/** HttpOnly so no script can read it; SameSite=Lax so other sites cannot post with it. */
export const SESSION_COOKIE = 'jl_session';
const SESSION_DAYS = 30;

export type SignedIn = { Variables: { account: Account } };

function cookieOptions(c: Context) {
  // Behind nginx the request arrives as http://; the trusted proxy's X-Forwarded-Proto says how it came.
  const secure = overHttps(c);
  return { httpOnly: true, sameSite: 'Lax' as const, secure, path: '/api' };
}

/** Starts a session for the account and sets its cookie. */
export async function issueSession(c: Context, storage: Storage, accountId: string): Promise<void> {
  // A fresh sign-in replaces whatever session this browser had, so an old token does not linger.
  const previous = getCookie(c, SESSION_COOKIE);
  if (previous) await deleteSession(storage.db, previous);
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 24 * 3600 * 1000);
  await createSession(storage.db, { token, accountId, expiresAt });
  setCookie(c, SESSION_COOKIE, token, { ...cookieOptions(c), expires: expiresAt });
}

/** Ends the session of this request, if any, and clears its cookie. */
export async function endSession(c: Context, storage: Storage): Promise<void> {
  const token = getCookie(c, SESSION_COOKIE);
  if (token) await deleteSession(storage.db, token);
  deleteCookie(c, SESSION_COOKIE, cookieOptions(c));
}

/** The signed-in account of this request, or undefined. */
export async function currentAccount(c: Context, storage: Storage): Promise<Account | undefined> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return undefined;
  return findAccountBySessionToken(storage.db, token);
}

/** Lets the request through only when signed in; handlers then read `c.get('account')`. */
export function requireAccount(storage: Storage): MiddlewareHandler<SignedIn> {
  return async (c, next) => {
    const account = await currentAccount(c, storage);
    if (!account) return errorResponse(c, 401, '请先登录');
    c.set('account', account);
    await next();
  };
}
