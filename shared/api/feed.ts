/**
 * GET /api/staff/feed: every submission, new version, status change and withdrawal, in the order they
 * were committed. A client keeps `nextCursor` and sends it back with the next poll: it never misses
 * nor doubles an event.
 */
import * as v from 'valibot';
import { submissionStatusSchema } from './submissions.ts';

export const FEED_LIMIT_MAX = 500;
export const FEED_LIMIT_DEFAULT = 100;

export const feedMessages = {
  badLimit: `返回条数应为 1–${FEED_LIMIT_MAX} 之间的整数`,
  badCursor: 'cursor 无效，请使用上次返回的 nextCursor，或不带 cursor 从头读取',
} as const;

const limit = v.pipe(
  v.string(feedMessages.badLimit),
  v.description(`最多返回条数（1–${FEED_LIMIT_MAX}），默认 ${FEED_LIMIT_DEFAULT}`),
  v.regex(/^\d{1,3}$/, feedMessages.badLimit),
  v.transform(Number),
  v.minValue(1, feedMessages.badLimit),
  v.maxValue(FEED_LIMIT_MAX, feedMessages.badLimit),
);

const cursor = v.pipe(
  v.string(feedMessages.badCursor),
  v.maxLength(100, feedMessages.badCursor),
  v.description('上次返回的 nextCursor；不带则从第一条读起'),
);

export const feedQuerySchema = v.object({
  cursor: v.optional(cursor),
  limit: v.optional(limit, String(FEED_LIMIT_DEFAULT)),
});

export const feedEventSchema = v.object({
  seq: v.pipe(v.number(), v.integer(), v.minValue(1), v.description('事件序号：按提交（commit）顺序递增')),
  submissionId: v.pipe(v.string(), v.description('申请 id')),
  receiptNumber: v.pipe(v.string(), v.description('申请编号')),
  version: v.pipe(v.number(), v.integer(), v.minValue(1), v.description('事件所涉及的申请版本')),
  status: submissionStatusSchema,
  at: v.pipe(v.string(), v.isoTimestamp(), v.description('事件时间')),
});

export const feedAnswerSchema = v.pipe(
  v.object({
    events: v.array(feedEventSchema),
    nextCursor: v.pipe(v.string(), v.description('下次请求带上它；没有新事件时与本次的 cursor 指向同一位置')),
  }),
  v.description('变更事件，按提交顺序'),
);

export type FeedQuery = v.InferOutput<typeof feedQuerySchema>;
export type FeedEvent = v.InferOutput<typeof feedEventSchema>;
export type FeedAnswer = v.InferOutput<typeof feedAnswerSchema>;
