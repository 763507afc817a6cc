/** POST /api/identity-checks (身份核验). */
import * as v from 'valibot';
import { nameSchema, residentIdSchema } from '../field-schemas.ts';
import { accountObjectMessage } from './accounts.ts';

export const identityCheckRequestSchema = v.object({ name: nameSchema, idNumber: residentIdSchema }, accountObjectMessage);

export const identityCheckAnswerSchema = v.object({
  registered: v.pipe(v.boolean(), v.description('姓名与身份证号码是否与已注册账号一致')),
});

export type IdentityCheckRequest = v.InferInput<typeof identityCheckRequestSchema>;
export type IdentityCheckAnswer = v.InferOutput<typeof identityCheckAnswerSchema>;
