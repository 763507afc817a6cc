import { Hono } from 'hono';
import { accountAnswerSchema } from '../../shared/api/accounts.ts';
import { FRESH_FACE_REQUIRED_MESSAGE, mobileChangeRequestSchema } from '../../shared/api/account-mobile.ts';
import { clientAddress } from '../audit/audit.ts';
import type { Storage } from '../db/database.ts';
import { errorResponse } from '../http/errors.ts';
import { validate } from '../http/validate.ts';
import { describeRoute, errorResponses, errorSpec } from '../openapi/describe-route.ts';
import { toAccountView } from './account-view.ts';
import { changeMobile } from './mobile-change.ts';
import { requireAccount } from './session.ts';

/** PUT /api/account/mobile: the signed-in person's new number, after a fresh face check. */
export function mobileChangeRoutes(storage: Storage) {
  return new Hono().put(
    '/',
    describeRoute({
      operationId: 'changeMobile',
      summary: '更换手机号码',
      description: '须在 10 分钟内通过人脸识别（POST /api/face-verifications）。',
      tags: ['账号与登录'],
      security: 'session',
      responses: {
        200: { description: '已更换', schema: accountAnswerSchema },
        ...errorResponses(400, 401),
        403: errorSpec('10 分钟内未通过人脸识别'),
      },
    }),
    requireAccount(storage),
    validate('json', mobileChangeRequestSchema),
    async (c) => {
      const outcome = await changeMobile(storage, c.get('account'), c.req.valid('json').mobile, { address: clientAddress(c) });
      if (outcome.kind === 'face-required') return errorResponse(c, 403, FRESH_FACE_REQUIRED_MESSAGE);
      return c.json({ account: await toAccountView(storage, outcome.account) }, 200);
    },
  );
}
