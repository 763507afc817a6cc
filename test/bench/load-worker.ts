/**
 * The load generator, run as its own process so it does not share a CPU thread with the server or the
 * bench: autocannon with one scenario, its result printed as one JSON line on stdout.
 * Run: node --import tsx test/bench/load-worker.ts <spec.json>
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import autocannonModule from 'autocannon';

export type Scenario = 'draft' | 'bare-draft' | 'submission' | 'upload' | 'search' | 'feed';

export interface WorkerSpec {
  scenario: Scenario;
  /** Connections are spread over these round robin (autocannon's own handling of several URLs). */
  urls: string[];
  connections: number;
  durationSeconds: number;
  /** Session cookies (`name=value`); connection i uses cookies[i % length]. */
  cookies?: string[];
  /** A draft write without its baseRevision, as JSON text (`{"values":…}`). */
  draftBody?: string;
  /** A complete application, as JSON text. */
  application?: string;
  photoBase64?: string;
  token?: string;
  queries?: string[];
}

export interface WorkerResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  total: number;
  statusCodes: Record<string, number>;
}

/** What one connection keeps between its requests: which device it is, its draft, the revision it holds. */
interface Device {
  index?: number;
  revision?: number;
  draftId?: string;
}

/**
 * autocannon's per-request context: it is cleared before every request when a connection has one
 * request to loop over, so what must last is kept in `device`, which it only points at.
 */
interface Context {
  device?: Device;
}

interface Request {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /**
   * Each connection gets its own deep copy of the request (and so of this object); setupRequest is
   * handed a shallow copy of that, which shares it. Hence the place for a connection's lasting state.
   */
  device?: Device;
}

/** The part of autocannon's API used here (the package ships no types). */
interface LoadRequest extends Request {
  setupRequest?: (req: Request, ctx: Context) => Request;
  onResponse?: (status: number, body: string, ctx: Context) => void;
}
interface LoadResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats?: Record<string, { count: number }>;
}
const autocannon = autocannonModule as unknown as (options: {
  url: string | string[];
  connections: number;
  duration: number;
  requests: LoadRequest[];
}) => Promise<LoadResult>;

const spec = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as WorkerSpec;
let clients = 0;
let counter = 0;

/** The connection's device, made on its first request. */
function deviceOf(req: Request, ctx: Context): Device {
  if (!req.device) throw new Error('request without its device object');
  req.device.index ??= clients++;
  ctx.device = req.device;
  return req.device;
}

const cookieOf = (device: Device) => {
  const cookies = spec.cookies ?? [];
  return cookies.length ? cookies[device.index! % cookies.length]! : '';
};

/** The same photo with a different JPEG comment each time: new bytes, so a new attachment to store. */
function photoVariant(photo: Buffer, n: number): Buffer {
  const text = Buffer.from(`bench ${process.pid} ${n}`);
  const segment = Buffer.alloc(4);
  segment.writeUInt16BE(0xfffe, 0);
  segment.writeUInt16BE(text.length + 2, 2);
  return Buffer.concat([photo.subarray(0, 2), segment, text, photo.subarray(2)]);
}

function draftRequest(prefix: string): LoadRequest {
  return {
    method: 'PUT',
    device: {},
    setupRequest: (req: Request, ctx: Context) => {
      const device = deviceOf(req, ctx);
      const cookie = cookieOf(device);
      device.draftId ??= randomUUID();
      device.revision ??= 0;
      req.path = `${prefix}/${device.draftId}`;
      req.headers = { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) };
      req.body = `{"baseRevision":${device.revision},${spec.draftBody!.slice(1)}`;
      return req;
    },
    onResponse: (status: number, body: string, ctx: Context) => {
      // The next write is based on what the server holds now, as the device's sync does.
      if (!ctx.device) return;
      if (status === 200) ctx.device.revision = (JSON.parse(body) as { revision: number }).revision;
      else if (status === 409) ctx.device.revision = (JSON.parse(body) as { draft: { revision: number } }).draft.revision;
    },
  };
}

function requestFor(scenario: Scenario): LoadRequest {
  switch (scenario) {
    case 'draft':
      return draftRequest('/api/drafts');
    case 'bare-draft':
      return draftRequest('/drafts');
    case 'submission':
      return {
        method: 'POST',
        device: {},
        setupRequest: (req: Request, ctx: Context) => {
          // Each request a new application attempt: a new Idempotency-Key.
          req.path = '/api/submissions';
          req.headers = { 'content-type': 'application/json', cookie: cookieOf(deviceOf(req, ctx)), 'idempotency-key': randomUUID() };
          req.body = spec.application!;
          return req;
        },
      };
    case 'upload': {
      const photo = Buffer.from(spec.photoBase64!, 'base64');
      return {
        method: 'PUT',
        device: {},
        setupRequest: (req: Request, ctx: Context) => {
          const bytes = photoVariant(photo, counter++);
          const sha256 = createHash('sha256').update(bytes).digest('hex');
          req.path = `/api/attachments/${sha256}?kind=photo`;
          req.headers = { 'content-type': 'image/jpeg', cookie: cookieOf(deviceOf(req, ctx)) };
          req.body = bytes;
          return req;
        },
      };
    }
    case 'search':
      return {
        method: 'GET',
        device: {},
        setupRequest: (req: Request, ctx: Context) => {
          const q = spec.queries![counter++ % spec.queries!.length]!;
          req.path = `/api/enterprises?q=${encodeURIComponent(q)}&limit=10`;
          req.headers = { cookie: cookieOf(deviceOf(req, ctx)) };
          return req;
        },
      };
    case 'feed':
      return { method: 'GET', path: '/api/staff/feed?limit=50', headers: { authorization: `Bearer ${spec.token}` } };
  }
}

const result = await autocannon({
  url: spec.urls.length === 1 ? spec.urls[0]! : spec.urls,
  connections: spec.connections,
  duration: spec.durationSeconds,
  requests: [requestFor(spec.scenario)],
});
const statusCodes: Record<string, number> = {};
for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = count;
const out: WorkerResult = {
  requestsPerSecond: result.requests.average,
  p50: result.latency.p50,
  p99: result.latency.p99,
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  total: result.requests.total,
  statusCodes,
};
console.log(JSON.stringify(out));
