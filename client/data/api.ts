/** Talks to the server's /api. Every failure becomes a Chinese message a person can act on. */

export interface FieldIssue {
  field: string;
  message: string;
}

export type ApiResult<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number; error: string; issues: FieldIssue[]; offline: boolean };

export const OFFLINE_MESSAGE = '网络连接失败，请检查网络后重试。已填写的内容不会丢失。';

export async function apiFetch<T>(path: string, init: RequestInit = {}): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(`/api${path}`, { credentials: 'same-origin', ...init });
  } catch {
    return { ok: false, status: 0, error: OFFLINE_MESSAGE, issues: [], offline: true };
  }
  const body: unknown = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.ok) return { ok: true, status: response.status, data: body as T };
  const failure = (body ?? {}) as { error?: string; issues?: FieldIssue[] };
  return {
    ok: false,
    status: response.status,
    error: failure.error ?? `服务暂时不可用（${response.status}），请稍后重试`,
    issues: failure.issues ?? [],
    offline: false,
  };
}

export function postJson<T>(path: string, body: unknown, headers: Record<string, string> = {}) {
  return apiFetch<T>(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}
