/**
 * Attachments go up on their own, named by the SHA-256 of their bytes, so a retried upload is free
 * and the server can check what arrived. XMLHttpRequest where it exists (upload progress for the
 * bar); fetch in the service worker, which has no XMLHttpRequest.
 */
import { type HttpAnswer, parseJson } from './http-exchange.ts';

/** Slow links (400 kbps) move a few hundred KB in seconds; a request silent this long is dead. */
export const UPLOAD_TIMEOUT_MS = 120_000;

/** Lowercase hex SHA-256 of the Blob's bytes (WebCrypto: needs a secure context, as the SW does). */
export async function blobSha256(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

function uploadWithXhr(
  url: string,
  blob: Blob,
  headers: Record<string, string>,
  onProgress?: (loaded: number) => void,
): Promise<HttpAnswer> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.timeout = UPLOAD_TIMEOUT_MS;
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    if (onProgress) xhr.upload.onprogress = (event) => onProgress(Math.min(event.loaded, blob.size));
    xhr.onload = () => resolve({ status: xhr.status, body: parseJson(xhr.responseText) });
    xhr.onerror = xhr.ontimeout = xhr.onabort = () => resolve({ status: 0, body: null });
    xhr.send(blob);
  });
}

async function uploadWithFetch(url: string, blob: Blob, headers: Record<string, string>): Promise<HttpAnswer> {
  try {
    const response = await fetch(url, {
      method: 'PUT',
      credentials: 'same-origin',
      headers,
      body: blob,
      signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
    });
    return { status: response.status, body: parseJson(await response.text()) };
  } catch {
    return { status: 0, body: null };
  }
}

/** PUTs the Blob to `url`; never throws. Progress is reported in bytes of this Blob. */
export function uploadAttachment(
  url: string,
  blob: Blob,
  headers: Record<string, string>,
  onProgress?: (loaded: number) => void,
): Promise<HttpAnswer> {
  if (typeof XMLHttpRequest === 'function') return uploadWithXhr(url, blob, headers, onProgress);
  return uploadWithFetch(url, blob, headers);
}
