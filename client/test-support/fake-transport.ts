/**
 * A server in memory behind the network client's Transport (client/net/transport.ts): the element tests
 * run with no server, so each test answers the requests it expects, and sees what was sent.
 */
import type { Transport } from '../net/transport.ts';

export interface RecordedRequest {
  method: string;
  /** Same-origin path with its query, e.g. `/api/attachments/<sha256>?kind=photo`. */
  path: string;
  /** Header names in lower case, as HTTP treats them. */
  headers: Record<string, string>;
  body?: string | Blob;
  /** Uploads only: report bytes received, as the browser's upload progress would. */
  onUploadProgress?: (loaded: number) => void;
}

/** Status 0: no answer at all (offline, timeout). A Blob body is answered as is, anything else as JSON. */
export interface FakeAnswer {
  status: number;
  body: unknown;
}

function headerRecord(headers: HeadersInit | undefined): Record<string, string> {
  return Object.fromEntries([...new Headers(headers ?? {}).entries()]);
}

function response(answer: FakeAnswer, method: string): Response {
  if (answer.status === 0) throw new TypeError('Failed to fetch');
  const bodyless = method === 'HEAD' || answer.status === 204 || answer.body === null || answer.body === undefined;
  if (bodyless) return new Response(null, { status: answer.status });
  if (answer.body instanceof Blob) {
    return new Response(answer.body, { status: answer.status, headers: { 'content-type': answer.body.type } });
  }
  const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  return new Response(text, { status: answer.status, headers: { 'content-type': 'application/json' } });
}

/** Usage: `new NetClient(fakeTransport(async (request) => ({ status: 201, body: {...} })))`. */
export function fakeTransport(handle: (request: RecordedRequest) => Promise<FakeAnswer> | FakeAnswer): Transport {
  const answer = async (request: RecordedRequest) => {
    // Another turn of the event loop, as a real request would take.
    await new Promise((resolve) => setTimeout(resolve, 0));
    return response(await handle(request), request.method);
  };
  return {
    fetch: (input, init = {}) => {
      const request: RecordedRequest = { method: (init.method ?? 'GET').toUpperCase(), path: input, headers: headerRecord(init.headers) };
      if (typeof init.body === 'string' || init.body instanceof Blob) request.body = init.body;
      return answer(request);
    },
    put: (url, blob, headers, onUploadProgress) => {
      const request: RecordedRequest = { method: 'PUT', path: url, headers: headerRecord(headers), body: blob };
      if (onUploadProgress) request.onUploadProgress = onUploadProgress;
      return answer(request);
    },
  };
}
