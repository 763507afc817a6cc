/**
 * The application (申报信息): one base object, a draft variant (everything optional, nothing
 * malformed), a submit variant (everything required plus the cross-field rules) and the device's
 * submit variant (the same, before the attachments are uploaded and a typed employer is matched).
 */
import * as v from 'valibot';
import { isOverAgeLimit, AGE_LIMIT_MESSAGE } from './age.ts';
import { type DateInput, parseIsoDate } from './calendar-date.ts';
import { fieldLabel, requiredMessage } from './application-fields.ts';
import type { CodeLists } from './code-lists.ts';
import { codeLists as defaultCodeLists } from './code-lists.ts';
import { COMMITMENT_VERSION } from './commitment.ts';
import {
  acceptedAtSchema,
  commitmentChoiceSchema,
  commitmentVersionSchema,
  createAttachmentIdSchema,
  createCodeSchema,
  createDateSchema,
  createResidentIdSchema,
  createTextSchema,
  idTypeSchema,
  mobileSchema,
  nameSchema,
  sexSchema,
  usccSchema,
} from './field-schemas.ts';
import { GRADUATION_DATE_MESSAGES, isGraduationAfterBirth, isGraduationInFuture } from './graduation-date.ts';
import { birthDateFromId, sexFromId } from './resident-id.ts';

export { issuesByField, type FieldIssue } from './field-issues.ts';
export { dateSchema, mobileSchema, residentIdSchema, usccSchema } from './field-schemas.ts';

export interface ApplicationSchemaOptions {
  /** The day rules are judged on; read at each validation when omitted (today in China). */
  today?: DateInput | undefined;
  /** Code lists of the deployment (its own 专业 list, say); defaults to the built-in lists. */
  codeLists?: CodeLists | undefined;
}

/** Message of an object schema: a missing key gets its own "please fill in" message. */
function objectMessage(prefix: string) {
  return (issue: v.ObjectIssue): string => {
    const key = issue.path?.[0]?.key;
    if (issue.input === undefined && typeof key === 'string') {
      return requiredMessage(prefix ? `${prefix}.${key}` : key);
    }
    return prefix ? `${fieldLabel(prefix)}格式不正确` : '申报信息格式不正确';
  };
}

function createParts({ today, codeLists = defaultCodeLists }: ApplicationSchemaOptions) {
  const enterprise = v.object(
    {
      name: createTextSchema('企业名称', 2, 100),
      uscc: usccSchema,
      legalRepresentative: createTextSchema('法定代表人', 1, 50),
      province: createTextSchema('工商注册省份', 2, 30),
      city: createTextSchema('工商注册市区', 2, 30),
    },
    objectMessage('enterprise'),
  );
  const commitment = v.object(
    { version: commitmentVersionSchema, choice: commitmentChoiceSchema, acceptedAt: acceptedAtSchema },
    objectMessage('commitment'),
  );
  const base = v.object(
    {
      name: nameSchema,
      sex: sexSchema,
      idType: idTypeSchema,
      idNumber: createResidentIdSchema(today),
      birthDate: createDateSchema('出生日期'),
      mobile: mobileSchema,
      ethnicity: createCodeSchema(codeLists.ethnicities, '民族'),
      education: createCodeSchema(codeLists.educationLevels, '学历'),
      degree: createCodeSchema(codeLists.degrees, '学位'),
      school: createTextSchema('毕业院校', 2, 60),
      major: createTextSchema('所学专业', 2, 60),
      graduationDate: createDateSchema('毕业时间'),
      enterprise,
      specialty1: createCodeSchema(codeLists.specialties, '申请注册专业1'),
      specialty2: createCodeSchema(codeLists.specialties, '申请注册专业2'),
      photo: createAttachmentIdSchema('一寸免冠照片'),
      signature: createAttachmentIdSchema('签名'),
      commitment,
    },
    objectMessage(''),
  );
  return { base, enterprise, commitment };
}

/** The base object: every field required, each well-formed, no cross-field rules. */
export function createApplicationBaseSchema(options: ApplicationSchemaOptions = {}) {
  return createParts(options).base;
}

/** A draft may be half-filled (nested objects too) but nothing present may be malformed. */
export function createDraftSchema(options: ApplicationSchemaOptions = {}) {
  const { base, enterprise, commitment } = createParts(options);
  return v.partial(
    v.object(
      { ...base.entries, enterprise: v.partial(enterprise), commitment: v.partial(commitment) },
      objectMessage(''),
    ),
  );
}

/** What the rules between fields read; both submit variants have it. */
type RuleFields = {
  idNumber: string;
  birthDate: string;
  sex: 'male' | 'female';
  graduationDate: string;
  specialty1: string;
  specialty2: string;
  commitment: { version: string; choice: 'accept' | 'decline' };
};

/** The variant's own schema, then the rules between fields (its output type unchanged). */
type WithRules<TSchema extends v.GenericSchema> = v.SchemaWithPipe<
  readonly [TSchema, v.GenericValidation<v.InferOutput<TSchema>>]
>;

/** The rules between fields; each failure names the field to focus. */
function withApplicationRules<TSchema extends v.GenericSchema<unknown, RuleFields>>(
  schema: TSchema,
  today?: DateInput,
): WithRules<TSchema> {
  // The rules read only RuleFields, which every variant's output has; the pipe keeps the variant's type.
  const checked = schema as unknown as v.GenericSchema<unknown, RuleFields>;
  const piped = v.pipe(
    checked,
    v.forward(
      v.partialCheck(
        [['idNumber'], ['birthDate']],
        (input) => birthDateFromId(input.idNumber) === input.birthDate,
        '出生日期与证件号码不一致',
      ),
      ['birthDate'],
    ),
    v.forward(
      v.partialCheck([['idNumber'], ['sex']], (input) => sexFromId(input.idNumber) === input.sex, '性别与证件号码不一致'),
      ['sex'],
    ),
    v.forward(
      // Runs after a failed format check too (valibot keeps going); the date's own issue covers that case.
      v.partialCheck([['birthDate']], (input) => !parseIsoDate(input.birthDate) || !isOverAgeLimit(input.birthDate, today), AGE_LIMIT_MESSAGE),
      ['birthDate'],
    ),
    v.forward(
      v.partialCheck(
        [['birthDate'], ['graduationDate']],
        (input) => isGraduationAfterBirth(input.graduationDate, input.birthDate),
        GRADUATION_DATE_MESSAGES.notAfterBirth,
      ),
      ['graduationDate'],
    ),
    v.forward(
      v.partialCheck(
        [['graduationDate']],
        (input) => !isGraduationInFuture(input.graduationDate, today),
        GRADUATION_DATE_MESSAGES.future,
      ),
      ['graduationDate'],
    ),
    v.forward(
      v.partialCheck(
        [['specialty1'], ['specialty2']],
        (input) => input.specialty1 !== input.specialty2,
        '申请注册专业2不能与申请注册专业1相同',
      ),
      ['specialty2'],
    ),
    v.forward(
      v.partialCheck(
        [['commitment', 'version']],
        (input) => input.commitment.version === COMMITMENT_VERSION,
        '承诺书已更新，请重新查看承诺书并确认个人承诺',
      ),
      ['commitment', 'version'],
    ),
    v.forward(
      v.partialCheck(
        [['commitment', 'choice']],
        (input) => input.commitment.choice === 'accept',
        '承诺选择须为“本人作出上述承诺”，方可提交',
      ),
      ['commitment', 'choice'],
    ),
  );
  return piped as unknown as WithRules<TSchema>;
}

/** Everything required, plus the rules between fields; each failure names the field to focus. */
export function createSubmitSchema(options: ApplicationSchemaOptions = {}) {
  return withApplicationRules(createParts(options).base, options.today);
}

const hasUscc = (input: unknown) =>
  typeof input === 'object' && input !== null && (input as { uscc?: unknown }).uscc !== undefined;

/**
 * The submit schema as the device checks it before queueing: photo and signature are Blobs on the
 * device (their ids are known only once hashed), and the employer is either picked from the directory
 * or only typed (its name alone, matched against the directory before sending).
 */
export function createDeviceSubmitSchema(options: ApplicationSchemaOptions = {}) {
  const { base, enterprise } = createParts(options);
  const typedEnterprise = v.object({ name: enterprise.entries.name }, objectMessage('enterprise'));
  const attachment = (field: 'photo' | 'signature') => v.instance(Blob, requiredMessage(field));
  const device = v.object(
    {
      ...base.entries,
      enterprise: v.lazy((input) => (hasUscc(input) ? enterprise : typedEnterprise)),
      photo: attachment('photo'),
      signature: attachment('signature'),
    },
    objectMessage(''),
  );
  return withApplicationRules(device, options.today);
}

export const applicationBaseSchema = createApplicationBaseSchema();
export const draftSchema = createDraftSchema();
export const submitSchema = createSubmitSchema();
export const deviceSubmitSchema = createDeviceSubmitSchema();

export type ApplicationDraft = v.InferOutput<typeof draftSchema>;
export type ApplicationSubmission = v.InferOutput<typeof submitSchema>;
/** What a client sends before normalisation (trimming, upper-casing). */
export type ApplicationSubmissionInput = v.InferInput<typeof submitSchema>;
/** Checked on the device: Blobs for the attachments, a picked or a typed employer. */
export type DeviceSubmission = v.InferOutput<typeof deviceSubmitSchema>;
