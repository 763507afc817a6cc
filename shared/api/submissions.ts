/**
 * POST /api/submissions (the application, under an Idempotency-Key), GET /api/submissions (the
 * person's own) and GET /api/submissions/:id (one, with its body). Answers are plain objects: a
 * device parses them with `v.safeParse` and keys it does not know are ignored.
 */
import * as v from 'valibot';
import { type ApplicationSchemaOptions, createSubmitSchema } from '../application-schema.ts';
import { SUBMISSION_STATUSES, submissionStatusLabels } from '../submission-status.ts';
import { signedReceiptSchema } from './receipts.ts';

export const idempotencyKeyMessages = {
  missing: '缺少 Idempotency-Key 请求头',
  bad: 'Idempotency-Key 请求头应为 UUID',
} as const;

/** The error texts of these endpoints besides the field issues. */
export const submissionMessages = {
  keyReused: '该 Idempotency-Key 已用于另一份申请',
  inFlight: '该申请正在提交中，请稍后查看结果',
  faceRequired: '请先完成人脸识别',
  notFound: '未找到该申请',
  notOpenForCorrection: '该申请当前无需补正，不能重新提交',
  notWithdrawable: '该申请已受理或已办结，不能撤回',
  enterpriseChanged: '补正时不能更换受聘企业',
} as const;

const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * The Idempotency-Key request header: the UUID the device drew for this application, the same on
 * every retry. Any case is accepted; the output is lower case, so `ABC…` and `abc…` are one key.
 * (Header names arrive in lower case; other headers pass untouched.)
 */
export const idempotencyKeyHeaderSchema = v.looseObject(
  {
    'idempotency-key': v.pipe(
      v.string(idempotencyKeyMessages.missing),
      v.trim(),
      v.nonEmpty(idempotencyKeyMessages.missing),
      v.regex(UUID_PATTERN, idempotencyKeyMessages.bad),
      v.toLowerCase(),
      v.description('设备上为这份申请生成的 UUID，重试时保持不变'),
    ),
  },
  idempotencyKeyMessages.missing,
);

/**
 * The application as submitted: every field required, plus the rules between fields. `today` is the
 * day the rules are judged on (the day of first acceptance for a retry); read at validation if omitted.
 */
export function createSubmitBodySchema(options: ApplicationSchemaOptions = {}) {
  return v.pipe(createSubmitSchema(options), v.title('申报信息'), v.description('提交的申报信息（全部必填）'));
}

export type SubmitBodySchema = ReturnType<typeof createSubmitBodySchema>;

const statusDescription = SUBMISSION_STATUSES.map((status) => `${status} ${submissionStatusLabels[status]}`).join('；');

/** The codes this build knows, or one a newer server adds: an older device still lists the application. */
export const submissionStatusSchema = v.pipe(
  v.union([v.picklist(SUBMISSION_STATUSES), v.string()]),
  v.description(`办理状态：${statusDescription}；较新的服务可能增加其他状态，以 statusLabel 显示`),
);

const submissionId = v.pipe(v.string(), v.description('申请 id'));
const receiptNumber = v.pipe(v.string(), v.description('受理回执编号：JL + 日期（北京时间）+ 6 位数字'));
const submittedAt = v.pipe(v.string(), v.isoTimestamp(), v.description('提交时间'));
const bodySha256 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/), v.description('所存申请内容（键排序的 JSON）的 SHA-256'));

/** What POST answers, the first time (201) and on every replay of the same key and body (200), byte for byte. */
export const submissionReceiptSchema = v.pipe(
  v.object({
    id: submissionId,
    receiptNumber,
    submittedAt,
    /** The status at acceptance, not today's: a replay repeats the first answer. */
    status: submissionStatusSchema,
    bodySha256,
    receipt: signedReceiptSchema,
  }),
  v.description('提交回执；同一 Idempotency-Key 的重试得到完全相同的回执'),
);

/** One note of a 补正 request: which field, and what to fix in it (all notes are asked at once). */
export const correctionSchema = v.object({
  field: v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(100), v.description('需补正的字段，如 photo、enterprise.uscc')),
  note: v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(500), v.description('补正说明')),
});

const version = v.pipe(v.number(), v.integer(), v.minValue(1), v.description('申请的版本：首次提交为 1，每次补正后重新提交加 1'));

/**
 * What POST /api/submissions/:id/versions answers: the new version's receipt, signed anew over its body
 * and time, under the same 申请编号; a retry of the same key gets it again, byte for byte.
 */
export const versionReceiptSchema = v.pipe(
  v.object({ ...submissionReceiptSchema.entries, version }),
  v.description('补正后重新提交的回执；同一 Idempotency-Key 的重试得到完全相同的回执'),
);

/** One line of the person's list. */
export const submissionSummarySchema = v.object({
  id: submissionId,
  receiptNumber,
  /** When the application was first submitted; each version's own time is in its receipt. */
  submittedAt,
  status: submissionStatusSchema,
  statusLabel: v.pipe(v.string(), v.description('状态的中文名称')),
  version,
  /** Present while 补正 is asked (status correction_requested): every note at once. */
  corrections: v.optional(v.pipe(v.array(correctionSchema), v.description('需补正的内容（仅在需补正时给出）'))),
});

/** GET /api/submissions: the signed-in person's submissions, newest first. */
export const submissionListSchema = v.object({ submissions: v.array(submissionSummarySchema) });

const commitmentSchema = v.object({
  version: v.pipe(v.string(), v.description('承诺书版本')),
  sha256: v.pipe(v.string(), v.description('所承诺文本（含本人信息与受聘单位）的 SHA-256')),
  acceptedAt: v.pipe(v.string(), v.description('作出承诺的时间')),
});

/** GET /api/submissions/:id: one submission with the stored application, to print it. */
export const submissionDetailSchema = v.pipe(
  v.object({
    ...submissionSummarySchema.entries,
    bodySha256,
    /** Null for submissions stored before commitments were pinned. */
    commitment: v.nullable(commitmentSchema),
    receipt: signedReceiptSchema,
    // As stored at acceptance; an older submission need not match today's submit schema.
    application: v.pipe(v.record(v.string(), v.unknown()), v.description('所提交的申报信息')),
  }),
  v.description('申请详情，供打印申报信息'),
);

export const submissionParamSchema = v.object({ id: submissionId });

export type IdempotencyKeyHeader = v.InferOutput<typeof idempotencyKeyHeaderSchema>;
export type SubmissionReceipt = v.InferOutput<typeof submissionReceiptSchema>;
export type SubmissionSummary = v.InferOutput<typeof submissionSummarySchema>;
export type SubmissionList = v.InferOutput<typeof submissionListSchema>;
export type SubmissionDetail = v.InferOutput<typeof submissionDetailSchema>;
export type Correction = v.InferOutput<typeof correctionSchema>;
export type VersionReceipt = v.InferOutput<typeof versionReceiptSchema>;
