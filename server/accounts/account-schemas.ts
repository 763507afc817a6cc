import * as v from 'valibot';
import { mobileSchema, nameSchema, residentIdSchema } from '../../shared/field-schemas.ts';
import { newPasswordSchema, PASSWORD_RULE } from '../../shared/password-rules.ts';

/** Request bodies of the account routes. Messages are shown to the person and name the field. */

const labels: Record<string, string> = {
  name: '姓名',
  idNumber: '身份证号码',
  mobile: '手机号码',
  password: '密码',
};

/** A missing key gets "请填写<field>" rather than a type error. */
function objectMessage(issue: v.ObjectIssue): string {
  const key = issue.path?.[0]?.key;
  if (issue.input === undefined && typeof key === 'string' && key in labels) return `请填写${labels[key]}`;
  return '提交的信息格式不正确';
}

export { newPasswordSchema };
export const PASSWORD_MESSAGE = PASSWORD_RULE;

// Sign-in does not apply the creation rule: a clear "wrong password" is the only answer it gives.
const givenPasswordSchema = v.pipe(
  v.string('请填写密码'),
  v.nonEmpty('请填写密码'),
  v.maxLength(256, '身份证号码或密码不正确'),
);

export const identityCheckSchema = v.object({ name: nameSchema, idNumber: residentIdSchema }, objectMessage);

export const registrationSchema = v.object(
  { name: nameSchema, idNumber: residentIdSchema, mobile: mobileSchema, password: newPasswordSchema },
  objectMessage,
);

export const signInSchema = v.object({ idNumber: residentIdSchema, password: givenPasswordSchema }, objectMessage);
