/** GET /api/drafts, PUT/DELETE /api/drafts/:id: a person's drafts, kept per account across devices. */
import * as v from 'valibot';
import { type ApplicationSchemaOptions, createDraftSchema } from '../application-schema.ts';
import { createAttachmentIdSchema } from '../field-schemas.ts';

export const draftMessages = {
  badId: '草稿标识不正确',
  conflict: '草稿已在其他设备上修改',
  notFound: '未找到该草稿',
} as const;

/** Revisions stay well inside a 32-bit integer column. */
export const MAX_REVISION = 2_000_000_000;
/** More entries than the form has fields, yet a bound on what one write may carry. */
export const MAX_FIELD_TIMES = 100;
/** A key of fieldUpdatedAt: a field path such as `enterprise.uscc`. */
export const FIELD_PATH = /^[A-Za-z][A-Za-z0-9]{0,39}(\.[A-Za-z][A-Za-z0-9]{0,39}){0,3}$/;
// The largest time a JavaScript Date can hold.
const MAX_TIME_MS = 8.64e15;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A draft id made on the device; case does not matter, the server keeps it in lower case. */
export const draftIdSchema = v.pipe(
  v.string(draftMessages.badId),
  v.regex(UUID, draftMessages.badId),
  v.description('草稿 id（设备生成的 UUID）'),
  v.transform((id) => id.toLowerCase()),
);

export const draftIdParamSchema = v.object({ id: draftIdSchema });

function timeSchema(message: string, description: string) {
  return v.pipe(
    v.number(message),
    v.safeInteger(message),
    v.minValue(0, message),
    v.maxValue(MAX_TIME_MS, message),
    v.description(description),
  );
}

const isTime = (value: unknown): value is number =>
  Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_TIME_MS;

const FIELD_TIMES_DESCRIPTION = '各字段（路径如 enterprise.uscc）在设备上最后修改的时间（毫秒），合并时逐字段以较新者为准';

/**
 * Checked as a whole rather than key by key: an issue's path would otherwise carry the key as sent,
 * and nothing sent is repeated back.
 */
const fieldTimesSchema = v.pipe(
  v.record(v.string(), v.unknown(), '字段修改时间格式不正确'),
  v.metadata({
    description: FIELD_TIMES_DESCRIPTION,
    propertyNames: { pattern: FIELD_PATH.source },
    additionalProperties: { type: 'integer', minimum: 0 },
    maxProperties: MAX_FIELD_TIMES,
  }),
  v.check((times) => Object.keys(times).length <= MAX_FIELD_TIMES, '字段修改时间条目过多'),
  v.check((times) => Object.entries(times).every(([path, at]) => FIELD_PATH.test(path) && isTime(at)), '字段修改时间格式不正确'),
  v.transform((times) => times as Record<string, number>),
);

function objectMessage(issue: v.ObjectIssue): string {
  const key = issue.path?.[0]?.key;
  return issue.input === undefined && typeof key === 'string' ? `草稿缺少 ${key}` : '草稿格式不正确';
}

/**
 * Body of `PUT /api/drafts/:id`. `values` follows the shared draft schema: anything may be missing,
 * nothing present may be malformed. Every message is written here, so none repeats the input.
 */
export function createDraftWriteSchema(options: ApplicationSchemaOptions = {}) {
  return v.object(
    {
      baseRevision: v.pipe(
        v.number('草稿版本号不正确'),
        v.safeInteger('草稿版本号不正确'),
        v.minValue(0, '草稿版本号不正确'),
        v.maxValue(MAX_REVISION, '草稿版本号不正确'),
        v.description('本次修改所基于的版本号；新草稿为 0'),
      ),
      values: createDraftSchema(options),
      fieldUpdatedAt: fieldTimesSchema,
      photo: v.optional(createAttachmentIdSchema('一寸免冠照片')),
      signature: v.optional(createAttachmentIdSchema('签名')),
      updatedAt: timeSchema('草稿修改时间格式不正确', '设备上最后修改的时间（毫秒）'),
    },
    objectMessage,
  );
}

export type DraftWriteBody = v.InferOutput<ReturnType<typeof createDraftWriteSchema>>;
export type DraftWriteInput = v.InferInput<ReturnType<typeof createDraftWriteSchema>>;

const sha = (description: string) => v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/), v.description(description));

/**
 * A draft as the server holds it, in every answer that carries one. Parsed on the device too, so it
 * lets unknown keys pass (a newer server may add some); `values` is merged field by field there.
 */
export const draftCopySchema = v.pipe(
  v.looseObject({
    id: v.pipe(v.string(), v.description('草稿 id（设备生成）')),
    revision: v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.description('服务器上的版本号')),
    values: v.pipe(v.record(v.string(), v.unknown()), v.description('草稿内容：各项均可缺省，已填的须格式正确')),
    fieldUpdatedAt: v.pipe(
      v.record(v.string(), v.pipe(v.number(), v.safeInteger(), v.minValue(0))),
      v.description(FIELD_TIMES_DESCRIPTION),
    ),
    photo: v.optional(sha('一寸免冠照片的附件 id（已上传时才有）')),
    signature: v.optional(sha('签名的附件 id（已上传时才有）')),
    updatedAt: v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.description('设备上最后修改的时间（毫秒）')),
  }),
  v.description('服务器上保存的草稿'),
);

export const draftListSchema = v.object({ drafts: v.array(draftCopySchema) });

export const draftSavedSchema = v.object({
  revision: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.description('新的版本号')),
});

/** 409: the write was based on a stale revision; the server copy comes along, for the merge. */
export const draftConflictSchema = v.object({
  error: v.pipe(v.string(), v.description('中文提示')),
  draft: draftCopySchema,
});

export type DraftCopy = v.InferOutput<typeof draftCopySchema>;
export type DraftList = v.InferOutput<typeof draftListSchema>;
export type DraftSaved = v.InferOutput<typeof draftSavedSchema>;
export type DraftConflict = v.InferOutput<typeof draftConflictSchema>;
