/**
 * One request to our own server, for code that must never throw on a bad network (the outbox, draft
 * sync; also inside the service worker): the answer is a status and a parsed body, or status 0.
 */

/** What the server answered; status 0 means no answer at all (offline, timeout, connection cut). */
export interface HttpAnswer {
  status: number;
  body: unknown;
}

export interface HttpExchange {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  /** Same-origin path, e.g. `/api/drafts`. */
  path: string;
  headers?: Record<string, string>;
  body?: Blob | string;
  /** 'blob': a 2xx body is handed back as a Blob (attachment downloads); otherwise parsed JSON. */
  expect?: 'json' | 'blob';
}

/** A request silent this long is dead, even on a 400 kbps link. */
export const REQUEST_TIMEOUT_MS = 60_000;

/** JSON, or null: a proxy's HTML error page carries no answer of ours, the status alone decides. */
export function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Same-origin fetch with the session cookie; never throws. */
export async function exchange(request: HttpExchange): Promise<HttpAnswer> {
  try {
    const response = await fetch(request.path, {
      method: request.method,
      credentials: 'same-origin',
      headers: request.headers ?? {},
      body: request.body ?? null,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (request.expect === 'blob' && response.ok) return { status: response.status, body: await response.blob() };
    const text = request.method === 'HEAD' ? '' : await response.text();
    return { status: response.status, body: parseJson(text) };
  } catch {
    return { status: 0, body: null };
  }
}
