import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { faceVerificationPassSchema, faceVerificationStatusSchema } from '../../shared/api/face-verifications.ts';
import { requireAccount } from '../accounts/session.ts';
import { FACE_VERIFICATION_VALID_MS } from '../accounts/account-view.ts';
import type { Storage } from '../db/database.ts';
import { latestPassedVerification } from '../db/face-verifications-store.ts';
import { errorResponse } from '../http/errors.ts';
import { tooLarge } from '../http/json-body.ts';
import { describeRoute, errorSpec, errorResponses } from '../openapi/describe-route.ts';
import { FACE_UPLOAD_FORM, FACE_UPLOAD_MAX_BYTES, faceUploadMessages, readFaceUpload } from './face-upload.ts';
import { runFaceVerification } from './face-verification.ts';
import type { FaceVerifier } from './verifier.ts';

export const FACE_VERIFICATION_FAILED_MESSAGE = '人脸识别未通过，请重试';
export const VERIFIER_UNAVAILABLE_MESSAGE = '人脸识别服务暂不可用，请稍后重试';

const TAGS = ['人脸识别'];

/** 人脸识别: the verifier is passed in, so a production provider plugs in without touching the route. */
export function faceVerificationRoutes(storage: Storage, verifier: FaceVerifier) {
  return new Hono()
    .get(
      '/',
      describeRoute({
        operationId: 'getFaceVerification',
        summary: '人脸识别状态',
        tags: TAGS,
        security: 'session',
        responses: {
          200: { description: '所用识别服务，以及 24 小时内最近一次通过的时间（没有则为 null）', schema: faceVerificationStatusSchema },
        },
      }),
      requireAccount(storage),
      async (c) => {
        const since = new Date(Date.now() - FACE_VERIFICATION_VALID_MS);
        const passed = await latestPassedVerification(storage.db, c.get('account').id, since);
        return c.json({ provider: verifier.name, verifiedAt: passed?.verifiedAt ?? null }, 200);
      },
    )
    .post(
      '/',
      describeRoute({
        operationId: 'verifyFace',
        summary: '人脸识别',
        description: '须勾选授权项（consent=yes）。图片只交给识别服务，服务器只保存识别结果和识别服务的编号，不保存图片。',
        tags: TAGS,
        security: 'session',
        requestBody: { description: '授权项与人脸图片', contentTypes: ['multipart/form-data'], schema: FACE_UPLOAD_FORM },
        responses: {
          200: { description: '已通过', schema: faceVerificationPassSchema },
          ...errorResponses(400, 413, 415),
          422: errorSpec('人脸识别未通过'),
          ...errorResponses(503),
        },
      }),
      requireAccount(storage),
      bodyLimit({ maxSize: FACE_UPLOAD_MAX_BYTES, onError: (c) => tooLarge(c, faceUploadMessages.tooLarge) }),
      async (c) => {
        const upload = await readFaceUpload(c);
        if (!upload.ok) return upload.response;
        const outcome = await runFaceVerification(storage, verifier, c.get('account').id, upload.value);
        if (outcome === 'unavailable') return errorResponse(c, 503, VERIFIER_UNAVAILABLE_MESSAGE);
        if (outcome.result !== 'pass') return errorResponse(c, 422, FACE_VERIFICATION_FAILED_MESSAGE);
        const { reference, verifiedAt, provider } = outcome;
        return c.json({ result: 'pass' as const, reference, verifiedAt, provider }, 200);
      },
    );
}
