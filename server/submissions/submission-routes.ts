import type { Context, Next } from 'hono';
import { Hono } from 'hono';
import {
  createSubmitBodySchema,
  type IdempotencyKeyHeader,
  idempotencyKeyHeaderSchema,
  type SubmitBodySchema,
  submissionDetailSchema,
  submissionListSchema,
  submissionMessages,
  submissionParamSchema,
  submissionReceiptSchema,
  submissionSummarySchema,
  versionReceiptSchema,
} from '../../shared/api/submissions.ts';
import type { CodeLists } from '../../shared/code-lists.ts';
import type { SignedIn } from '../accounts/session.ts';
import { requireAccount } from '../accounts/session.ts';
import { clientAddress } from '../audit/audit.ts';
import type { Storage } from '../db/database.ts';
import type { IdempotencyOutcome } from '../observability/metrics.ts';
import { errorResponse, messages } from '../http/errors.ts';
import { VALIDATION, type Validator, validate } from '../http/validate.ts';
import { describeRoute, errorSpec, errorResponses, RETRY_AFTER_HEADER } from '../openapi/describe-route.ts';
import { findOwnSubmission, listOwnSubmissions } from './own-submissions.ts';
import { type ResubmitResult, resubmitApplication } from './resubmit-application.ts';
import { withdrawApplication } from './withdraw-application.ts';
import {
  judgementDay,
  type SubmissionContext,
  type SubmissionOptions,
  type SubmitResult,
  submissionContext,
  submitApplication,
} from './submit-application.ts';

export interface SubmissionRoutesOptions extends SubmissionOptions {
  /** The deployment's code lists (its own 专业 list, say). */
  codeLists?: CodeLists;
  /** Told of each answer given from or refused by the Idempotency-Key (the metrics). */
  onIdempotency?: ((outcome: IdempotencyOutcome) => void) | undefined;
}

/** Seconds a client is asked to wait (Retry-After) while the same key is in flight. */
export const IN_FLIGHT_RETRY_AFTER_SECONDS = 2;

/**
 * Validates the body by the rules of the day its key was first accepted (today for a new key): see
 * `judgementDay`. Documented, and typed for the handler, as the submit schema itself.
 */
function validateSubmitBody(context: SubmissionContext, codeLists: CodeLists | undefined): Validator<'json', SubmitBodySchema> {
  const documented = validate('json', createSubmitBodySchema({ codeLists }));
  const middleware = async (c: Context, next: Next) => {
    // Runs after the header's validator, whose output it reads.
    const { 'idempotency-key': key } = c.req.valid('header' as never) as IdempotencyKeyHeader;
    const today = await judgementDay(context, key);
    return validate('json', createSubmitBodySchema({ today, codeLists }))(c, next);
  };
  return Object.assign(middleware, { [VALIDATION]: documented[VALIDATION] }) as unknown as typeof documented;
}

const describeSubmit = describeRoute({
  operationId: 'submitApplication',
  summary: '提交申请（只受理一次）',
  description:
    '须在 24 小时内通过人脸识别。同一 Idempotency-Key：内容相同则返回首次的回执（200，内容完全相同）；内容不同或来自其他账号则返回 422；' +
    '首次请求仍在处理中则返回 409（按 Retry-After 稍后重试）。无论多少台服务器、多少次重试，只保存一份。' +
    '回执由服务器以 Ed25519 签名，可凭 GET /api/receipts/public-key 的公钥验证。' +
    '证件号码和姓名须与登录账号一致，企业须在企业库中，照片和签名须为本人上传。',
  tags: ['申报'],
  security: 'session',
  responses: {
    201: {
      description: '已受理，返回回执',
      schema: submissionReceiptSchema,
      headers: { Location: { description: '申请详情的地址', schema: { type: 'string' } } },
    },
    200: { description: '重复提交：首次的回执', schema: submissionReceiptSchema },
    ...errorResponses(400, 401, 403),
    409: errorSpec('同一 Idempotency-Key 的请求正在处理中，请稍后重试', RETRY_AFTER_HEADER),
    ...errorResponses(413, 415),
    422: errorSpec('Idempotency-Key 已用于另一份申请，或与已登记的信息不符（issues 按字段列出）'),
  },
});

const describeList = describeRoute({
  operationId: 'listSubmissions',
  summary: '我的申请（最新的在前）',
  tags: ['申报'],
  security: 'session',
  responses: { 200: { description: '本人的申请', schema: submissionListSchema }, ...errorResponses(401) },
});

const describeDetail = describeRoute({
  operationId: 'getSubmission',
  summary: '查看申请详情',
  tags: ['申报'],
  security: 'session',
  responses: { 200: { description: '申请详情', schema: submissionDetailSchema }, ...errorResponses(401, 404) },
});

const describeResubmit = describeRoute({
  operationId: 'resubmitApplication',
  summary: '补正后重新提交（新版本，只受理一次）',
  description:
    '仅在状态为需补正（correction_requested）时可用，否则返回 409。请求体与首次提交相同；申请编号不变，版本加 1，' +
    '返回新版本的签名回执，申请回到审查人员处。同一 Idempotency-Key 的重试返回完全相同的回执（200）；用于其他申请或内容不同则返回 422。' +
    '受聘企业不能更换。',
  tags: ['申报'],
  security: 'session',
  responses: {
    201: { description: '已受理新版本，返回回执', schema: versionReceiptSchema },
    200: { description: '重复提交：首次的回执', schema: versionReceiptSchema },
    ...errorResponses(400, 401, 404),
    409: errorSpec('该申请当前无需补正，或同一 Idempotency-Key 的请求正在处理中（按 Retry-After 稍后重试）', RETRY_AFTER_HEADER),
    ...errorResponses(413, 415),
    422: errorSpec('Idempotency-Key 已用于另一份申请，或与已登记的信息不符（issues 按字段列出）'),
  },
});

const describeWithdraw = describeRoute({
  operationId: 'withdrawApplication',
  summary: '撤回申请（受理前）',
  description: '受理前可撤回；已撤回的再次撤回返回同样的结果。已受理或已办结的返回 409。',
  tags: ['申报'],
  security: 'session',
  responses: {
    200: { description: '已撤回', schema: submissionSummarySchema },
    ...errorResponses(401, 404),
    409: errorSpec('已受理或已办结，不能撤回'),
  },
});

/** The HTTP answer to a submission or a resubmission: the receipt, or why not, as the route documents. */
function answerSubmission(c: Context, result: SubmitResult | ResubmitResult, options: SubmissionRoutesOptions) {
  if (result.kind === 'replayed' || result.kind === 'in-flight' || result.kind === 'key-reused') options.onIdempotency?.(result.kind);
  switch (result.kind) {
    case 'created':
      c.header('Location', `/api/submissions/${result.receipt.id}`);
      return c.json(result.receipt, 201);
    case 'replayed':
      return c.json(result.receipt, 200);
    case 'in-flight':
      c.header('Retry-After', String(IN_FLIGHT_RETRY_AFTER_SECONDS));
      return errorResponse(c, 409, submissionMessages.inFlight);
    case 'not-open':
      return errorResponse(c, 409, submissionMessages.notOpenForCorrection);
    case 'not-found':
      return errorResponse(c, 404, submissionMessages.notFound);
    case 'key-reused':
      return errorResponse(c, 422, submissionMessages.keyReused);
    case 'face-required':
      return errorResponse(c, 403, submissionMessages.faceRequired);
    case 'invalid':
      return errorResponse(c, 422, messages.invalid, result.issues);
  }
}

/** /api/submissions: the HTTP face of `submitApplication` and of the person's own submissions. */
export function submissionRoutes(storage: Storage, options: SubmissionRoutesOptions = {}) {
  const context = submissionContext(storage, options);

  return new Hono<SignedIn>()
    .use('*', async (c, next) => {
      // Applications carry personal data: no HTTP cache, shared or private, may keep them.
      c.header('Cache-Control', 'no-store');
      await next();
    })
    .use('*', requireAccount(storage))
    .post(
      '/',
      describeSubmit,
      validate('header', idempotencyKeyHeaderSchema, { brief: true }),
      validateSubmitBody(context, options.codeLists),
      async (c) => {
        const result = await submitApplication(context, {
          account: c.get('account'),
          address: clientAddress(c),
          key: c.req.valid('header')['idempotency-key'],
          application: c.req.valid('json'),
        });
        return answerSubmission(c, result, options);
      },
    )
    .post(
      '/:id/versions',
      describeResubmit,
      validate('param', submissionParamSchema),
      validate('header', idempotencyKeyHeaderSchema, { brief: true }),
      validateSubmitBody(context, options.codeLists),
      async (c) => {
        const result = await resubmitApplication(context, {
          account: c.get('account'),
          address: clientAddress(c),
          submissionId: c.req.valid('param').id,
          key: c.req.valid('header')['idempotency-key'],
          application: c.req.valid('json'),
        });
        return answerSubmission(c, result, options);
      },
    )
    .post('/:id/withdrawal', describeWithdraw, validate('param', submissionParamSchema), async (c) => {
      const result = await withdrawApplication(context, {
        accountId: c.get('account').id,
        submissionId: c.req.valid('param').id,
        address: clientAddress(c),
      });
      switch (result.kind) {
        case 'withdrawn':
          return c.json(result.submission, 200);
        case 'not-found':
          return errorResponse(c, 404, submissionMessages.notFound);
        case 'not-withdrawable':
          return errorResponse(c, 409, submissionMessages.notWithdrawable);
      }
    })
    .get('/', describeList, async (c) => c.json({ submissions: await listOwnSubmissions(context, c.get('account').id) }, 200))
    .get('/:id', describeDetail, validate('param', submissionParamSchema), async (c) => {
      const detail = await findOwnSubmission(context, c.get('account').id, c.req.valid('param').id);
      return detail ? c.json(detail, 200) : errorResponse(c, 404, submissionMessages.notFound);
    });
}
