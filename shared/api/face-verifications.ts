/** GET/POST /api/face-verifications (人脸识别). The upload is a multipart form, read by the route. */
import * as v from 'valibot';

/** A frame from the camera or a file; larger than this is not a face frame worth sending. */
export const FACE_IMAGE_MAX_BYTES = 2 * 1024 * 1024;

export const faceVerificationStatusSchema = v.object({
  provider: v.pipe(v.string(), v.description('识别服务名称；development 表示开发模式')),
  verifiedAt: v.pipe(v.nullable(v.pipe(v.string(), v.isoTimestamp())), v.description('24 小时内最近一次通过的时间；没有则为 null')),
});

export const faceVerificationPassSchema = v.object({
  result: v.literal('pass'),
  reference: v.pipe(v.string(), v.description('识别服务的编号')),
  verifiedAt: v.pipe(v.string(), v.isoTimestamp(), v.description('识别时间')),
  provider: v.pipe(v.string(), v.description('识别服务名称')),
});

export type FaceVerificationStatus = v.InferOutput<typeof faceVerificationStatusSchema>;
export type FaceVerificationPass = v.InferOutput<typeof faceVerificationPassSchema>;
