import { type Env, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { accountAnswerSchema } from '../../shared/api/accounts.ts';
import { faceVerificationPassSchema } from '../../shared/api/face-verifications.ts';
import {
  newPasswordRequestSchema,
  passwordResetParamSchema,
  passwordResetRequestSchema,
  passwordResetStartedSchema,
} from '../../shared/api/password-resets.ts';
import type { Storage } from '../db/database.ts';
import { FACE_UPLOAD_FORM, FACE_UPLOAD_MAX_BYTES, faceUploadMessages, readFaceUpload } from '../face-verification/face-upload.ts';
import { FACE_VERIFICATION_FAILED_MESSAGE, VERIFIER_UNAVAILABLE_MESSAGE } from '../face-verification/face-verification-routes.ts';
import type { FaceVerifier } from '../face-verification/verifier.ts';
import { errorResponse } from '../http/errors.ts';
import { tooLarge } from '../http/json-body.ts';
import { validate } from '../http/validate.ts';
import { describeRoute, errorResponses, errorSpec, SET_SESSION_COOKIE_HEADER } from '../openapi/describe-route.ts';
import { toAccountView } from './account-view.ts';
import { completePasswordReset, startPasswordReset, verifyResetFace } from './password-reset.ts';
import { type ClientAddress, limitByAddress, limitExceeded, limitKey, MINUTE_MS, type RateLimitRule, clientAddress as proxiedClientAddress } from './rate-limit.ts';
import { issueSession } from './session.ts';

export interface PasswordResetLimits {
  perIp: RateLimitRule;
  /** Stops one ID number being tried against many names from many addresses. */
  perIdNumber: RateLimitRule;
}

// As the identity check: the first step answers a similar question.
export const PASSWORD_RESET_LIMITS: PasswordResetLimits = {
  perIp: { limit: 30, windowMs: 10 * MINUTE_MS },
  perIdNumber: { limit: 10, windowMs: 10 * MINUTE_MS },
};

export interface PasswordResetOptions {
  limits?: Partial<PasswordResetLimits>;
  clientAddress?: ClientAddress;
}

export const RESET_GONE_MESSAGE = '找回密码已失效，请重新开始';
export const RESET_FACE_REQUIRED_MESSAGE = '请先完成人脸识别';

const TAGS = ['找回密码'];
const GONE = { 404: errorSpec('找回密码已失效（超过 15 分钟、已使用、识别失败次数过多）或不存在') };

/** Reads nothing: it gives the typed client the form's shape, which readFaceUpload then checks. */
const faceForm: MiddlewareHandler<Env, string, { in: { form: { consent: string; image: File } } }> = (_c, next) => next();

/** 忘记密码: start (public), the face check on the reset, then the new password, which signs in. */
export function passwordResetRoutes(storage: Storage, verifier: FaceVerifier, options: PasswordResetOptions = {}) {
  const limits = { ...PASSWORD_RESET_LIMITS, ...options.limits };
  const clientAddress = options.clientAddress ?? proxiedClientAddress;
  const byAddress = (step: string) => limitByAddress(storage, `password-reset-${step}`, limits.perIp, clientAddress);
  return new Hono()
    .post(
      '/',
      describeRoute({
        operationId: 'startPasswordReset',
        summary: '忘记密码：核对姓名和身份证号码',
        description: '无论姓名与身份证号码是否与已注册账号一致，回答都相同；不一致时之后的人脸识别不会通过。',
        tags: TAGS,
        security: 'public',
        responses: { 201: { description: '已开始，15 分钟内有效', schema: passwordResetStartedSchema }, ...errorResponses(400, 429) },
      }),
      byAddress('start'),
      validate('json', passwordResetRequestSchema),
      async (c) => {
        const input = c.req.valid('json');
        const byId = await limitExceeded(c, storage, limitKey('password-reset-start', 'id', input.idNumber), limits.perIdNumber);
        if (byId) return byId;
        return c.json(await startPasswordReset(storage, input, { address: clientAddress(c) }), 201);
      },
    )
    .post(
      '/:id/face-verification',
      describeRoute({
        operationId: 'verifyPasswordResetFace',
        summary: '忘记密码：人脸识别',
        description: '与申报时的人脸识别相同：须勾选授权项（consent=yes），不保存图片。',
        tags: TAGS,
        security: 'public',
        requestBody: { description: '授权项与人脸图片', contentTypes: ['multipart/form-data'], schema: FACE_UPLOAD_FORM },
        responses: {
          200: { description: '已通过', schema: faceVerificationPassSchema },
          ...errorResponses(400, 413, 415),
          ...GONE,
          422: errorSpec('人脸识别未通过'),
          ...errorResponses(429, 503),
        },
      }),
      byAddress('face'),
      validate('param', passwordResetParamSchema, { brief: true, status: 404 }),
      faceForm,
      bodyLimit({ maxSize: FACE_UPLOAD_MAX_BYTES, onError: (c) => tooLarge(c, faceUploadMessages.tooLarge) }),
      async (c) => {
        const upload = await readFaceUpload(c);
        if (!upload.ok) return upload.response;
        const outcome = await verifyResetFace(storage, verifier, c.req.valid('param').id, upload.value, { address: clientAddress(c) });
        if (outcome.kind === 'not-found') return errorResponse(c, 404, RESET_GONE_MESSAGE);
        if (outcome.kind === 'unavailable') return errorResponse(c, 503, VERIFIER_UNAVAILABLE_MESSAGE);
        if (outcome.kind === 'failed') return errorResponse(c, 422, FACE_VERIFICATION_FAILED_MESSAGE);
        const { reference, verifiedAt, provider } = outcome.verification;
        return c.json({ result: 'pass' as const, reference, verifiedAt, provider }, 200);
      },
    )
    .put(
      '/:id/password',
      describeRoute({
        operationId: 'completePasswordReset',
        summary: '忘记密码：设置新密码',
        description: '人脸识别通过后设置新密码（至少 8 位，须同时包含字母和数字），并直接登录；该账号的其他会话全部结束。每次找回只能设置一次。',
        tags: TAGS,
        security: 'public',
        responses: {
          200: { description: '已设置，已登录', schema: accountAnswerSchema, headers: SET_SESSION_COOKIE_HEADER },
          ...errorResponses(400),
          403: errorSpec('尚未通过人脸识别'),
          ...GONE,
          ...errorResponses(429),
        },
      }),
      byAddress('password'),
      validate('param', passwordResetParamSchema, { brief: true, status: 404 }),
      validate('json', newPasswordRequestSchema),
      async (c) => {
        const outcome = await completePasswordReset(storage, c.req.valid('param').id, c.req.valid('json').password, {
          address: clientAddress(c),
        });
        if (outcome.kind === 'not-found') return errorResponse(c, 404, RESET_GONE_MESSAGE);
        if (outcome.kind === 'face-required') return errorResponse(c, 403, RESET_FACE_REQUIRED_MESSAGE);
        await issueSession(c, storage, outcome.account.id);
        return c.json({ account: await toAccountView(storage, outcome.account) }, 200);
      },
    );
}
