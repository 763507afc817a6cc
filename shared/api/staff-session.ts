/**
 * The staff side's sign-in and audit: POST/GET/DELETE /api/staff/session (登录, 当前账号, 退出),
 * POST /api/staff/password (修改一次性密码并登录), GET /api/staff/audit and its CSV.
 */
import * as v from 'valibot';
import { newPasswordSchema } from '../password-rules.ts';

export const STAFF_SIGN_IN_FAILED_MESSAGE = '用户名、密码或动态验证码不正确';
export const PASSWORD_CHANGE_REQUIRED_MESSAGE = '首次登录须先修改一次性密码';

const labels: Record<string, string> = { username: '用户名', password: '密码', newPassword: '新密码', code: '动态验证码' };

function staffObjectMessage(issue: v.ObjectIssue): string {
  const key = issue.path?.[0]?.key;
  if (issue.input === undefined && typeof key === 'string' && key in labels) return `请填写${labels[key]}`;
  return '提交的信息格式不正确';
}

const usernameSchema = v.pipe(v.string('请填写用户名'), v.nonEmpty('请填写用户名'), v.maxLength(64, STAFF_SIGN_IN_FAILED_MESSAGE));
// The creation rule is not applied to a given password: "wrong" is the only answer sign-in gives.
const givenPasswordSchema = v.pipe(v.string('请填写密码'), v.nonEmpty('请填写密码'), v.maxLength(256, STAFF_SIGN_IN_FAILED_MESSAGE));
const codeSchema = v.pipe(v.string('请填写动态验证码'), v.regex(/^\d{6}$/, '动态验证码应为6位数字'));

export const staffSignInRequestSchema = v.object(
  { username: usernameSchema, password: givenPasswordSchema, code: codeSchema },
  staffObjectMessage,
);

export const staffPasswordChangeRequestSchema = v.object(
  { username: usernameSchema, password: givenPasswordSchema, newPassword: newPasswordSchema, code: codeSchema },
  staffObjectMessage,
);

export const staffRoleSchema = v.pipe(v.picklist(['reviewer', 'admin', 'employer']), v.description('角色：审核人员、管理员、聘用单位'));

export const staffViewSchema = v.pipe(
  v.object({
    username: v.pipe(v.string(), v.description('用户名')),
    role: staffRoleSchema,
    uscc: v.optional(v.pipe(v.string(), v.description('聘用单位的统一社会信用代码'))),
    enterpriseName: v.optional(v.pipe(v.string(), v.description('聘用单位名称'))),
  }),
  v.description('当前登录的工作人员或聘用单位账号'),
);

export const staffSessionAnswerSchema = v.object({ staff: staffViewSchema });

/** 403 to a one-time password: sign in through POST /api/staff/password instead. */
export const passwordChangeRequiredSchema = v.object({
  error: v.pipe(v.string(), v.description('中文提示')),
  passwordChangeRequired: v.literal(true),
});

export const AUDIT_PAGE_MAX = 200;

const timestampQuery = (label: string) => v.optional(v.pipe(v.string(), v.isoTimestamp(`${label}应为 ISO 8601 时间`), v.transform((s) => new Date(s))));

export const auditQuerySchema = v.object({
  from: timestampQuery('from'),
  to: timestampQuery('to'),
  action: v.optional(v.pipe(v.string(), v.regex(/^[a-z][a-z0-9.-]{0,63}$/, 'action 格式不正确'))),
  submission: v.optional(v.pipe(v.string(), v.uuid('submission 应为申请编号（UUID）'))),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(200, 'cursor 无效'))),
  limit: v.optional(
    v.pipe(v.string(), v.regex(/^\d{1,3}$/, `limit 应为 1–${AUDIT_PAGE_MAX}`), v.transform(Number), v.minValue(1, `limit 应为 1–${AUDIT_PAGE_MAX}`), v.maxValue(AUDIT_PAGE_MAX, `limit 应为 1–${AUDIT_PAGE_MAX}`)),
    '50',
  ),
});

export const auditEntrySchema = v.object({
  id: v.string(),
  at: v.pipe(v.string(), v.isoTimestamp(), v.description('时间')),
  actor: v.pipe(v.string(), v.description('操作者：staff:<id>、token:<id> 或 account:<id>')),
  actorRole: v.pipe(v.nullable(v.string()), v.description('角色：reviewer、admin、employer、token、applicant')),
  organisation: v.pipe(v.nullable(v.string()), v.description('聘用单位统一社会信用代码或接入系统名称')),
  action: v.pipe(v.string(), v.description('操作')),
  subject: v.pipe(v.string(), v.description('对象，如 submission:<id>')),
  address: v.pipe(v.nullable(v.string()), v.description('来源地址')),
});

export const auditPageSchema = v.object({
  entries: v.array(auditEntrySchema),
  nextCursor: v.pipe(v.nullable(v.string()), v.description('下一页的 cursor；为 null 表示已到末尾')),
});

export type StaffSignInRequest = v.InferInput<typeof staffSignInRequestSchema>;
export type StaffPasswordChangeRequest = v.InferInput<typeof staffPasswordChangeRequestSchema>;
export type StaffView = v.InferOutput<typeof staffViewSchema>;
export type StaffSessionAnswer = v.InferOutput<typeof staffSessionAnswerSchema>;
export type AuditEntryView = v.InferOutput<typeof auditEntrySchema>;
export type AuditPage = v.InferOutput<typeof auditPageSchema>;
