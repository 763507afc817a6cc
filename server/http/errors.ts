import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorBody, FieldIssue } from '../../shared/api/errors.ts';

export function errorResponse<S extends ContentfulStatusCode>(c: Context, status: S, error: string, issues?: FieldIssue[]) {
  const body: ErrorBody = issues ? { error, issues } : { error };
  return c.json(body, status);
}

export const messages = {
  notFound: '请求的地址不存在',
  methodNotAllowed: '不支持该请求方式',
  tooLarge: '提交的内容过大',
  notJson: '请求内容应为 JSON 格式',
  badJson: '请求内容不是有效的 JSON',
  invalid: '提交的信息有误，请按提示修改',
  badField: '此项格式不正确',
  internal: '服务器内部错误，请稍后重试',
} as const;
