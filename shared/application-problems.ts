/**
 * What still keeps an application from being submitted, as the form shows it: one message per
 * top-level field (the first one found), in the form's order, the commitment included. Pure: the
 * device's form asks it on every render and at 下一步.
 */
import * as v from 'valibot';
import { APPLICATION_FIELDS, type ApplicationTopField, topField } from './application-fields.ts';
import { type DeviceSubmission, deviceSubmitSchema, issuesByField } from './application-schema.ts';
import type { FieldIssue } from './field-issues.ts';

/** Shown on 个人承诺 until the current text is accepted in the dialog. */
export const COMMITMENT_MESSAGE = '请阅读并作出承诺';

/** Field → its one message, in the form's order. */
export type FieldProblems = Map<ApplicationTopField, string>;

export type DeviceSubmitSchema = typeof deviceSubmitSchema;

export type SubmissionCheck = { ok: true; submission: DeviceSubmission } | { ok: false; problems: FieldProblems };

/** The fields in the order the form shows them. */
export function inFormOrder(fields: Iterable<ApplicationTopField>): ApplicationTopField[] {
  const wanted = new Set(fields);
  return APPLICATION_FIELDS.filter((field) => wanted.has(field));
}

function ordered(problems: FieldProblems): FieldProblems {
  return new Map(inFormOrder(problems.keys()).map((field) => [field, problems.get(field)!]));
}

/** Issues (the device's or the server's) by top-level field; those about the whole application are `general`. */
export function problemsFromIssues(issues: readonly FieldIssue[]): { fields: FieldProblems; general: string[] } {
  const fields: FieldProblems = new Map();
  const general: string[] = [];
  for (const { field, message } of issues) {
    const key = topField(field);
    if (!key) general.push(message);
    else if (!fields.has(key)) fields.set(key, message);
  }
  return { fields: ordered(fields), general };
}

const accepted = (input: Readonly<Record<string, unknown>>) => {
  const commitment = input.commitment as { choice?: unknown; version?: unknown } | undefined;
  return commitment?.choice === 'accept' && commitment.version !== undefined;
};

/**
 * The application as the device holds it (the draft's values, photo and signature as Blobs where
 * present), checked for submission: the submission to queue, or every field still to fix.
 */
export function checkSubmission(
  input: Readonly<Record<string, unknown>>,
  schema: DeviceSubmitSchema = deviceSubmitSchema,
): SubmissionCheck {
  const result = v.safeParse(schema, input);
  const problems = result.success ? new Map() : problemsFromIssues(issuesByField(result)).fields;
  // Not yet accepted in the dialog: one plain request to read it, whatever the schema found there.
  if (!accepted(input)) problems.set('commitment', COMMITMENT_MESSAGE);
  if (result.success && problems.size === 0) return { ok: true, submission: result.output };
  return { ok: false, problems: ordered(problems) };
}

/** Every field still to fix (empty when the application can be submitted). */
export function applicationProblems(
  input: Readonly<Record<string, unknown>>,
  schema: DeviceSubmitSchema = deviceSubmitSchema,
): FieldProblems {
  const check = checkSubmission(input, schema);
  return check.ok ? new Map() : check.problems;
}
