/** GET /api/enterprises (search) and GET /api/enterprises/:uscc. */
import * as v from 'valibot';
import { normaliseSearchText } from '../search-text.ts';
import { isUsccShape } from '../uscc.ts';

export const ENTERPRISE_QUERY_MAX_CHARS = 50;
export const ENTERPRISE_SEARCH_LIMIT_MAX = 50;
export const ENTERPRISE_SEARCH_LIMIT_DEFAULT = 10;

export const enterpriseMessages = {
  keywordRequired: '请输入企业名称关键字',
  badLimit: `返回条数应为 1–${ENTERPRISE_SEARCH_LIMIT_MAX} 之间的整数`,
  notFound: '未找到该企业',
} as const;

const text = (description: string) => v.pipe(v.string(), v.description(description));

/** One employer from the server's directory (registered and certified in 注册监理工程师管理系统). */
export const enterpriseSchema = v.pipe(
  v.object({
    uscc: text('统一社会信用代码'),
    name: text('企业名称'),
    legalRepresentative: text('法定代表人'),
    province: text('工商注册省份'),
    city: text('工商注册市区'),
  }),
  v.description('企业库中的企业'),
);

const keyword = v.pipe(
  v.string(enterpriseMessages.keywordRequired),
  v.description(`企业名称关键字或统一社会信用代码前几位（1–${ENTERPRISE_QUERY_MAX_CHARS} 字）`),
  v.minLength(1, enterpriseMessages.keywordRequired),
  // Full-width forms, spaces and case do not count: the text is normalised before it is judged.
  v.transform(normaliseSearchText),
  v.check((q) => q !== '' && [...q].length <= ENTERPRISE_QUERY_MAX_CHARS, enterpriseMessages.keywordRequired),
);

const limit = v.pipe(
  v.string(enterpriseMessages.badLimit),
  v.description(`最多返回条数，默认 ${ENTERPRISE_SEARCH_LIMIT_DEFAULT}`),
  v.regex(/^\d{1,3}$/, enterpriseMessages.badLimit),
  v.transform(Number),
  v.minValue(1, enterpriseMessages.badLimit),
  v.maxValue(ENTERPRISE_SEARCH_LIMIT_MAX, enterpriseMessages.badLimit),
);

export const enterpriseSearchQuerySchema = v.object(
  { q: keyword, limit: v.optional(limit, String(ENTERPRISE_SEARCH_LIMIT_DEFAULT)) },
  enterpriseMessages.keywordRequired,
);

export const enterpriseSearchAnswerSchema = v.object({ enterprises: v.array(enterpriseSchema) });

export const enterpriseParamSchema = v.object({
  uscc: v.pipe(
    v.string(enterpriseMessages.notFound),
    v.description('统一社会信用代码（18 位）'),
    v.transform(normaliseSearchText),
    // A malformed code is answered like an unknown one: there is no such enterprise either way.
    v.check(isUsccShape, enterpriseMessages.notFound),
  ),
});

export type Enterprise = v.InferOutput<typeof enterpriseSchema>;
export type EnterpriseSearchQuery = v.InferInput<typeof enterpriseSearchQuerySchema>;
export type EnterpriseSearchAnswer = v.InferOutput<typeof enterpriseSearchAnswerSchema>;
