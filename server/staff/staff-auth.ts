/**
 * Who is calling a staff route: a staff or employer account by its own cookie (never the applicant's),
 * or a machine client by `Authorization: Bearer <token>`. Both are looked up on every request, so a
 * disabled account, an ended session or a revoked token is refused at once.
 */
import { randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { recordAudit, clientAddress } from '../audit/audit.ts';
import { useApiToken } from '../db/api-tokens-store.ts';
import type { Storage } from '../db/database.ts';
import { findStaffById } from '../db/staff-accounts-store.ts';
import { createStaffSession, deleteStaffSession, touchStaffSession } from '../db/staff-sessions-store.ts';
import { errorResponse } from '../http/errors.ts';
import type { StaffAccount, StaffRole } from './staff-account.ts';
import { overHttps } from '../http/forwarded.ts';

export type { StaffRole };

export type StaffPrincipal =
  | { kind: 'staff'; id: string; username: string; role: StaffRole; uscc?: string }
  | { kind: 'token'; id: string; name: string };

export type StaffEnv = { Variables: { staff: StaffPrincipal } };

export interface RequireStaffOptions {
  /** Accounts of these roles only; any role when absent. */
  roles?: StaffRole[];
  /** Machine clients may call (read-only routes); else a token is answered 403. */
  allowToken?: boolean;
  /** The time, injectable so tests can let sessions run out. */
  clock?: () => Date;
}

/**
 * HttpOnly so no script reads it; SameSite=Strict; scoped to the API (staff routes under /api/staff,
 * employers' under /api/employer), never sent with the app's pages. Applicant routes ignore it.
 */
export const STAFF_COOKIE = 'jl_staff';
export const STAFF_COOKIE_PATH = '/api';
export const STAFF_IDLE_MS = 30 * 60 * 1000;
export const STAFF_SESSION_MS = 8 * 60 * 60 * 1000;

export const NOT_SIGNED_IN = '请先登录';
export const NOT_ALLOWED = '无权进行此操作';

const systemClock = () => new Date();

function cookieOptions(c: Context) {
  // Behind nginx the request arrives as http://; the trusted proxy's X-Forwarded-Proto says how it came.
  const secure = overHttps(c);
  return { httpOnly: true, sameSite: 'Strict' as const, secure, path: STAFF_COOKIE_PATH };
}

export function principalOf(account: StaffAccount): StaffPrincipal {
  return {
    kind: 'staff',
    id: account.id,
    username: account.username,
    role: account.role,
    ...(account.uscc === undefined ? {} : { uscc: account.uscc }),
  };
}

/** Starts a session for the account and sets the staff cookie; a previous one of this browser ends. */
export async function issueStaffSession(c: Context, storage: Storage, staffId: string, now: Date): Promise<void> {
  const previous = getCookie(c, STAFF_COOKIE);
  if (previous) await deleteStaffSession(storage.db, previous);
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + STAFF_SESSION_MS);
  await createStaffSession(storage.db, { token, staffId, expiresAt, now });
  // Max-Age rather than Expires: the browser's clock need not agree with ours.
  setCookie(c, STAFF_COOKIE, token, { ...cookieOptions(c), maxAge: STAFF_SESSION_MS / 1000 });
}

/** Ends this request's staff session, if any, and clears its cookie. */
export async function endStaffSession(c: Context, storage: Storage): Promise<void> {
  const token = getCookie(c, STAFF_COOKIE);
  if (token) await deleteStaffSession(storage.db, token);
  deleteCookie(c, STAFF_COOKIE, cookieOptions(c));
}

/** The signed-in, enabled staff account of this request, its idle clock restarted; else undefined. */
export async function currentStaff(c: Context, storage: Storage, now: Date): Promise<StaffAccount | undefined> {
  const token = getCookie(c, STAFF_COOKIE);
  if (!token) return undefined;
  const session = await touchStaffSession(storage.db, token, { now, idleSince: new Date(now.getTime() - STAFF_IDLE_MS) });
  if (!session) return undefined;
  const account = await findStaffById(storage.db, session.staffId);
  return account && account.disabledAt === undefined ? account : undefined;
}

function bearerToken(c: Context): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
  return match?.[1];
}

/**
 * Lets the request through for a staff principal allowed here; handlers read `c.get('staff')`.
 * Anonymous (an applicant's cookie included) → 401; a role not listed, or a token where tokens may not
 * call → 403. Each token call is audited, refused or not.
 */
export function requireStaff(storage: Storage, options: RequireStaffOptions = {}): MiddlewareHandler<StaffEnv> {
  const clock = options.clock ?? systemClock;
  return async (c, next) => {
    const now = clock();
    const bearer = bearerToken(c);
    if (bearer !== undefined) {
      const token = await useApiToken(storage.db, bearer, now);
      if (!token) return errorResponse(c, 401, NOT_SIGNED_IN);
      const principal: StaffPrincipal = { kind: 'token', id: token.id, name: token.name };
      const allowed = options.allowToken === true;
      await recordAudit(storage.db, {
        principal,
        action: allowed ? 'token.use' : 'token.refused',
        subject: `route:${c.req.method} ${c.req.path}`,
        address: clientAddress(c),
        at: now,
      });
      if (!allowed) return errorResponse(c, 403, NOT_ALLOWED);
      c.set('staff', principal);
      return next();
    }
    const account = await currentStaff(c, storage, now);
    if (!account) return errorResponse(c, 401, NOT_SIGNED_IN);
    if (options.roles && !options.roles.includes(account.role)) return errorResponse(c, 403, NOT_ALLOWED);
    c.set('staff', principalOf(account));
    return next();
  };
}
