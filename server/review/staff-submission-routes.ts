import type { Context } from 'hono';
import { Hono } from 'hono';
import * as v from 'valibot';
import {
  attachmentKindParamSchema,
  attachmentVersionQuerySchema,
  decisionBodySchema,
  decisionResultSchema,
  queueQuerySchema,
  queueSchema,
  reviewMessages,
  staffSubmissionDetailSchema,
  staffSubmissionParamSchema,
} from '../../shared/api/review.ts';
import { EMPTY_CALENDAR, type HolidayCalendar } from '../../shared/review/working-days.ts';
import { clientAddress, recordAudit } from '../audit/audit.ts';
import type { Storage } from '../db/database.ts';
import { errorResponse } from '../http/errors.ts';
import { validate } from '../http/validate.ts';
import { describeRoute, errorSpec, errorResponses } from '../openapi/describe-route.ts';
import { requireStaff, type StaffEnv } from '../staff/staff-auth.ts';
import { countByStatus, eventsOf, listQueue, type QueuePosition } from './review-store.ts';
import { answerStep } from './step-answer.ts';
import { queueItemOf, staffDetail, submissionAttachment } from './submission-views.ts';
import { takeStep } from './take-step.ts';

export interface ReviewRoutesOptions {
  /** The deployment's holiday calendar (HOLIDAY_CALENDAR_FILE); weekends only without one. */
  calendar?: HolidayCalendar;
  /** The clock; tests pin it. */
  now?: () => Date;
}

export const TAGS = ['审查'];
const PAGE_SIZE = 50;

/** Applications carry personal data: no HTTP cache may keep any answer about them. */
export async function noStore(c: Context, next: () => Promise<void>) {
  c.header('Cache-Control', 'no-store');
  await next();
}

/** The queue's cursor: where the last page ended, opaque to the client. */
function encodeCursor(position: QueuePosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url');
}

const cursorSchema = v.tuple([v.pipe(v.string(), v.isoTimestamp()), v.pipe(v.string(), v.maxLength(100))]);

function decodeCursor(cursor: string): QueuePosition | undefined {
  try {
    const parsed = v.safeParse(cursorSchema, JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? { createdAt: parsed.output[0], id: parsed.output[1] } : undefined;
  } catch {
    return undefined;
  }
}

const REVIEWERS = ['reviewer', 'admin'] as const;

/** /api/staff/submissions: the queue, one application, its pictures, and the decisions on it. */
export function staffSubmissionRoutes(storage: Storage, options: ReviewRoutesOptions = {}) {
  const calendar = options.calendar ?? EMPTY_CALENDAR;
  const now = options.now ?? (() => new Date());
  const reviewers = requireStaff(storage, { roles: [...REVIEWERS] });
  const readers = requireStaff(storage, { roles: [...REVIEWERS], allowToken: true });

  return new Hono<StaffEnv>()
    .use('*', noStore)
    .get(
      '/',
      describeRoute({
        operationId: 'listStaffSubmissions',
        security: 'staff',
        summary: '待办申请（按提交时间，最早的在前）',
        description: '按状态、提交日期、省份、企业、专业筛选；counts 为其余条件相同时各状态的件数。每条附当前正在计算的期限（工作日）。',
        tags: TAGS,
        responses: { 200: { description: '一页申请', schema: queueSchema }, ...errorResponses(401, 403) },
      }),
      reviewers,
      validate('query', queueQuerySchema),
      async (c) => {
        const { cursor, limit = PAGE_SIZE, ...filter } = c.req.valid('query');
        const after = cursor === undefined ? undefined : decodeCursor(cursor);
        if (cursor !== undefined && !after) return errorResponse(c, 400, reviewMessages.badCursor);
        const at = now();
        // One more than asked tells whether another page follows.
        const rows = await listQueue(storage, filter, { ...(after ? { after } : {}), limit: limit + 1 });
        const page = rows.slice(0, limit);
        const [events, counts] = await Promise.all([eventsOf(storage.db, page.map((row) => row.id)), countByStatus(storage, filter)]);
        await recordAudit(storage.db, { principal: c.get('staff'), action: 'submissions.list', address: clientAddress(c), at });
        const last = page.at(-1);
        return c.json(
          {
            submissions: page.map((row) => queueItemOf(row, events.get(row.id) ?? [], calendar, at)),
            counts,
            nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
          },
          200,
        );
      },
    )
    .get(
      '/:id',
      describeRoute({
        operationId: 'getStaffSubmission',
        security: 'staff-or-token',
        summary: '申请详情（工作人员）',
        description: '当前版本与全部历史版本、办理经过、各期限（工作日）、照片和签名的地址。机器客户端凭令牌可读。',
        tags: TAGS,
        responses: { 200: { description: '申请详情', schema: staffSubmissionDetailSchema }, ...errorResponses(401, 403, 404) },
      }),
      readers,
      validate('param', staffSubmissionParamSchema, { status: 404 }),
      async (c) => {
        const { id } = c.req.valid('param');
        const at = now();
        const detail = await staffDetail(storage, id, calendar, at);
        if (!detail) return errorResponse(c, 404, reviewMessages.notFound);
        await recordAudit(storage.db, { principal: c.get('staff'), action: 'submission.read', submissionId: id, address: clientAddress(c), at });
        return c.json(detail, 200);
      },
    )
    .get(
      '/:id/attachments/:kind',
      describeRoute({
        operationId: 'getStaffSubmissionAttachment',
        security: 'staff-or-token',
        summary: '申请的照片或签名（仅限工作人员）',
        description: '默认为当前版本；version 指定历史版本。',
        tags: TAGS,
        responses: {
          200: { description: '图片本身', contentType: 'image/jpeg, image/png' },
          ...errorResponses(401, 403),
          404: errorSpec('未找到该申请、该版本或其附件'),
        },
      }),
      readers,
      validate('param', attachmentKindParamSchema, { status: 404, brief: true }),
      validate('query', attachmentVersionQuerySchema, { status: 404, brief: true }),
      async (c) => {
        const { id, kind } = c.req.valid('param');
        const attachment = await submissionAttachment(storage, id, kind, c.req.valid('query').version);
        if (!attachment) return errorResponse(c, 404, reviewMessages.attachmentNotFound);
        await recordAudit(storage.db, {
          principal: c.get('staff'),
          action: `submission.attachment.${kind}`,
          submissionId: id,
          address: clientAddress(c),
          at: now(),
        });
        c.header('Content-Type', attachment.mime);
        c.header('Content-Disposition', 'inline');
        return c.body(new Uint8Array(attachment.bytes), 200);
      },
    )
    .post(
      '/:id/decisions',
      describeRoute({
        operationId: 'decideStaffSubmission',
        security: 'staff',
        summary: '作出办理决定',
        description:
          '受理、不予受理（须写理由）、补正（逐项写明，一次性告知；须在收到申请材料之日起 5 个工作日内，逾期即视为受理）、开始审查、公示、准予注册、不予注册（须写理由）。' +
          'version 须为当前版本；状态不允许、版本已更新或补正已逾期返回 409。不予受理、不予注册的决定书文字含救济途径。',
        tags: TAGS,
        responses: {
          200: { description: '已作出决定', schema: decisionResultSchema },
          ...errorResponses(401, 403, 404),
          409: errorSpec('当前状态不能作出该决定、所办理的不是当前版本，或已超过补正告知期限'),
          422: errorSpec('缺少理由或补正意见'),
        },
      }),
      reviewers,
      validate('param', staffSubmissionParamSchema, { status: 404 }),
      validate('json', decisionBodySchema),
      async (c) => {
        const principal = c.get('staff');
        // Only accounts pass `reviewers`; the check narrows the type.
        if (principal.kind !== 'staff') return errorResponse(c, 403, reviewMessages.illegal);
        const body = c.req.valid('json');
        const result = await takeStep(storage, {
          submissionId: c.req.valid('param').id,
          principal,
          step: { by: 'reviewer', action: body.decision },
          version: body.version,
          ...(body.reason === undefined ? {} : { reason: body.reason }),
          ...(body.corrections === undefined ? {} : { corrections: body.corrections }),
          address: clientAddress(c),
          calendar,
          now: now(),
        });
        return answerStep(c, result);
      },
    );
}
