/**
 * What a route says about itself, beside its handler: a pass-through middleware carrying the spec,
 * which the OpenAPI document reads from the app's route table.
 */
import type { MiddlewareHandler } from 'hono';
import type * as v from 'valibot';
import { errorBodySchema } from '../../shared/api/errors.ts';
import { SESSION_COOKIE } from '../accounts/session.ts';

export type JsonSchema = { [key: string]: unknown };

export interface ResponseSpec {
  description: string;
  /** The body's schema, from shared/api; JSON unless `contentType` says otherwise. */
  schema?: v.GenericSchema;
  /** A body that is not JSON (an image, a page): its media types, comma-separated. */
  contentType?: string;
  headers?: Record<string, { description: string; schema?: JsonSchema }>;
}

export type RouteSecurity = 'session' | 'staff' | 'staff-or-token' | 'public';

export interface RouteSpec {
  operationId: string;
  /** Chinese, shown as the operation's title. */
  summary: string;
  description?: string;
  tags: string[];
  /**
   * 'session': the applicant's sign-in cookie; 'staff': a staff or employer session (its own cookie);
   * 'staff-or-token': that, or a machine client's `Authorization: Bearer` token (read-only routes).
   */
  security?: RouteSecurity;
  responses: Record<number, ResponseSpec>;
  /** A body that is not JSON (an image, a form); a JSON body is documented by its validator. */
  requestBody?: { description: string; contentTypes: string[]; schema?: JsonSchema };
}

export const ROUTE_SPEC = Symbol('route-spec');

export type DescribedMiddleware = MiddlewareHandler & { readonly [ROUTE_SPEC]: RouteSpec };

export function describeRoute(spec: RouteSpec): DescribedMiddleware {
  const middleware: MiddlewareHandler = (_c, next) => next();
  return Object.assign(middleware, { [ROUTE_SPEC]: spec });
}

export function routeSpecOf(handler: unknown): RouteSpec | undefined {
  return typeof handler === 'function' ? (handler as { [ROUTE_SPEC]?: RouteSpec })[ROUTE_SPEC] : undefined;
}

const ERROR_DESCRIPTIONS = {
  400: '请求有误（格式或内容不符合要求），issues 按字段列出问题',
  401: '未登录、登录已过期，或账号密码不正确',
  403: '尚不具备办理条件（例如未完成人脸识别）',
  404: '未找到，或不属于当前账号',
  409: '与已有数据冲突',
  413: '提交的内容过大',
  415: '请求内容的格式不受支持',
  422: '格式正确，但与已登记的信息不符或无法处理',
  429: '操作过于频繁，请按 Retry-After 等待后重试',
  503: '服务暂不可用，请稍后重试',
} as const;

export type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

export const RETRY_AFTER_HEADER = { 'Retry-After': { description: '需等待的秒数', schema: { type: 'integer', minimum: 1 } } };

/** The usual wording of error answers, each with the error body; a route overrides where it says more. */
export function errorResponses(...statuses: ErrorStatus[]): Record<number, ResponseSpec> {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: ERROR_DESCRIPTIONS[status],
        schema: errorBodySchema,
        ...(status === 429 ? { headers: RETRY_AFTER_HEADER } : {}),
      },
    ]),
  );
}

/** An error answer with its own wording. */
export function errorSpec(description: string, headers?: ResponseSpec['headers']): ResponseSpec {
  return { description, schema: errorBodySchema, ...(headers ? { headers } : {}) };
}

/** The header of an answer that signs the person in. */
export const SET_SESSION_COOKIE_HEADER = {
  'Set-Cookie': { description: `登录凭据 ${SESSION_COOKIE}（HttpOnly，SameSite=Lax）` },
};
