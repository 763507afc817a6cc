import { Hono } from 'hono';
import {
  enterpriseMessages,
  enterpriseParamSchema,
  enterpriseSchema,
  enterpriseSearchAnswerSchema,
  enterpriseSearchQuerySchema,
} from '../../shared/api/enterprises.ts';
import type { Storage } from '../db/database.ts';
import { searchEnterprises } from '../db/enterprise-search-store.ts';
import { findEnterprise } from '../db/enterprises-store.ts';
import { errorResponse } from '../http/errors.ts';
import { validate } from '../http/validate.ts';
import { describeRoute, errorResponses } from '../openapi/describe-route.ts';

// The directory changes only by import; a few minutes of staleness saves repeated searches while typing.
const CACHE_CONTROL = 'private, max-age=300';
const cacheHeader = { 'Cache-Control': { description: CACHE_CONTROL } };

/** The enterprise directory, public: the applicant picks an employer before anything is submitted. */
export function enterpriseRoutes(storage: Storage) {
  return new Hono()
    .get(
      '/',
      describeRoute({
        operationId: 'searchEnterprises',
        summary: '按名称关键字或信用代码查找企业',
        description: '名称包含关键字、或统一社会信用代码以其开头的企业；全角、空格和大小写不影响查找。',
        tags: ['企业库'],
        security: 'public',
        responses: { 200: { description: '匹配的企业（可能为空）', schema: enterpriseSearchAnswerSchema, headers: cacheHeader } },
      }),
      validate('query', enterpriseSearchQuerySchema, { brief: true }),
      async (c) => {
        const { q, limit } = c.req.valid('query');
        const enterprises = await searchEnterprises(storage.db, q, limit);
        c.header('Cache-Control', CACHE_CONTROL);
        return c.json({ enterprises }, 200);
      },
    )
    .get(
      '/:uscc',
      describeRoute({
        operationId: 'getEnterprise',
        summary: '按统一社会信用代码查看企业',
        tags: ['企业库'],
        security: 'public',
        responses: { 200: { description: '企业', schema: enterpriseSchema, headers: cacheHeader }, ...errorResponses(404) },
      }),
      validate('param', enterpriseParamSchema, { brief: true, status: 404 }),
      async (c) => {
        const enterprise = await findEnterprise(storage.db, c.req.valid('param').uscc);
        if (!enterprise) return errorResponse(c, 404, enterpriseMessages.notFound);
        c.header('Cache-Control', CACHE_CONTROL);
        return c.json(enterprise, 200);
      },
    );
}
