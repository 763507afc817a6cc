/** Valibot schemas of single fields, reused by the application schema and by server routes. */
import * as v from 'valibot';
import type { DateInput } from './calendar-date.ts';
import { isIsoDate } from './calendar-date.ts';
import type { CodeList } from './code-lists.ts';
import { MOBILE_MESSAGE, MOBILE_PATTERN, normalizeMobile } from './mobile.ts';
import { normalizeResidentId, validateResidentId } from './resident-id.ts';
import { USCC_FORMAT_MESSAGE, isUsccShape, normalizeUscc } from './uscc.ts';

// Lengths count characters (code points), so rare Han characters outside the BMP count once.
const charCount = (value: string): number => Array.from(value).length;

const NAME_PATTERN = /^\p{Script=Han}+(?:·\p{Script=Han}+)*$/u;
// Separators people type in place of the middle dot of minority names.
const DOT_LOOKALIKES = /[•‧・･．.]/g;

export function createTextSchema(label: string, min: number, max: number) {
  return v.pipe(
    v.string(`${label}应为文字`),
    v.trim(),
    v.check((value) => charCount(value) >= min && charCount(value) <= max, `${label}应为${min}至${max}个字`),
  );
}

export const nameSchema = v.pipe(
  v.string('姓名应为文字'),
  v.trim(),
  v.transform((value) => value.replace(DOT_LOOKALIKES, '·')),
  v.check(
    (value) => NAME_PATTERN.test(value) && charCount(value) >= 2 && charCount(value) <= 30,
    '姓名应为2至30个汉字，少数民族姓名可用“·”分隔',
  ),
);

export const sexSchema = v.picklist(['male', 'female'], '性别应为男或女');

export const idTypeSchema = v.literal('resident-id', '证件类型只能是居民身份证');

/** 证件号码; `today` bounds the birth date and is read at validation time (default: now). */
export function createResidentIdSchema(today?: DateInput) {
  return v.pipe(
    v.string('证件号码应为文字'),
    v.transform(normalizeResidentId),
    v.rawCheck<string>(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const result = validateResidentId(dataset.value, today);
      if (!result.ok) addIssue({ message: result.message });
    }),
  );
}

export const residentIdSchema = createResidentIdSchema();

export function createDateSchema(label = '日期') {
  return v.pipe(v.string(`${label}应为文字`), v.check((value) => isIsoDate(value), `${label}应为有效日期（年-月-日）`));
}

export const dateSchema = createDateSchema();

export const mobileSchema = v.pipe(
  v.string('手机号码应为文字'),
  v.transform(normalizeMobile),
  v.regex(MOBILE_PATTERN, MOBILE_MESSAGE),
);

/** Blocks only a malformed code; a failed check char is a warning (see `validateUscc`). */
export const usccSchema = v.pipe(
  v.string('统一社会信用代码应为文字'),
  v.transform(normalizeUscc),
  v.check(isUsccShape, USCC_FORMAT_MESSAGE),
);

/** A picklist of the list's codes, so the allowed values appear in the API's JSON Schema too. */
export function createCodeSchema(list: CodeList, label: string) {
  return v.picklist(
    list.map((item) => item.code),
    `请从列表中选择${label}`,
  );
}

/** Attachments are referred to by the SHA-256 of their stored bytes. */
export function createAttachmentIdSchema(label: string) {
  return v.pipe(v.string(`${label}附件标识不正确，请重新上传`), v.regex(/^[0-9a-f]{64}$/, `${label}附件标识不正确，请重新上传`));
}

export const commitmentVersionSchema = v.pipe(
  v.string('承诺书版本格式不正确'),
  v.regex(/^\d{4}-\d{2}$/, '承诺书版本格式不正确'),
);

export const commitmentChoiceSchema = v.picklist(['accept', 'decline'], '承诺选择应为“本人作出上述承诺”或“本人不作出上述承诺”');

export const acceptedAtSchema = v.pipe(v.string('承诺时间格式不正确'), v.isoTimestamp('承诺时间格式不正确'));
