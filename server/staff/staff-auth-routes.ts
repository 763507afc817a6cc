import { type Context, Hono } from 'hono';
import {
  PASSWORD_CHANGE_REQUIRED_MESSAGE,
  passwordChangeRequiredSchema,
  STAFF_SIGN_IN_FAILED_MESSAGE,
  staffPasswordChangeRequestSchema,
  staffSessionAnswerSchema,
  staffSignInRequestSchema,
} from '../../shared/api/staff-session.ts';
import { limitByAddress, MINUTE_MS, type ClientAddress, type RateLimitRule } from '../accounts/rate-limit.ts';
import { auditRoutes } from '../audit/audit-routes.ts';
import { clientAddress as socketClientAddress } from '../audit/audit.ts';
import type { Storage } from '../db/database.ts';
import { findEnterprise } from '../db/enterprises-store.ts';
import { errorResponse } from '../http/errors.ts';
import { validate } from '../http/validate.ts';
import { describeRoute, errorResponses, errorSpec, RETRY_AFTER_HEADER } from '../openapi/describe-route.ts';
import type { StaffAccount } from './staff-account.ts';
import { endStaffSession, issueStaffSession, requireStaff, STAFF_COOKIE } from './staff-auth.ts';
import { prepareDummyHash } from '../accounts/password-hash.ts';
import { changeStaffPassword, lockedMessage, type PasswordChangeResult, SAME_PASSWORD_MESSAGE, signInStaff } from './staff-sign-in.ts';

export interface StaffAuthRoutesOptions {
  /** Attempts per client address, successful or not (the account lock counts failures). */
  signInLimit?: RateLimitRule;
  clientAddress?: ClientAddress;
  /** The time, injectable so tests can let sessions and locks run out. */
  clock?: () => Date;
}

export const STAFF_SIGN_IN_LIMIT: RateLimitRule = { limit: 30, windowMs: 10 * MINUTE_MS };

const TAGS = ['工作人员登录与审计'];
const SET_STAFF_COOKIE = { 'Set-Cookie': { description: `工作人员登录凭据 ${STAFF_COOKIE}（HttpOnly，SameSite=Strict，Path=/api）` } };

const signInResponses = {
  200: { description: '登录成功', schema: staffSessionAnswerSchema, headers: SET_STAFF_COOKIE },
  401: errorSpec('用户名、密码或动态验证码不正确（不区分哪一项），或动态验证码已使用过'),
  429: errorSpec('尝试过于频繁，或连续失败 5 次后账号锁定 15 分钟', RETRY_AFTER_HEADER),
};

async function staffView(storage: Storage, account: Pick<StaffAccount, 'username' | 'role' | 'uscc'>) {
  const enterprise = account.uscc === undefined ? undefined : await findEnterprise(storage.db, account.uscc);
  return {
    username: account.username,
    role: account.role,
    ...(account.uscc === undefined ? {} : { uscc: account.uscc }),
    ...(enterprise ? { enterpriseName: enterprise.name } : {}),
  };
}

/**
 * Sign-in (POST /session), who am I (GET), sign-out (DELETE), the first password change (POST
 * /password), and the audit (admins).
 */
export function staffAuthRoutes(storage: Storage, options: StaffAuthRoutesOptions = {}) {
  const clock = options.clock ?? (() => new Date());
  const address = options.clientAddress ?? socketClientAddress;
  const limited = limitByAddress(storage, 'staff-sign-in', options.signInLimit ?? STAFF_SIGN_IN_LIMIT, address);
  prepareDummyHash();

  async function answer(c: Context, result: PasswordChangeResult, now: Date) {
    switch (result.kind) {
      case 'signed-in':
        await issueStaffSession(c, storage, result.account.id, now);
        return c.json({ staff: await staffView(storage, result.account) }, 200);
      case 'password-change-required':
        return c.json({ error: PASSWORD_CHANGE_REQUIRED_MESSAGE, passwordChangeRequired: true as const }, 403);
      case 'locked':
        c.header('Retry-After', String(Math.max(1, Math.ceil((Date.parse(result.until) - now.getTime()) / 1000))));
        return errorResponse(c, 429, lockedMessage(result.until));
      case 'same-password':
        return errorResponse(c, 400, SAME_PASSWORD_MESSAGE);
      case 'failed':
        return errorResponse(c, 401, STAFF_SIGN_IN_FAILED_MESSAGE);
    }
  }

  return new Hono()
    .post(
      '/session',
      describeRoute({
        operationId: 'staffSignIn',
        summary: '工作人员登录',
        description: '用户名、密码与动态验证码（TOTP）。每个验证码只能使用一次；一次性密码须先通过 /staff/password 修改。',
        tags: TAGS,
        security: 'public',
        responses: {
          ...signInResponses,
          403: { description: '密码为一次性密码，须先修改', schema: passwordChangeRequiredSchema },
        },
      }),
      limited,
      validate('json', staffSignInRequestSchema),
      async (c) => {
        const now = clock();
        return answer(c, await signInStaff(storage, c.req.valid('json'), now, address(c)), now);
      },
    )
    .post(
      '/password',
      describeRoute({
        operationId: 'staffChangePassword',
        summary: '工作人员修改密码并登录',
        description: '首次登录时以一次性密码、动态验证码设置新密码（规则与申请人相同），成功即登录；其他会话随之结束。',
        tags: TAGS,
        security: 'public',
        responses: { ...signInResponses, ...errorResponses(400) },
      }),
      limited,
      validate('json', staffPasswordChangeRequestSchema),
      async (c) => {
        const now = clock();
        return answer(c, await changeStaffPassword(storage, c.req.valid('json'), now, address(c)), now);
      },
    )
    .get(
      '/session',
      describeRoute({
        operationId: 'getStaffSession',
        security: 'staff',
        summary: '当前登录的工作人员',
        tags: TAGS,
        responses: { 200: { description: '当前账号', schema: staffSessionAnswerSchema }, ...errorResponses(401, 403) },
      }),
      requireStaff(storage, { clock }),
      async (c) => {
        const staff = c.get('staff');
        // requireStaff without allowToken lets accounts only through.
        if (staff.kind !== 'staff') return errorResponse(c, 401, STAFF_SIGN_IN_FAILED_MESSAGE);
        return c.json({ staff: await staffView(storage, staff) }, 200);
      },
    )
    .delete(
      '/session',
      describeRoute({
        operationId: 'staffSignOut',
        summary: '工作人员退出登录',
        description: '结束本次会话并清除 Cookie；未登录时同样成功。',
        tags: TAGS,
        security: 'public',
        responses: { 204: { description: '已退出' } },
      }),
      async (c) => {
        await endStaffSession(c, storage);
        return c.body(null, 204);
      },
    )
    .route('/', auditRoutes(storage, { clock }));
}
