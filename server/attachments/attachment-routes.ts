import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requireAccount, type SignedIn } from '../accounts/session.ts';
import { getAttachment, putAttachment } from '../db/attachments-store.ts';
import type { Storage } from '../db/database.ts';
import type { AttachmentKind } from '../db/schema.ts';
import { errorResponse } from '../http/errors.ts';
import { type ImageMime, sniffImageType } from './image-content.ts';
import { ImageRejectedError, reencodeAttachment } from './reencode.ts';

/** Cap on the raw upload; the client shrinks camera photos well below it before sending. */
export const UPLOAD_LIMIT_BYTES = 5 * 1024 * 1024;

export const attachmentMessages = {
  badKind: '附件类型不正确',
  empty: '请选择图片',
  unsupportedType: '仅支持 jpg、jpeg、png 格式的图片',
  tooLarge: '图片过大，请压缩后再上传',
  undecodable: '图片无法识别，请重新选择',
  exists: '附件已存在',
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

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Photo and signature uploads. The server never keeps the uploaded bytes: it decodes them and stores
 * its own re-encoding, so no metadata or hidden payload reaches the reviewers.
 */
export function attachmentRoutes(storage: Storage) {
  return new Hono<SignedIn>()
    .post(
      '/',
      requireAccount(storage),
      // Everything that needs no body is checked before the body is read.
      async (c, next) => {
        if (!isKind(c.req.query('kind'))) return errorResponse(c, 400, attachmentMessages.badKind);
        if (!declaredImageType(c.req.header('content-type'))) {
          return errorResponse(c, 415, attachmentMessages.unsupportedType);
        }
        await next();
      },
      bodyLimit({ maxSize: UPLOAD_LIMIT_BYTES, onError: (c) => errorResponse(c, 413, attachmentMessages.tooLarge) }),
      async (c) => {
        const kind = c.req.query('kind') as AttachmentKind;
        const declared = declaredImageType(c.req.header('content-type'));
        const upload = new Uint8Array(await c.req.arrayBuffer());
        if (upload.byteLength === 0) return errorResponse(c, 400, attachmentMessages.empty);
        if (sniffImageType(upload) !== declared) return errorResponse(c, 415, attachmentMessages.unsupportedType);

        let image: Awaited<ReturnType<typeof reencodeAttachment>>;
        try {
          image = await reencodeAttachment(kind, upload);
        } catch (err) {
          if (!(err instanceof ImageRejectedError)) throw err;
          return err.reason === 'too-many-pixels'
            ? errorResponse(c, 413, attachmentMessages.tooLarge)
            : errorResponse(c, 422, attachmentMessages.undecodable);
        }

        const account = c.get('account');
        const { created, attachment } = await putAttachment(storage.db, {
          accountId: account.id,
          kind,
          mime: image.mime,
          bytes: image.bytes,
        });
        // Someone else stored these very bytes: say no more than that, and hand out nothing of theirs.
        if (attachment.accountId !== account.id) return errorResponse(c, 409, attachmentMessages.exists);
        const body = {
          id: attachment.sha256,
          kind: attachment.kind,
          mime: attachment.mime,
          size: attachment.size,
          width: image.width,
          height: image.height,
        };
        return c.json(body, created ? 201 : 200);
      },
    )
    .get('/:id', requireAccount(storage), async (c) => {
      const id = c.req.param('id');
      const attachment = SHA256_HEX.test(id) ? await getAttachment(storage.db, id) : undefined;
      // Another person's attachment is answered exactly like a missing one.
      if (!attachment || attachment.accountId !== c.get('account').id) {
        return errorResponse(c, 404, attachmentMessages.notFound);
      }
      return c.body(new Uint8Array(attachment.bytes), 200, {
        'Content-Type': attachment.mime,
        'Content-Length': String(attachment.bytes.byteLength),
        // The id is the content's hash: the bytes behind it can never change.
        'Cache-Control': 'private, max-age=31536000, immutable',
        'X-Content-Type-Options': 'nosniff',
      });
    });
}
