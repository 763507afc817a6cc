import { Hono } from 'hono';
import { feedAnswerSchema, feedMessages, feedQuerySchema } from '../../shared/api/feed.ts';
import { recordRequestAudit } from '../audit/audit.ts';
import type { Storage } from '../db/database.ts';
import { errorResponse } from '../http/errors.ts';
import { validate } from '../http/validate.ts';
import { describeRoute, errorResponses, errorSpec } from '../openapi/describe-route.ts';
import { requireStaff, type StaffEnv } from '../staff/staff-auth.ts';
import { feedReader } from './feed.ts';

const describeFeed = describeRoute({
  operationId: 'readFeed',
  security: 'staff-or-token',
  summary: '变更事件（按提交顺序）',
  description:
    '每一次提交、补正后的新版本、状态变更和撤回，按数据库提交的顺序排列；即使多台服务器同时写入，' +
    '带着上次的 nextCursor 轮询也不会漏掉或重复任何事件。审查人员、管理员或以 Authorization: Bearer <token> 调用的系统可读；' +
    '每次读取记入审计。被篡改或来自其他部署的 cursor 返回 400。',
  tags: ['变更事件'],
  responses: {
    200: { description: 'cursor 之后的事件', schema: feedAnswerSchema },
    ...errorResponses(400, 401),
    403: errorSpec('该账号无权读取变更事件（仅审查人员、管理员和接口令牌）'),
  },
});

/** /api/staff/feed: the change feed, for reviewers, admins and machine clients. */
export function feedRoutes(storage: Storage) {
  const readFeed = feedReader(storage.db);
  return new Hono<StaffEnv>()
    .use('*', requireStaff(storage, { roles: ['reviewer', 'admin'], allowToken: true }))
    .get('/', describeFeed, validate('query', feedQuerySchema, { brief: true }), async (c) => {
      const { cursor, limit } = c.req.valid('query');
      c.header('Cache-Control', 'no-store');
      const page = await readFeed(cursor, limit);
      if (!page) return errorResponse(c, 400, feedMessages.badCursor);
      await recordRequestAudit(c, storage.db, { principal: c.get('staff'), action: 'feed.read', subject: 'feed' });
      return c.json(page, 200);
    });
}
