/** PUT /api/account/mobile (更换手机号码); answers with `accountAnswerSchema`. */
import * as v from 'valibot';
import { mobileSchema } from '../field-schemas.ts';
import { accountObjectMessage } from './accounts.ts';

export const FRESH_FACE_REQUIRED_MESSAGE = '请先完成人脸识别';

export const mobileChangeRequestSchema = v.object({ mobile: mobileSchema }, accountObjectMessage);

export type MobileChangeRequest = v.InferInput<typeof mobileChangeRequestSchema>;
