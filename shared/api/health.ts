/** GET /api/health (liveness) and GET /api/health/ready (readiness). */
import * as v from 'valibot';

const storageSchema = v.pipe(v.picklist(['sqlite', 'postgres']), v.description('所用数据库'));

export const healthOkSchema = v.object({ status: v.literal('ok'), storage: storageSchema });
export const healthUnavailableSchema = v.object({ status: v.literal('unavailable'), storage: storageSchema });

export type HealthOk = v.InferOutput<typeof healthOkSchema>;
export type HealthUnavailable = v.InferOutput<typeof healthUnavailableSchema>;

/** Why an instance should get no traffic now; for operators and load balancers, not people. */
export const NOT_READY_REASONS = ['shutting-down', 'database-unavailable', 'migrations-pending'] as const;
export type NotReadyReason = (typeof NOT_READY_REASONS)[number];

export const readySchema = v.object({ status: v.literal('ready') });
export const notReadySchema = v.object({
  status: v.literal('not-ready'),
  reason: v.pipe(v.picklist(NOT_READY_REASONS), v.description('shutting-down：正在停止；database-unavailable：数据库不可用；migrations-pending：数据库结构尚未更新')),
});

export type Ready = v.InferOutput<typeof readySchema>;
export type NotReady = v.InferOutput<typeof notReadySchema>;
