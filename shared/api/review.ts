/**
 * The staff's side of an application after submission: the queue (GET /api/staff/submissions, its CSV),
 * one application with its versions, history and deadlines, the decisions (POST …/decisions), and the
 * employer's list and confirmation (/api/employer/submissions).
 */
import * as v from 'valibot';
import { applicationFieldLabels } from '../application-fields.ts';
import { isIsoDate } from '../calendar-date.ts';
import { REVIEW_DECISIONS } from '../review/workflow.ts';
import { SUBMISSION_STATUSES } from '../submission-status.ts';
import { ATTACHMENT_KINDS } from './attachments.ts';
import { correctionSchema, submissionStatusSchema } from './submissions.ts';

export const reviewMessages = {
  notFound: '未找到该申请',
  attachmentNotFound: '未找到该附件',
  stale: '该申请已有更新的版本，请刷新后再办理',
  illegal: '该申请当前的状态不能进行此操作',
  reasonRequired: '请填写理由',
  correctionsRequired: '请逐项写明需要补正的内容',
  correctionTooLate:
    '已超过收到申请材料之日起 5 个工作日的补正告知期限：依《行政许可法》第三十二条，该申请自收到申请材料之日起即为受理，不能再要求补正',
  badCursor: '翻页参数不正确',
  badDate: '日期应为年-月-日',
  badStatus: '状态不正确',
  badVersion: '版本号不正确',
  badField: '补正的字段不正确',
  duplicateField: '同一字段只能写一条补正意见',
} as const;

const REASON_MAX = 500;
/** 一次性告知: every note at once, one per field; more fields than the application has cannot be meant. */
const CORRECTIONS_MAX = Object.keys(applicationFieldLabels).length;

const submissionId = v.pipe(v.string(), v.description('申请 id'));
const receiptNumber = v.pipe(v.string(), v.description('受理回执编号'));
const timestamp = (description: string) => v.pipe(v.string(), v.isoTimestamp(), v.description(description));
const isoDate = (description: string) =>
  v.pipe(v.string(reviewMessages.badDate), v.check((value) => isIsoDate(value), reviewMessages.badDate), v.description(description));
const version = v.pipe(v.number(), v.integer(), v.minValue(1), v.description('版本号：首次提交为 1，每次补正后重新提交加 1'));
const statusLabel = v.pipe(v.string(), v.description('状态的中文名称'));
const optionalText = (description: string) => v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100), v.description(description)));

/** The fields a 补正 note may name: the application's, by dotted path. */
export const CORRECTABLE_FIELDS = Object.keys(applicationFieldLabels) as (keyof typeof applicationFieldLabels)[];

/** A note as a reviewer writes it: the stored note's shape, naming one of the application's fields. */
export const correctionRequestSchema = v.object({
  ...correctionSchema.entries,
  field: v.pipe(v.picklist(CORRECTABLE_FIELDS, reviewMessages.badField), v.description('需补正的字段（路径）')),
});

// ——— The queue and its export ———

/** The filters of the queue and of its CSV. Dates are days in China (UTC+8), both ends included. */
export const queueFilterSchema = v.object({
  status: v.optional(v.pipe(v.picklist(SUBMISSION_STATUSES, reviewMessages.badStatus), v.description('办理状态'))),
  from: v.optional(isoDate('提交日期不早于（含）')),
  to: v.optional(isoDate('提交日期不晚于（含）')),
  province: optionalText('企业工商注册省份，如 山东省'),
  enterprise: optionalText('企业：统一社会信用代码，或名称中的文字'),
  specialty: optionalText('申请注册专业的代码（专业1 或专业2）'),
});

export const queueQuerySchema = v.object({
  ...queueFilterSchema.entries,
  cursor: v.optional(v.pipe(v.string(), v.maxLength(200), v.description('上一页返回的 nextCursor'))),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,3}$/, '每页条数应为 1–200'),
      v.transform(Number),
      v.minValue(1, '每页条数应为 1–200'),
      v.maxValue(200, '每页条数应为 1–200'),
      v.description('每页条数，默认 50'),
    ),
  ),
});

export const DEADLINE_KINDS = ['correction', 'review', 'publicity'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export const deadlineSchema = v.object({
  kind: v.pipe(v.picklist(DEADLINE_KINDS), v.description('correction 补正告知（5 个工作日）；review 审查（20 个工作日）；publicity 公示（10 个工作日）')),
  label: v.pipe(v.string(), v.description('期限的中文名称')),
  startedOn: isoDate('起算事件之日（期限自次日起算）'),
  due: isoDate('期限届满之日'),
  workingDaysLeft: v.pipe(v.number(), v.integer(), v.description('距届满的工作日数：当日为 0，已逾期为负数')),
  current: v.pipe(v.boolean(), v.description('是否为当前状态下正在计算的期限')),
});

const enterpriseSchema = v.object({
  uscc: v.nullable(v.pipe(v.string(), v.description('统一社会信用代码'))),
  name: v.pipe(v.string(), v.description('企业名称')),
  province: v.pipe(v.string(), v.description('工商注册省份')),
});

/** What every list line says of an application; the staff's queue and the employer's list add to it. */
const applicationLineSchema = v.object({
  id: submissionId,
  receiptNumber,
  submittedAt: timestamp('首次提交时间'),
  status: submissionStatusSchema,
  statusLabel,
  version,
  name: v.pipe(v.string(), v.description('申请人姓名')),
  idNumber: v.pipe(v.string(), v.description('证件号码')),
  specialties: v.pipe(v.array(v.string()), v.description('申请注册专业的代码')),
});

export const queueItemSchema = v.object({
  ...applicationLineSchema.entries,
  enterprise: enterpriseSchema,
  deadline: v.pipe(v.nullable(deadlineSchema), v.description('当前正在计算的期限；无则为 null')),
});

export const queueSchema = v.object({
  submissions: v.array(queueItemSchema),
  counts: v.pipe(v.record(v.string(), v.pipe(v.number(), v.integer())), v.description('按状态计数（其余筛选条件相同，不计状态筛选）')),
  nextCursor: v.pipe(v.nullable(v.string()), v.description('下一页的 cursor；没有下一页时为 null')),
});

// ——— One application ———

export const staffSubmissionParamSchema = v.object({ id: submissionId });

export const attachmentKindParamSchema = v.object({
  id: submissionId,
  kind: v.pipe(v.picklist(ATTACHMENT_KINDS, reviewMessages.attachmentNotFound), v.description('photo 照片；signature 签名')),
});

export const attachmentVersionQuerySchema = v.object({
  version: v.optional(
    v.pipe(v.string(), v.regex(/^[1-9]\d{0,3}$/, reviewMessages.badVersion), v.transform(Number), v.description('版本号，默认当前版本')),
  ),
});

const attachmentLinksSchema = v.object({
  photo: v.pipe(v.string(), v.description('照片的地址（仅限工作人员）')),
  signature: v.pipe(v.string(), v.description('签名的地址（仅限工作人员）')),
});

export const submissionVersionSchema = v.object({
  version,
  submittedAt: timestamp('该版本的提交时间'),
  bodySha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/), v.description('该版本申请内容的 SHA-256')),
  application: v.pipe(v.record(v.string(), v.unknown()), v.description('该版本的申报信息')),
  attachments: attachmentLinksSchema,
});

export const historyEntrySchema = v.object({
  seq: v.pipe(v.number(), v.integer(), v.description('变更序号（与变更订阅一致）')),
  version,
  kind: v.pipe(v.picklist(['submitted', 'resubmitted', 'status', 'withdrawn']), v.description('提交、重新提交、状态变更、撤回')),
  status: submissionStatusSchema,
  statusLabel,
  actor: v.pipe(v.string(), v.description('办理人：account:<id>、staff:<id> 或 system')),
  at: timestamp('时间'),
  reason: v.optional(v.pipe(v.string(), v.description('理由或决定书文字'))),
  corrections: v.optional(v.array(correctionSchema)),
});

export const staffSubmissionDetailSchema = v.pipe(
  v.object({
    ...v.omit(queueItemSchema, ['deadline']).entries,
    bodySha256: v.pipe(v.string(), v.description('当前版本申请内容的 SHA-256')),
    application: v.pipe(v.record(v.string(), v.unknown()), v.description('当前版本的申报信息')),
    attachments: attachmentLinksSchema,
    versions: v.pipe(v.array(submissionVersionSchema), v.description('全部版本，最早的在前')),
    history: v.pipe(v.array(historyEntrySchema), v.description('办理经过，最早的在前')),
    deadlines: v.array(deadlineSchema),
    availableDecisions: v.pipe(v.array(v.picklist(REVIEW_DECISIONS)), v.description('当前状态下可作出的决定')),
  }),
  v.description('申请详情（工作人员）'),
);

// ——— Decisions ———

export const decisionBodySchema = v.pipe(
  v.object({
    decision: v.pipe(
      v.picklist(REVIEW_DECISIONS),
      v.description('accept 受理；not_accept 不予受理；request_correction 补正；start_review 开始审查；publicise 公示；approve 准予注册；reject 不予注册'),
    ),
    version: v.pipe(version, v.description('所办理的版本（须为当前版本）')),
    reason: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(REASON_MAX), v.description('理由：不予受理、不予注册必填'))),
    corrections: v.optional(
      v.pipe(
        v.array(correctionRequestSchema),
        v.maxLength(CORRECTIONS_MAX),
        v.check((list) => new Set(list.map((item) => item.field)).size === list.length, reviewMessages.duplicateField),
        v.description('补正意见，一次性逐项告知（request_correction 必填）'),
      ),
    ),
  }),
  v.description('办理决定'),
);

export const decisionResultSchema = v.object({
  id: submissionId,
  status: submissionStatusSchema,
  statusLabel,
  version,
  at: timestamp('决定时间'),
  text: v.optional(v.pipe(v.string(), v.description('决定书文字（不予受理、不予注册：含理由与救济途径）'))),
});

// ——— The employer ———

export const employerItemSchema = v.object({
  ...applicationLineSchema.entries,
  canConfirm: v.pipe(v.boolean(), v.description('是否待本单位确认')),
});

export const employerListSchema = v.object({ submissions: v.array(employerItemSchema) });

export const confirmationBodySchema = v.pipe(
  v.object({
    confirmed: v.pipe(v.boolean(), v.description('true 确认申请人受聘于本单位；false 不予确认')),
    reason: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(REASON_MAX), v.description('不予确认的理由（必填）'))),
  }),
  v.description('单位确认'),
);

export type QueueFilter = v.InferOutput<typeof queueFilterSchema>;
export type QueueQuery = v.InferOutput<typeof queueQuerySchema>;
export type QueueItem = v.InferOutput<typeof queueItemSchema>;
export type Queue = v.InferOutput<typeof queueSchema>;
export type Deadline = v.InferOutput<typeof deadlineSchema>;
export type HistoryEntry = v.InferOutput<typeof historyEntrySchema>;
export type SubmissionVersionView = v.InferOutput<typeof submissionVersionSchema>;
export type StaffSubmissionDetail = v.InferOutput<typeof staffSubmissionDetailSchema>;
export type DecisionBody = v.InferOutput<typeof decisionBodySchema>;
export type DecisionResult = v.InferOutput<typeof decisionResultSchema>;
export type EmployerItem = v.InferOutput<typeof employerItemSchema>;
export type EmployerList = v.InferOutput<typeof employerListSchema>;
export type ConfirmationBody = v.InferOutput<typeof confirmationBodySchema>;
