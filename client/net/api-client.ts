/**
 * The one network client of the device, used by pages, draft sync, the outbox and the service worker.
 * Requests are typed by the server's routes (`hc<AppType>`: paths, params, query, headers and JSON bodies
 * checked by the compiler); answers are read with the shared response schemas (see ./api-answer.ts).
 */
import { hc } from 'hono/client';
import type { AppType } from '../../server/app.ts';
import { type AttachmentKind, attachmentSchema } from '../../shared/api/attachments.ts';
import { type EnterpriseSearchAnswer, enterpriseSearchAnswerSchema } from '../../shared/api/enterprises.ts';
import { type ApiAnswer, NO_ANSWER, readAnswer } from './api-answer.ts';
import { browserTransport, type Transport } from './transport.ts';

export {
  type ApiAnswer,
  type ApiFailure,
  type FieldIssue,
  NO_ANSWER,
  OFFLINE_MESSAGE,
  readAnswer,
  serverMessage,
  unavailableMessage,
} from './api-answer.ts';
export { browserTransport, type Transport } from './transport.ts';

export const API_BASE = '/api';

export type { AttachmentKind };

export interface AttachmentToUpload {
  /** The id the server knows it by: hex SHA-256 of `blob` (see client/data/blob-sha256.ts). */
  sha256: string;
  kind: AttachmentKind;
  blob: Blob;
}

export interface EnterpriseSearch {
  /** At most this many (the server caps it). */
  limit?: number;
  /** Aborts the request (a newer keyword was typed). */
  signal?: AbortSignal;
}

function createApi(transport: Transport) {
  return hc<AppType>(API_BASE, { fetch: transport.fetch as typeof fetch });
}

export type Api = ReturnType<typeof createApi>;

/** A photo is a JPEG unless the Blob says otherwise; a signature a PNG. */
const defaultType = (attachment: AttachmentToUpload) =>
  attachment.blob.type || (attachment.kind === 'photo' ? 'image/jpeg' : 'image/png');

/**
 * The network client over one transport. The app uses the default instance through the functions
 * below; a test builds its own: `new NetClient({ fetch: fakeServer, put: fakeUpload })`.
 */
export class NetClient {
  /** Typed requests: `await readAnswer(client.api.session.$get(), schema)`. */
  readonly api: Api;

  constructor(readonly transport: Transport = browserTransport) {
    this.api = createApi(transport);
  }

  /** HEAD, GET and PUT go by hand (no JSON body, a Blob, upload progress) to the typed route's address. */
  private attachmentUrl(sha256: string, kind: AttachmentKind): string {
    return `${API_BASE}${this.api.attachments[':sha256'].$path({ param: { sha256 }, query: { kind } })}`;
  }

  /** Uploads under way by kind and hash, so draft sync and the outbox never send the same bytes twice at once. */
  private readonly uploading = new Map<string, { answer: Promise<ApiAnswer<null>>; listeners: Set<(loaded: number) => void> }>();

  /**
   * Usage: `const answer = await client.ensureUploaded({ sha256, kind, blob }, (loaded) => …)`.
   * HEAD first (the server may have it from an earlier attempt or another device), then PUT with
   * progress in bytes of this Blob. ok once the server holds it; otherwise the failing request's answer.
   * A call for bytes already on their way joins that upload (its progress too) instead of sending them again.
   */
  ensureUploaded(attachment: AttachmentToUpload, onProgress?: (loaded: number) => void): Promise<ApiAnswer<null>> {
    const key = `${attachment.kind}:${attachment.sha256}`;
    let upload = this.uploading.get(key);
    if (!upload) {
      const listeners = new Set<(loaded: number) => void>();
      const answer = this.upload(attachment, (loaded) => {
        for (const listener of listeners) listener(loaded);
      }).finally(() => this.uploading.delete(key));
      upload = { answer, listeners };
      this.uploading.set(key, upload);
    }
    if (onProgress) upload.listeners.add(onProgress);
    return upload.answer;
  }

  private async upload(attachment: AttachmentToUpload, onProgress: (loaded: number) => void): Promise<ApiAnswer<null>> {
    const url = this.attachmentUrl(attachment.sha256, attachment.kind);
    const head = await readAnswer(this.transport.fetch(url, { method: 'HEAD' }), null);
    if (head.ok) return head;
    if (head.status !== 404) return head;
    const put = await readAnswer(
      this.transport.put(url, attachment.blob, { 'content-type': defaultType(attachment) }, onProgress),
      attachmentSchema,
    );
    if (!put.ok) return put;
    // An answer for other bytes than these is none of ours.
    return put.data.id === attachment.sha256 ? { ok: true, status: put.status, data: null } : NO_ANSWER;
  }

  /**
   * Usage: `const answer = await client.downloadAttachment(sha256, 'photo')` — the server's stored
   * (re-encoded) bytes of an attachment, e.g. a photo set on another device; `answer.data` is a Blob.
   */
  async downloadAttachment(sha256: string, kind: AttachmentKind): Promise<ApiAnswer<Blob>> {
    const url = this.attachmentUrl(sha256, kind);
    let response: Response;
    try {
      response = await this.transport.fetch(url, { method: 'GET' });
    } catch {
      return NO_ANSWER;
    }
    if (!response.ok) return readAnswer(response, null) as Promise<ApiAnswer<never>>;
    try {
      const blob = await response.blob();
      // Our server answers JPEG or PNG; anything else (a portal's page) is no answer.
      return /^image\/(jpeg|png)$/.test(blob.type) ? { ok: true, status: response.status, data: blob } : NO_ANSWER;
    } catch {
      return NO_ANSWER;
    }
  }

  /**
   * Usage: `const answer = await client.searchEnterprises('示例', { limit: 10, signal })` — the server's
   * directory (name contains the keyword, or USCC starts with it). The picker and the outbox's match
   * both ask through here.
   */
  searchEnterprises(keyword: string, options: EnterpriseSearch = {}): Promise<ApiAnswer<EnterpriseSearchAnswer>> {
    const query = options.limit === undefined ? { q: keyword } : { q: keyword, limit: String(options.limit) };
    const init: RequestInit = options.signal ? { signal: options.signal } : {};
    return readAnswer(this.api.enterprises.$get({ query }, { init }), enterpriseSearchAnswerSchema);
  }
}

/** The app's client, on the real network. */
export const net = new NetClient();

/** Typed requests to the server: `await readAnswer(api.session.$delete(), null)`. */
export const api: Api = net.api;

/** Usage: `await ensureUploaded({ sha256, kind, blob }, onProgress)` — see NetClient.ensureUploaded. */
export function ensureUploaded(attachment: AttachmentToUpload, onProgress?: (loaded: number) => void): Promise<ApiAnswer<null>> {
  return net.ensureUploaded(attachment, onProgress);
}

/** Usage: `const answer = await downloadAttachment(sha256, kind)` — see NetClient.downloadAttachment. */
export function downloadAttachment(sha256: string, kind: AttachmentKind): Promise<ApiAnswer<Blob>> {
  return net.downloadAttachment(sha256, kind);
}

/** Usage: `await searchEnterprises(keyword, { limit, signal })` — see NetClient.searchEnterprises. */
export function searchEnterprises(keyword: string, options?: EnterpriseSearch): Promise<ApiAnswer<EnterpriseSearchAnswer>> {
  return net.searchEnterprises(keyword, options);
}
