/** GET /api/health. */
import * as v from 'valibot';

const storageSchema = v.pipe(v.picklist(['sqlite', 'postgres']), v.description('所用数据库'));

export const healthOkSchema = v.object({ status: v.literal('ok'), storage: storageSchema });
export const healthUnavailableSchema = v.object({ status: v.literal('unavailable'), storage: storageSchema });

export type HealthOk = v.InferOutput<typeof healthOkSchema>;
export type HealthUnavailable = v.InferOutput<typeof healthUnavailableSchema>;
