import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by `requestLog` on every request: the X-Request-Id sent back and written to each log line. */
    requestId: string;
  }
}

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** A proxy's or client's id is kept only when it is a short plain token: it goes into the log verbatim. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The incoming id when sane, else a new random one. */
export function chooseRequestId(incoming: string | undefined): string {
  return incoming !== undefined && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** The request's id; 'none' outside `requestLog` (a sub-app under test on its own). */
export function requestIdOf(c: Context): string {
  return c.get('requestId') ?? 'none';
}
