import type { Context } from 'hono';
import { errorResponse } from '../http/errors.ts';
import { type ImageMime, sniffImageType } from '../../shared/image-type.ts';

import { FACE_IMAGE_MAX_BYTES } from '../../shared/api/face-verifications.ts';

export { FACE_IMAGE_MAX_BYTES };

/** Room for the multipart boundaries and the consent field around a maximal image. */
export const FACE_UPLOAD_MAX_BYTES = FACE_IMAGE_MAX_BYTES + 64 * 1024;

/** The upload's form, for the OpenAPI document: multipart/form-data has no valibot form, readFaceUpload checks it. */
export const FACE_UPLOAD_FORM = {
  type: 'object',
  properties: {
    consent: { const: 'yes', description: '已勾选授权项' },
    image: { type: 'string', contentMediaType: 'image/jpeg, image/png', description: '人脸图片（jpg 或 png，不超过 2 MB）' },
  },
  required: ['consent', 'image'],
};

export const faceUploadMessages = {
  notMultipart: '请求内容应为 multipart/form-data 格式',
  badForm: '请求内容不是有效的表单',
  consent: '请先勾选授权项',
  missingImage: '请上传人脸图片',
  tooLarge: '图片过大',
  wrongType: '仅支持 jpg、jpeg、png 格式的图片',
} as const;

export interface FaceUpload {
  image: Uint8Array;
  mime: ImageMime;
}

type Parsed = { ok: true; value: FaceUpload } | { ok: false; response: Response };

/** Reads `consent` (must be `yes`) and `image` (JPEG/PNG by content, ≤ 2 MB) from a multipart body. */
export async function readFaceUpload(c: Context): Promise<Parsed> {
  const fail = (status: 400 | 413 | 415, message: string): Parsed => ({
    ok: false,
    response: errorResponse(c, status, message),
  });
  if (!/^multipart\/form-data\s*;/i.test(c.req.header('content-type') ?? '')) {
    return fail(415, faceUploadMessages.notMultipart);
  }
  let form: FormData;
  try {
    form = await c.req.raw.formData();
  } catch {
    return fail(400, faceUploadMessages.badForm);
  }
  // Consent comes first: without it the image is not even looked at.
  if (form.get('consent') !== 'yes') return fail(400, faceUploadMessages.consent);
  const file = form.get('image');
  if (!(file instanceof File) || file.size === 0) return fail(400, faceUploadMessages.missingImage);
  if (file.size > FACE_IMAGE_MAX_BYTES) return fail(413, faceUploadMessages.tooLarge);
  const image = new Uint8Array(await file.arrayBuffer());
  const mime = sniffImageType(image);
  if (!mime) return fail(415, faceUploadMessages.wrongType);
  return { ok: true, value: { image, mime } };
}
