/**
 * GET /api/me/data (我的信息: everything kept about the signed-in person, PIPL Arts. 44–45) and
 * POST /api/me/closure (注销账号, Art. 47). The device shows the answer and saves it, as it is, as the
 * person's download.
 */
import * as v from 'valibot';
import { REVIEW_DECISION_LABELS, type ReviewDecision } from '../review/workflow.ts';
import { submissionStatusSchema } from './submissions.ts';

/** The error texts of these endpoints. */
export const myDataMessages = {
  faceRequired: '注销账号前请先完成人脸识别（10 分钟内有效）',
  /** Names the applications still in progress, by 申请编号 and status. */
  inProgress: (applications: readonly { receiptNumber: string; statusLabel: string }[]) =>
    `申请 ${applications.map((a) => `${a.receiptNumber}（${a.statusLabel}）`).join('、')} 正在办理中，办结或撤回后才能注销账号`,
} as const;

/** Shown beside 注销账号 and returned with the closure: what stays, and why. */
export const KEPT_AFTER_CLOSING =
  '已办结的申请（含各版本、办理记录和人脸识别结果）以及查阅记录，依照法律法规的要求继续保存，不因注销而删除；账号的手机号码、密码和草稿将被删除。';

/** Who read or decided on an application, as the person is told it: a role, never a name. */
export const ACCESS_ROLES = ['reviewer', 'admin', 'employer', 'token', 'staff'] as const;
export type AccessRole = (typeof ACCESS_ROLES)[number];

export const accessRoleLabels: Readonly<Record<AccessRole, string>> = {
  reviewer: '审查人员',
  admin: '管理员',
  employer: '受聘单位',
  token: '对接系统',
  staff: '工作人员',
};


/** The audit's action (`submission.read`, `submission.decision.accept`, …) in words for the person. */
export function accessActionLabel(action: string): string {
  if (action === 'submission.read') return '查看了申请';
  if (action === 'submission.confirmation.confirm') return '确认了聘用关系';
  if (action === 'submission.confirmation.decline') return '未确认聘用关系';
  const decision = /^submission\.decision\.(.+)$/.exec(action)?.[1];
  if (decision && decision in REVIEW_DECISION_LABELS) return `作出决定：${REVIEW_DECISION_LABELS[decision as ReviewDecision]}`;
  return '处理了申请';
}

const at = (description: string) => v.pipe(v.string(), v.isoTimestamp(), v.description(description));

const accountSchema = v.object({
  name: v.pipe(v.string(), v.description('姓名')),
  idNumber: v.pipe(v.string(), v.description('证件号码')),
  mobile: v.pipe(v.string(), v.description('手机号码')),
  createdAt: at('注册时间'),
});

const versionSchema = v.object({
  version: v.pipe(v.number(), v.integer(), v.minValue(1), v.description('版本：首次提交为 1，每次补正后重新提交加 1')),
  submittedAt: at('该版本的提交时间'),
  bodySha256: v.pipe(v.string(), v.description('该版本内容的 SHA-256')),
  application: v.pipe(v.record(v.string(), v.unknown()), v.description('该版本所提交的申报信息')),
});

const historyEntrySchema = v.object({
  status: submissionStatusSchema,
  statusLabel: v.pipe(v.string(), v.description('状态的中文名称')),
  at: at('状态变化的时间'),
  version: v.pipe(v.number(), v.integer(), v.description('所涉版本')),
  reason: v.optional(v.pipe(v.string(), v.description('决定的理由（不予受理、不予注册等）'))),
});

const applicationSchema = v.object({
  id: v.pipe(v.string(), v.description('申请 id')),
  receiptNumber: v.pipe(v.string(), v.description('申请编号')),
  status: submissionStatusSchema,
  statusLabel: v.pipe(v.string(), v.description('状态的中文名称')),
  submittedAt: at('首次提交时间'),
  versions: v.pipe(v.array(versionSchema), v.description('各版本，最早的在前')),
  history: v.pipe(v.array(historyEntrySchema), v.description('办理记录，最早的在前')),
});

const faceCheckSchema = v.object({
  result: v.pipe(v.picklist(['pass', 'fail']), v.description('pass 通过；fail 未通过')),
  at: at('识别时间'),
});

const noticeSchema = v.pipe(
  v.object({
    submissionId: v.pipe(v.string(), v.description('所涉申请 id')),
    event: v.pipe(v.string(), v.description('received 已收到申请；correction_requested 需补正；decision 作出决定')),
    text: v.pipe(v.string(), v.description('短信内容（只含申请编号和简短状态）')),
    state: v.pipe(v.string(), v.description('pending 待发送；sent 已发送；failed 发送失败')),
    createdAt: at('生成时间'),
    sentAt: v.pipe(v.nullable(v.pipe(v.string(), v.isoTimestamp())), v.description('发送时间；尚未发送为 null')),
  }),
  v.description('发给本人的短信通知'),
);

/** How a notice's state reads in 我的信息. */
export const noticeStateLabels: Readonly<Record<string, string>> = { pending: '待发送', sent: '已发送', failed: '发送失败' };

const accessEntrySchema = v.object({
  at: at('时间'),
  role: v.pipe(v.picklist(ACCESS_ROLES), v.description('身份：reviewer 审查人员；admin 管理员；employer 受聘单位；token 对接系统；staff 工作人员')),
  roleLabel: v.pipe(v.string(), v.description('身份的中文名称')),
  organisation: v.pipe(v.nullable(v.string()), v.description('受聘单位的统一社会信用代码，或对接系统的名称')),
  action: v.pipe(v.string(), v.description('审计记录的操作，如 submission.read、submission.decision.accept')),
  actionLabel: v.pipe(v.string(), v.description('操作的中文说明')),
  submissionId: v.pipe(v.string(), v.description('所涉申请 id')),
  receiptNumber: v.pipe(v.string(), v.description('所涉申请编号')),
});

/** GET /api/me/data. */
export const myDataSchema = v.pipe(
  v.object({
    exportedAt: at('导出时间'),
    account: accountSchema,
    applications: v.pipe(v.array(applicationSchema), v.description('本人的申请，最新的在前')),
    faceChecks: v.pipe(v.array(faceCheckSchema), v.description('人脸识别记录（只有结果和时间，不保存图像），最新的在前')),
    notices: v.pipe(v.array(noticeSchema), v.description('发给本人的通知，最新的在前')),
    accessLog: v.pipe(v.array(accessEntrySchema), v.description('谁查看了我的申请：工作人员、受聘单位或对接系统的每次查阅和办理，最新的在前')),
  }),
  v.description('本服务保存的有关本人的全部信息'),
);

/** POST /api/me/closure answers this once the account is closed. */
export const closureAnswerSchema = v.object({
  closedAt: at('注销时间'),
  keptApplications: v.pipe(v.number(), v.integer(), v.minValue(0), v.description('依法继续保存的已办结申请数')),
  kept: v.pipe(v.string(), v.description('继续保存的内容及理由')),
});

export type MyData = v.InferOutput<typeof myDataSchema>;
export type MyApplication = MyData['applications'][number];
export type AccessEntry = v.InferOutput<typeof accessEntrySchema>;
export type FaceCheck = v.InferOutput<typeof faceCheckSchema>;
export type Notice = v.InferOutput<typeof noticeSchema>;
export type ClosureAnswer = v.InferOutput<typeof closureAnswerSchema>;
