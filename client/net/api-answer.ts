/**
 * Reads what the server answered into a value that never throws: the parsed body of a 2xx, or a Chinese
 * message a person can act on. A 2xx body is checked against the endpoint's shared response schema
 * (shared/api/): one that does not match (a captive portal's page, an old server) is no answer at all.
 */
import * as v from 'valibot';
import { errorBodySchema, type FieldIssue } from '../../shared/api/errors.ts';

export type { FieldIssue };

export type ApiAnswer<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number; error: string; issues: FieldIssue[]; offline: boolean };

export type ApiFailure = Extract<ApiAnswer<unknown>, { ok: false }>;

export const OFFLINE_MESSAGE = '网络连接失败，请检查网络后重试。已填写的内容不会丢失。';

export const unavailableMessage = (status: number) => `服务暂时不可用（${status}），请稍后重试`;

/** What a fetch or a `hc` call resolves to, as far as reading it goes. */
export interface AnswerSource {
  status: number;
  text(): Promise<string>;
}

/** Status 0: no answer (offline, timeout, connection cut, or a body that is not ours). */
export const NO_ANSWER: ApiFailure = { ok: false, status: 0, error: OFFLINE_MESSAGE, issues: [], offline: true };

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The failure of a non-2xx answer: the server's own message and field issues when its body is ours. */
export function failureOf(status: number, body: unknown): ApiFailure {
  const parsed = v.safeParse(errorBodySchema, body);
  const error = parsed.success && parsed.output.error !== '' ? parsed.output.error : unavailableMessage(status);
  const issues = parsed.success ? (parsed.output.issues ?? []).map(({ field, message }) => ({ field, message })) : [];
  return { ok: false, status, error, issues, offline: false };
}

/**
 * Usage: `const answer = await readAnswer(api.session.$get(), sessionAnswerSchema);` then
 * `if (answer.ok) use(answer.data); else show(answer.error, answer.issues)`. Pass `null` as the schema
 * for an answer without a body (204): any 2xx with an empty body is then ok, with data null.
 */
export async function readAnswer<S extends v.GenericSchema>(
  request: Promise<AnswerSource> | AnswerSource,
  schema: S,
): Promise<ApiAnswer<v.InferOutput<S>>>;
export async function readAnswer(request: Promise<AnswerSource> | AnswerSource, schema: null): Promise<ApiAnswer<null>>;
export async function readAnswer(
  request: Promise<AnswerSource> | AnswerSource,
  schema: v.GenericSchema | null,
): Promise<ApiAnswer<unknown>> {
  let status: number;
  let text: string;
  try {
    const response = await request;
    status = response.status;
    text = await response.text();
  } catch {
    return NO_ANSWER;
  }
  const body = parseJson(text);
  if (status < 200 || status > 299) return failureOf(status, body);
  if (schema === null) return text === '' ? { ok: true, status, data: null } : NO_ANSWER;
  const parsed = v.safeParse(schema, body);
  return parsed.success ? { ok: true, status, data: parsed.output } : NO_ANSWER;
}

/** Usage: `serverMessage(failure) ?? fallback` — the server's own message, undefined where it gave none. */
export function serverMessage(failure: ApiFailure): string | undefined {
  return failure.offline || failure.error === unavailableMessage(failure.status) ? undefined : failure.error;
}
