import { Hono } from 'hono';
import { isUsccShape } from '../../shared/uscc.ts';
import type { Storage } from '../db/database.ts';
import { normaliseSearchText } from '../../shared/search-text.ts';
import { findEnterprise, SEARCH_LIMIT_MAX, searchEnterprises } from '../db/enterprises-store.ts';
import { errorResponse } from '../http/errors.ts';

export const QUERY_MAX_CHARS = 50;
const DEFAULT_LIMIT = 10;

export const enterpriseMessages = {
  keywordRequired: '请输入企业名称关键字',
  badLimit: `返回条数应为 1–${SEARCH_LIMIT_MAX} 之间的整数`,
  notFound: '未找到该企业',
} as const;

// The directory changes only by import; a few minutes of staleness saves repeated searches while typing.
const CACHE_CONTROL = 'private, max-age=300';

/** The enterprise directory, public: the applicant picks an employer before anything is submitted. */
export function enterpriseRoutes(storage: Storage) {
  return new Hono()
    .get('/', async (c) => {
      const q = normaliseSearchText(c.req.query('q') ?? '');
      if (q === '' || [...q].length > QUERY_MAX_CHARS) return errorResponse(c, 400, enterpriseMessages.keywordRequired);
      const rawLimit = c.req.query('limit');
      const limit = rawLimit === undefined ? DEFAULT_LIMIT : Number(rawLimit);
      if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_LIMIT_MAX) {
        return errorResponse(c, 400, enterpriseMessages.badLimit);
      }
      const enterprises = await searchEnterprises(storage.db, q, limit);
      c.header('Cache-Control', CACHE_CONTROL);
      return c.json({ enterprises }, 200);
    })
    .get('/:uscc', async (c) => {
      const uscc = normaliseSearchText(c.req.param('uscc'));
      const enterprise = isUsccShape(uscc) ? await findEnterprise(storage.db, uscc) : undefined;
      if (!enterprise) return errorResponse(c, 404, enterpriseMessages.notFound);
      c.header('Cache-Control', CACHE_CONTROL);
      return c.json(enterprise, 200);
    });
}
