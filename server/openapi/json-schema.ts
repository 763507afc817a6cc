/**
 * valibot schemas as JSON Schema (2020-12, the dialect of OpenAPI 3.1). The schemas named here become
 * components, referred to wherever they appear; the application's fields get their Chinese names and
 * the names of their codes, which valibot's checks cannot express.
 */
import { type ConversionConfig, toJsonSchema, toJsonSchemaDefs } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import { accountViewSchema } from '../../shared/api/accounts.ts';
import { attachmentSchema } from '../../shared/api/attachments.ts';
import { draftCopySchema } from '../../shared/api/drafts.ts';
import { enterpriseSchema } from '../../shared/api/enterprises.ts';
import { errorBodySchema } from '../../shared/api/errors.ts';
import { receiptPublicKeySchema, signedReceiptSchema } from '../../shared/api/receipts.ts';
import { fieldLabel } from '../../shared/application-fields.ts';
import { applicationBaseSchema } from '../../shared/application-schema.ts';
import type { CodeList, CodeLists } from '../../shared/code-lists.ts';
import type { JsonSchema } from './describe-route.ts';

export type { JsonSchema };

export const COMPONENT_SCHEMAS = {
  Error: errorBodySchema,
  Account: accountViewSchema,
  Enterprise: enterpriseSchema,
  Attachment: attachmentSchema,
  DraftCopy: draftCopySchema,
  SignedReceipt: signedReceiptSchema,
  ReceiptPublicKey: receiptPublicKeySchema,
} satisfies Record<string, v.GenericSchema>;

const CODE_FIELDS: Record<string, keyof CodeLists> = {
  ethnicity: 'ethnicities',
  education: 'educationLevels',
  degree: 'degrees',
  specialty1: 'specialties',
  specialty2: 'specialties',
};

const FIELD_NOTES: Record<string, string> = {
  photo: '附件 id：所上传图片内容的 SHA-256（PUT /api/attachments/{sha256}）',
  signature: '附件 id：所上传图片内容的 SHA-256（PUT /api/attachments/{sha256}）',
  sex: 'male 男；female 女，须与证件号码一致',
  'commitment.choice': 'accept 本人作出上述承诺（提交时必须）；decline 本人不作出上述承诺',
};

const APPLICATION_KEYS = Object.keys(applicationBaseSchema.entries).sort().join();

function isApplicationObject(schema: v.GenericSchema): boolean {
  const entries = (schema as { entries?: Record<string, unknown> }).entries;
  return entries !== undefined && Object.keys(entries).sort().join() === APPLICATION_KEYS;
}

const codeListText = (list: CodeList) => list.map((item) => `${item.code} ${item.name}`).join('；');

/** Titles by field path, the code lists' names, and the notes above. */
function annotateFields(schema: JsonSchema, lists: CodeLists, prefix = ''): JsonSchema {
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (!properties) return schema;
  const annotated: Record<string, JsonSchema> = {};
  for (const [key, property] of Object.entries(properties)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const out: JsonSchema = { title: fieldLabel(path), ...annotateFields(property, lists, path) };
    const listName = CODE_FIELDS[path];
    if (listName) out.description = `代码：${codeListText(lists[listName])}`;
    const note = FIELD_NOTES[path];
    if (note) out.description = note;
    annotated[key] = out;
  }
  return { ...schema, properties: annotated };
}

function config(lists: CodeLists): ConversionConfig {
  return {
    target: 'draft-2020-12',
    // 'input': what goes over the wire, before the server's trims and other transforms.
    typeMode: 'input',
    // Custom checks (checksums, cross-field rules) have no JSON Schema form and are left out.
    errorMode: 'ignore',
    definitions: COMPONENT_SCHEMAS,
    overrideRef: ({ referenceId }) => `#/components/schemas/${referenceId}`,
    overrideSchema: ({ valibotSchema, jsonSchema }) =>
      isApplicationObject(valibotSchema) ? (annotateFields(jsonSchema as JsonSchema, lists) as never) : undefined,
  };
}

/** JSON Schema of one request or response part; named schemas inside become references. */
export function jsonSchemaOf(schema: v.GenericSchema, lists: CodeLists): JsonSchema {
  const { $schema: _dialect, $defs: _defs, ...rest } = toJsonSchema(schema, config(lists)) as JsonSchema;
  return rest;
}

export function componentSchemas(lists: CodeLists): Record<string, JsonSchema> {
  return toJsonSchemaDefs(COMPONENT_SCHEMAS, config(lists)) as unknown as Record<string, JsonSchema>;
}
