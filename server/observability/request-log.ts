import type { MiddlewareHandler } from 'hono';
import type { Logger } from './logger.ts';
import { chooseRequestId, REQUEST_ID_HEADER } from './request-id.ts';
import { routeLabel } from './route-label.ts';

/** What is known of a request once it is answered: all a log line or a metric may hold. */
export interface CompletedRequest {
  reqId: string;
  method: string;
  route: string;
  status: number;
  ms: number;
}

/**
 * Names every request (X-Request-Id, sent back on the answer) and writes one line when it is answered:
 * id, method, route pattern, status, duration. Never the path, query, headers, cookies or body.
 * `completed` hears of each request as well (the metrics).
 */
export function requestLog(logger: Logger, completed?: (request: CompletedRequest) => void): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    const reqId = chooseRequestId(c.req.header(REQUEST_ID_HEADER));
    c.set('requestId', reqId);
    // Errors are answered by the app's onError inside next(), so every request reaches the line below.
    await next();
    // On the answer's own headers, as secureHeaders does: c.header() on a finished answer would rebuild
    // it as a web Response with a streamed body, the costliest step of a small JSON answer.
    c.res.headers.set(REQUEST_ID_HEADER, reqId);
    const request: CompletedRequest = {
      reqId,
      method: c.req.method,
      route: routeLabel(c),
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    };
    logger.info(request, '请求完成');
    completed?.(request);
  };
}
