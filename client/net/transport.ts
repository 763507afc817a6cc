/**
 * How requests leave the device: same-origin fetch with the session cookie and a timeout, and attachment
 * PUTs with upload progress. The one place that touches the network; tests hand a fake server in its place.
 */

import { serverClock } from '../../shared/server-time.ts';

/** A request silent this long is dead, even on a 400 kbps link. */
export const REQUEST_TIMEOUT_MS = 60_000;
/** Slow links (400 kbps) move a few hundred KB in seconds; an upload silent this long is dead. */
export const UPLOAD_TIMEOUT_MS = 120_000;

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface Transport {
  /** fetch's own contract: rejects when no answer came (offline, timeout, connection cut). */
  fetch: Fetch;
  /** PUTs the Blob, reporting bytes of it sent so far; rejects when no answer came. */
  put(url: string, blob: Blob, headers: Record<string, string>, onProgress?: (loaded: number) => void): Promise<Response>;
}

function withTimeout(signal: AbortSignal | null | undefined, ms: number): AbortSignal {
  const timeout = AbortSignal.timeout(ms);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

/** Every answer tells the server's time (its `Date` header): the device's clock may be days off. */
async function timedFetch(input: string, init: RequestInit = {}): Promise<Response> {
  const sentAt = Date.now();
  const signal = withTimeout(init.signal, REQUEST_TIMEOUT_MS);
  const response = await fetch(input, { credentials: 'same-origin', ...init, signal });
  serverClock.learn(response.headers, sentAt, Date.now());
  return response;
}

/** 204 and 304 answers may carry no body: the Response constructor refuses one. */
const bodyless = (status: number) => status === 204 || status === 205 || status === 304;

function putWithXhr(url: string, blob: Blob, headers: Record<string, string>, onProgress?: (loaded: number) => void) {
  return new Promise<Response>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.timeout = UPLOAD_TIMEOUT_MS;
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    if (onProgress) xhr.upload.onprogress = (event) => onProgress(Math.min(event.loaded, blob.size));
    xhr.onload = () => {
      // Status 0 after load: the browser got no HTTP answer (a cut connection).
      if (xhr.status < 200 || xhr.status > 599) return reject(new TypeError('no answer'));
      const type = xhr.getResponseHeader('content-type');
      const init: ResponseInit = { status: xhr.status, headers: type ? { 'content-type': type } : {} };
      resolve(new Response(bodyless(xhr.status) ? null : xhr.responseText, init));
    };
    xhr.onerror = xhr.ontimeout = xhr.onabort = () => reject(new TypeError('no answer'));
    xhr.send(blob);
  });
}

/** The real network. XMLHttpRequest where it exists (upload progress); fetch in the service worker. */
export const browserTransport: Transport = {
  fetch: timedFetch,
  put(url, blob, headers, onProgress) {
    if (typeof XMLHttpRequest === 'function') return putWithXhr(url, blob, headers, onProgress);
    return fetch(url, {
      method: 'PUT',
      credentials: 'same-origin',
      headers,
      body: blob,
      signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
    });
  },
};
