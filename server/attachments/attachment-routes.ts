import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import {
  type Attachment,
  attachmentLookupParamSchema,
  attachmentMessages,
  attachmentParamSchema,
  attachmentQuerySchema,
  attachmentSchema,
} from '../../shared/api/attachments.ts';
import { type ImageMime, sniffImageType } from '../../shared/image-type.ts';
import { requireAccount, type SignedIn } from '../accounts/session.ts';
import { sha256Hex } from '../crypto/sha256.ts';
import { findAttachmentInfo, getAttachment, putAttachment } from '../db/attachments-store.ts';
import type { AttachmentInfo } from './attachment.ts';
import type { Storage } from '../db/database.ts';
import { errorResponse } from '../http/errors.ts';
import { tooLarge } from '../http/json-body.ts';
import { validate } from '../http/validate.ts';
import { describeRoute, errorSpec, errorResponses } from '../openapi/describe-route.ts';
import { ImageRejectedError, reencodeAttachment, storedImageSize } from './reencode.ts';

/** Cap on the raw upload; the client shrinks camera photos well below it before sending. */
export const UPLOAD_LIMIT_BYTES = 5 * 1024 * 1024;

/** The declared media type, without parameters; undefined for anything but JPEG or PNG. */
function declaredImageType(header: string | undefined): ImageMime | undefined {
  const type = (header ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'image/jpeg' || type === 'image/png' ? type : undefined;
}

export interface AttachmentRoutesOptions {
  /** The re-encoder; tests count its calls. */
  reencode?: typeof reencodeAttachment;
}


const TAGS = ['附件'];
const IMAGE_TYPES = 'image/jpeg, image/png';

/**
 * Photo and signature uploads, addressed by the SHA-256 the device computed of the bytes it sends,
 * so a submission built offline can name them before they are uploaded, and a retry costs nothing.
 * The server never keeps the uploaded bytes: it decodes them and stores its own re-encoding, so no
 * metadata or hidden payload reaches the reviewers. Ids are per account: two people uploading the
 * same picture each get their own copy, and neither learns of the other.
 */
export function attachmentRoutes(storage: Storage, options: AttachmentRoutesOptions = {}) {
  const reencode = options.reencode ?? reencodeAttachment;

  async function bodyOf(accountId: string, info: AttachmentInfo): Promise<Attachment> {
    let { width, height } = info;
    if (width === null || height === null) {
      const stored = await getAttachment(storage.db, accountId, info.id);
      ({ width, height } = stored ? await storedImageSize(stored.bytes) : { width: 0, height: 0 });
    }
    // What is stored is the server's own re-encoding, always JPEG or PNG.
    return { id: info.id, kind: info.kind, mime: info.mime as ImageMime, size: info.size, width, height };
  }

  return new Hono<SignedIn>()
    .put(
      '/:sha256',
      describeRoute({
        operationId: 'uploadAttachment',
        summary: '上传一寸免冠照片或签名',
        description:
          '请求体为图片本身（jpg/jpeg/png，按内容识别），路径为设备计算的该图片内容的 SHA-256（小写十六进制），服务器核对不符则返回 422。' +
          '服务器重新编码并去除元数据后保存；本账号已上传过的同一内容直接返回 200，不再处理。不同账号上传同一图片互不影响。',
        tags: TAGS,
        security: 'session',
        requestBody: { description: '图片本身', contentTypes: ['image/jpeg', 'image/png'] },
        responses: {
          201: { description: '已保存', schema: attachmentSchema },
          200: { description: '该图片已上传过', schema: attachmentSchema },
          409: errorSpec('同一图片已作为另一类附件上传'),
          413: errorSpec('图片超过 5 MB 或像素过多'),
          ...errorResponses(415),
          422: errorSpec('内容与 SHA-256 不符，或图片无法识别'),
        },
      }),
      requireAccount(storage),
      // Everything that needs no body is checked before the body is read.
      validate('param', attachmentParamSchema, { brief: true }),
      validate('query', attachmentQuerySchema, { brief: true }),
      async (c, next) => {
        if (!declaredImageType(c.req.header('content-type'))) {
          return errorResponse(c, 415, attachmentMessages.unsupportedType);
        }
        await next();
      },
      bodyLimit({ maxSize: UPLOAD_LIMIT_BYTES, onError: (c) => tooLarge(c, attachmentMessages.tooLarge) }),
      async (c) => {
        const id = c.req.valid('param').sha256;
        const { kind } = c.req.valid('query');
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
    .get(
      '/:sha256',
      describeRoute({
        operationId: 'getAttachment',
        summary: '查看本人上传的附件',
        description: '返回服务器重新编码后的图片。HEAD 请求只回答是否已有（200 或 404），设备可据此跳过上传。',
        tags: TAGS,
        security: 'session',
        responses: { 200: { description: '图片', contentType: IMAGE_TYPES }, ...errorResponses(404) },
      }),
      requireAccount(storage),
      validate('param', attachmentLookupParamSchema, { brief: true, status: 404 }),
      async (c) => {
        const id = c.req.valid('param').sha256;
        const accountId = c.get('account').id;
        if (c.req.method === 'HEAD') {
          const info = await findAttachmentInfo(storage.db, accountId, id);
          if (!info) return errorResponse(c, 404, attachmentMessages.notFound);
          return c.body(null, 200, { 'Content-Type': info.mime, 'Content-Length': String(info.size) });
        }
        const attachment = await getAttachment(storage.db, accountId, id);
        // Another person's attachment is answered exactly like a missing one.
        if (!attachment) return errorResponse(c, 404, attachmentMessages.notFound);
        return c.body(new Uint8Array(attachment.bytes), 200, {
          'Content-Type': attachment.mime,
          'Content-Length': String(attachment.bytes.byteLength),
          // The id names the uploaded bytes, and what was stored for them never changes.
          'Cache-Control': 'private, max-age=31536000, immutable',
          'X-Content-Type-Options': 'nosniff',
        });
      },
    );
}
