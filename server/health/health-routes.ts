import { Hono } from 'hono';
import { sql } from 'kysely';
import { healthOkSchema, healthUnavailableSchema, notReadySchema, readySchema } from '../../shared/api/health.ts';
import type { Storage } from '../db/database.ts';
import { describeRoute } from '../openapi/describe-route.ts';
import { createReadiness, type Readiness, readinessCheck } from './readiness.ts';

/**
 * Liveness (`/`: the process and its database answer) and readiness (`/ready`: send it requests), for
 * load balancers, systemd and the start-up check. Without a shared readiness the instance never drains.
 */
export function healthRoutes(storage: Storage, readiness: Readiness = createReadiness()) {
  const notReadyReason = readinessCheck(storage, readiness);
  return new Hono()
    .get(
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
    )
    .get(
      '/ready',
      describeRoute({
        operationId: 'getReadiness',
        summary: '服务就绪检查',
        description: '数据库可用、数据库结构已更新且实例未在停止时为 200；否则为 503，负载均衡应暂不转发请求到此实例。',
        tags: ['系统'],
        security: 'public',
        responses: {
          200: { description: '可以接收请求', schema: readySchema },
          503: { description: '暂不能接收请求（正在停止、数据库不可用或结构未更新）', schema: notReadySchema },
        },
      }),
      async (c) => {
        const reason = await notReadyReason();
        // Never cached: the answer changes the moment the instance starts to stop.
        c.header('Cache-Control', 'no-store');
        if (reason === undefined) return c.json({ status: 'ready' as const }, 200);
        return c.json({ status: 'not-ready' as const, reason }, 503);
      },
    );
}
