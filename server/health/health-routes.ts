import { Hono } from 'hono';
import { sql } from 'kysely';
import { healthOkSchema, healthUnavailableSchema } from '../../shared/api/health.ts';
import type { Storage } from '../db/database.ts';
import { describeRoute } from '../openapi/describe-route.ts';

/** Liveness and storage reachability, for load balancers and the start-up check. */
export function healthRoutes(storage: Storage) {
  return new Hono().get(
    '/',
    describeRoute({
      operationId: 'getHealth',
      summary: '服务健康检查',
      description: '供负载均衡和启动检查使用，同时检查数据库是否可用。',
      tags: ['系统'],
      security: 'public',
      responses: {
        200: { description: '服务正常', schema: healthOkSchema },
        503: { description: '数据库不可用', schema: healthUnavailableSchema },
      },
    }),
    async (c) => {
      try {
        await sql`select 1`.execute(storage.db);
        return c.json({ status: 'ok' as const, storage: storage.dialect }, 200);
      } catch {
        return c.json({ status: 'unavailable' as const, storage: storage.dialect }, 503);
      }
    },
  );
}
