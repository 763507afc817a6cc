import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requireAccount, type SignedIn } from '../accounts/session.ts';
import { type AttachmentInfo, findAttachmentInfo, getAttachment, putAttachment, sha256Hex } from '../db/attachments-store.ts';
import type { Storage } from '../db/database.ts';
import type { AttachmentKind } from '../db/schema.ts';
import { errorResponse } from '../http/errors.ts';
import { type ImageMime, sniffImageType } from './image-content.ts';
import { ImageRejectedError, reencodeAttachment, storedImageSize } from './reencode.ts';

/** Cap on the raw upload; the client shrinks camera photos well below it before sending. */
export const UPLOAD_LIMIT_BYTES = 5 * 1024 * 1024;

export const attachmentMessages = {
  badId: '附件标识不正确',
  badKind: '附件类型不正确',
  empty: '请选择图片',
  unsupportedType: '仅支持 jpg、jpeg、png 格式的图片',
  tooLarge: '图片过大，请压缩后再上传',
  undecodable: '图片无法识别，请重新选择',
  hashMismatch: '附件校验失败，请重新上传',
  otherKind: '该图片已作为其他类型的附件上传',
  notFound: '未找到该附件',
} as const;

const KINDS: readonly AttachmentKind[] = ['photo', 'signature'];

function isKind(value: string | undefined): value is AttachmentKind {
  return KINDS.includes(value as AttachmentKind);
}

/** The declared media type, without parameters; undefined for anything but JPEG or PNG. */
function declaredImageType(header: string | undefined): ImageMime | undefined {
  const type = (header ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'image/jpeg' || type === 'image/png' ? type : undefined;
}

/** Attachment ids are the SHA-256 of the uploaded bytes, lower-case hex, as the device computes it. */
const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface AttachmentRoutesOptions {
  /** The re-encoder; tests count its calls. */
  reencode?: typeof reencodeAttachment;
}

/** What PUT answers, the first time (201) and on every retry (200). */
export interface AttachmentBody {
  id: string;
  kind: AttachmentKind;
  mime: string;
  size: number;
  width: number;
  height: number;
}

/**
 * Photo and signature uploads, addressed by the SHA-256 the device computed of the bytes it sends,
 * so a submission built offline can name them before they are uploaded, and a retry costs nothing.
 * The server never keeps the uploaded bytes: it decodes them and stores its own re-encoding, so no
 * metadata or hidden payload reaches the reviewers. Ids are per account: two people uploading the
 * same picture each get their own copy, and neither learns of the other.
 */
export function attachmentRoutes(storage: Storage, options: AttachmentRoutesOptions = {}) {
  const reencode = options.reencode ?? reencodeAttachment;

  async function bodyOf(accountId: string, info: AttachmentInfo): Promise<AttachmentBody> {
    let { width, height } = info;
    if (width === null || height === null) {
      const stored = await getAttachment(storage.db, accountId, info.id);
      ({ width, height } = stored ? await storedImageSize(stored.bytes) : { width: 0, height: 0 });
    }
    return { id: info.id, kind: info.kind, mime: info.mime, size: info.size, width, height };
  }

  return new Hono<SignedIn>()
    .put(
      '/:sha256',
      requireAccount(storage),
      // Everything that needs no body is checked before the body is read.
      async (c, next) => {
        if (!SHA256_HEX.test(c.req.param('sha256') ?? '')) return errorResponse(c, 400, attachmentMessages.badId);
        if (!isKind(c.req.query('kind'))) return errorResponse(c, 400, attachmentMessages.badKind);
        if (!declaredImageType(c.req.header('content-type'))) {
          return errorResponse(c, 415, attachmentMessages.unsupportedType);
        }
        await next();
      },
      bodyLimit({ maxSize: UPLOAD_LIMIT_BYTES, onError: (c) => errorResponse(c, 413, attachmentMessages.tooLarge) }),
      async (c) => {
        const id = c.req.param('sha256');
        const kind = c.req.query('kind') as AttachmentKind;
        const declared = declaredImageType(c.req.header('content-type'));
        const account = c.get('account');
        const upload = new Uint8Array(await c.req.arrayBuffer());
        if (upload.byteLength === 0) return errorResponse(c, 400, attachmentMessages.empty);
        if (sniffImageType(upload) !== declared) return errorResponse(c, 415, attachmentMessages.unsupportedType);
        // Damaged in transit, or the device hashed something else: either way these are not the bytes it named.
        if (sha256Hex(upload) !== id) return errorResponse(c, 422, attachmentMessages.hashMismatch);

        // A retry: answered from what is stored, without decoding anything again.
        const existing = await findAttachmentInfo(storage.db, account.id, id);
        if (existing) {
          if (existing.kind !== kind) return errorResponse(c, 409, attachmentMessages.otherKind);
          return c.json(await bodyOf(account.id, existing), 200);
        }

        let image: Awaited<ReturnType<typeof reencodeAttachment>>;
        try {
          image = await reencode(kind, upload);
        } catch (err) {
          if (!(err instanceof ImageRejectedError)) throw err;
          return err.reason === 'too-many-pixels'
            ? errorResponse(c, 413, attachmentMessages.tooLarge)
            : errorResponse(c, 422, attachmentMessages.undecodable);
        }

        // A retry racing the first upload (another server instance, say) loses on the key and gets the winner's row.
        const { created, attachment } = await putAttachment(storage.db, {
          accountId: account.id,
          id,
          kind,
          mime: image.mime,
          bytes: image.bytes,
          width: image.width,
          height: image.height,
        });
        if (attachment.kind !== kind) return errorResponse(c, 409, attachmentMessages.otherKind);
        return c.json(await bodyOf(account.id, attachment), created ? 201 : 200);
      },
    )
    // HEAD is routed here too (Hono answers it with the GET handler, minus the body): it lets the
    // device skip an upload the server already has, without the bytes being read.
    .get('/:sha256', requireAccount(storage), async (c) => {
      const id = c.req.param('sha256');
      const accountId = c.get('account').id;
      if (c.req.method === 'HEAD') {
        const info = SHA256_HEX.test(id) ? await findAttachmentInfo(storage.db, accountId, id) : undefined;
        if (!info) return errorResponse(c, 404, attachmentMessages.notFound);
        return c.body(null, 200, { 'Content-Type': info.mime, 'Content-Length': String(info.size) });
      }
      const attachment = SHA256_HEX.test(id) ? await getAttachment(storage.db, accountId, id) : undefined;
      // Another person's attachment is answered exactly like a missing one.
      if (!attachment) return errorResponse(c, 404, attachmentMessages.notFound);
      return c.body(new Uint8Array(attachment.bytes), 200, {
        'Content-Type': attachment.mime,
        'Content-Length': String(attachment.bytes.byteLength),
        // The id names the uploaded bytes, and what was stored for them never changes.
        'Cache-Control': 'private, max-age=31536000, immutable',
        'X-Content-Type-Options': 'nosniff',
      });
    });
}
