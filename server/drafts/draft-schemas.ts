import * as v from 'valibot';
import { type ApplicationSchemaOptions, createDraftSchema } from '../../shared/application-schema.ts';
import { createAttachmentIdSchema } from '../../shared/field-schemas.ts';

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
export function parseDraftId(raw: string): string | undefined {
  return UUID.test(raw) ? raw.toLowerCase() : undefined;
}

function timeSchema(message: string) {
  return v.pipe(v.number(message), v.safeInteger(message), v.minValue(0, message), v.maxValue(MAX_TIME_MS, message));
}

const isTime = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_TIME_MS;

/**
 * Checked as a whole rather than key by key: an issue's path would otherwise carry the key as sent,
 * and nothing sent is repeated back.
 */
const fieldTimesSchema = v.pipe(
  v.record(v.string(), v.unknown(), '字段修改时间格式不正确'),
  v.check((times) => Object.keys(times).length <= MAX_FIELD_TIMES, '字段修改时间条目过多'),
  v.check(
    (times) => Object.entries(times).every(([path, at]) => FIELD_PATH.test(path) && isTime(at)),
    '字段修改时间格式不正确',
  ),
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
      ),
      values: createDraftSchema(options),
      fieldUpdatedAt: fieldTimesSchema,
      photo: v.optional(createAttachmentIdSchema('一寸免冠照片')),
      signature: v.optional(createAttachmentIdSchema('签名')),
      updatedAt: timeSchema('草稿修改时间格式不正确'),
    },
    objectMessage,
  );
}

export type DraftWriteBody = v.InferOutput<ReturnType<typeof createDraftWriteSchema>>;

/** A draft as the server holds it, in every answer that carries one. */
export interface DraftCopy {
  id: string;
  revision: number;
  values: Record<string, unknown>;
  fieldUpdatedAt: Record<string, number>;
  photo?: string;
  signature?: string;
  /** The device's time of the last edit (ms since epoch). */
  updatedAt: number;
}
