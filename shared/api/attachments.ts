/** PUT/GET/HEAD /api/attachments/:sha256?kind=photo|signature: the photo and the signature. */
import * as v from 'valibot';
import type { ImageMime } from '../image-type.ts';

export const ATTACHMENT_KINDS = ['photo', 'signature'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];
export const ATTACHMENT_MIMES = ['image/jpeg', 'image/png'] as const satisfies readonly ImageMime[];

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

/** Attachment ids are the SHA-256 of the uploaded bytes, lower-case hex, as the device computes it. */
export const ATTACHMENT_ID_PATTERN = /^[0-9a-f]{64}$/;

function attachmentIdSchema(message: string) {
  return v.pipe(
    v.string(message),
    v.regex(ATTACHMENT_ID_PATTERN, message),
    v.description('附件 id：所上传图片内容的 SHA-256（小写十六进制）'),
  );
}

/** The path of PUT: a malformed id is a mistake of the device's. */
export const attachmentParamSchema = v.object({ sha256: attachmentIdSchema(attachmentMessages.badId) });

/** The path of GET and HEAD: a malformed id is answered like any id that is not there. */
export const attachmentLookupParamSchema = v.object({ sha256: attachmentIdSchema(attachmentMessages.notFound) });

const kind = v.pipe(v.picklist(ATTACHMENT_KINDS, attachmentMessages.badKind), v.description('photo 一寸免冠照片；signature 签名'));

export const attachmentQuerySchema = v.object({ kind }, attachmentMessages.badKind);

/** What PUT answers, the first time (201) and on every retry (200). */
export const attachmentSchema = v.object({
  id: attachmentIdSchema(attachmentMessages.badId),
  kind,
  mime: v.picklist(ATTACHMENT_MIMES),
  size: v.pipe(v.number(), v.integer(), v.description('字节数')),
  width: v.pipe(v.number(), v.integer(), v.description('宽（像素）')),
  height: v.pipe(v.number(), v.integer(), v.description('高（像素）')),
});

export type Attachment = v.InferOutput<typeof attachmentSchema>;
