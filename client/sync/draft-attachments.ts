/**
 * The draft's photo and signature on the server: uploaded once by the id the draft keeps (hashed when
 * the person set them), and downloaded when a copy from another device names one this device lacks.
 * Both through the one network client (ensureUploaded, downloadAttachment).
 */
import { ATTACHMENT_KINDS, type AttachmentKind } from '../../shared/api/attachments.ts';
import { type DraftStore, SHA_KEY } from '../data/draft-store.ts';
import type { ApiFailure, NetClient } from '../net/api-client.ts';
import type { WantedAttachment } from './draft-copy.ts';

export class DraftAttachments {
  /** `kind:sha256` the server is known to hold, so a repeated PUT of the draft does not ask again. */
  private readonly onServer = new Set<string>();

  constructor(private readonly net: NetClient) {}

  /** Makes sure the server holds each attachment of the draft; the failing answer otherwise. */
  async upload(store: DraftStore): Promise<ApiFailure | undefined> {
    for (const kind of ATTACHMENT_KINDS) {
      const attachment = await store.attachment(kind);
      if (!attachment) continue;
      const key = `${kind}:${attachment.sha256}`;
      if (this.onServer.has(key)) continue;
      const answer = await this.net.ensureUploaded(attachment);
      if (!answer.ok) return answer;
      this.onServer.add(key);
    }
    return undefined;
  }

  async download(sha256: string, kind: AttachmentKind): Promise<Blob | undefined> {
    const answer = await this.net.downloadAttachment(sha256, kind);
    if (!answer.ok) return undefined;
    this.onServer.add(`${kind}:${sha256}`);
    return answer.data;
  }

  /** The bytes of each wanted attachment that could be fetched, by id. */
  async downloadAll(wanted: WantedAttachment[]): Promise<Map<string, Blob>> {
    const blobs = new Map<string, Blob>();
    for (const { kind, sha256 } of wanted) {
      const blob = await this.download(sha256, kind);
      if (blob) blobs.set(sha256, blob);
    }
    return blobs;
  }

  /**
   * An attachment known by id whose bytes did not arrive before (offline during a pull): fetched now,
   * and taken into the draft unless it changed meanwhile or `stillOpen` says it is no longer followed.
   */
  async fetchMissing(store: DraftStore, stillOpen: () => boolean): Promise<void> {
    for (const kind of ATTACHMENT_KINDS) {
      const sha256 = store.record[SHA_KEY[kind]];
      if (!sha256 || store.record[kind]) continue;
      const blob = await this.download(sha256, kind);
      const record = store.record;
      if (!blob || record[kind] || record[SHA_KEY[kind]] !== sha256 || !stillOpen()) continue;
      await store.applyRemote({ ...record, [kind]: blob });
    }
  }
}
