/** POST/GET/DELETE /api/session (登录, 当前账号, 退出). Answers carry `accountAnswerSchema`. */
import * as v from 'valibot';
import { residentIdSchema } from '../field-schemas.ts';
import { accountObjectMessage } from './accounts.ts';

export const SIGN_IN_FAILED_MESSAGE = '身份证号码或密码不正确';

// Sign-in does not apply the creation rule: a clear "wrong password" is the only answer it gives.
const givenPasswordSchema = v.pipe(v.string('请填写密码'), v.nonEmpty('请填写密码'), v.maxLength(256, SIGN_IN_FAILED_MESSAGE));

export const signInRequestSchema = v.object({ idNumber: residentIdSchema, password: givenPasswordSchema }, accountObjectMessage);

export type SignInRequest = v.InferInput<typeof signInRequestSchema>;
export { accountAnswerSchema as sessionAnswerSchema, type AccountAnswer as SessionAnswer } from './accounts.ts';
