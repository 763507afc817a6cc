/** POST /api/accounts (用户注册) and the account every signed-in answer carries. */
import * as v from 'valibot';
import { mobileSchema, nameSchema, residentIdSchema } from '../field-schemas.ts';
import { newPasswordSchema } from '../password-rules.ts';

const labels: Record<string, string> = {
  name: '姓名',
  idNumber: '身份证号码',
  mobile: '手机号码',
  password: '密码',
};

/** A missing key of an account body gets "请填写<field>" rather than a type error. */
export function accountObjectMessage(issue: v.ObjectIssue): string {
  const key = issue.path?.[0]?.key;
  if (issue.input === undefined && typeof key === 'string' && key in labels) return `请填写${labels[key]}`;
  return '提交的信息格式不正确';
}

export const registrationRequestSchema = v.object(
  { name: nameSchema, idNumber: residentIdSchema, mobile: mobileSchema, password: newPasswordSchema },
  accountObjectMessage,
);

/** What the client may see of an account: never the password hash. */
export const accountViewSchema = v.pipe(
  v.object({
    id: v.pipe(v.string(), v.description('账号 id')),
    name: v.pipe(v.string(), v.description('姓名')),
    idNumber: v.pipe(v.string(), v.description('证件号码')),
    mobile: v.pipe(v.string(), v.description('手机号码')),
    birthDate: v.pipe(v.string(), v.isoDate(), v.description('出生日期（由证件号码得出）')),
    sex: v.pipe(v.picklist(['male', 'female']), v.description('性别（由证件号码得出）')),
    faceVerified: v.pipe(v.boolean(), v.description('24 小时内是否通过人脸识别')),
  }),
  v.description('当前账号（不含密码）'),
);

/** Registration, sign-in and "who am I" all answer with the account. */
export const accountAnswerSchema = v.object({ account: accountViewSchema });

export const duplicateAccountSchema = v.object({
  error: v.pipe(v.string(), v.description('中文提示')),
  code: v.literal('duplicate'),
});

export type RegistrationRequest = v.InferInput<typeof registrationRequestSchema>;
export type AccountView = v.InferOutput<typeof accountViewSchema>;
export type AccountAnswer = v.InferOutput<typeof accountAnswerSchema>;
export type DuplicateAccount = v.InferOutput<typeof duplicateAccountSchema>;
