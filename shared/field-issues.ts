/** Flattens valibot issues into per-field messages for a UI or an API answer. */
import type * as v from 'valibot';
import { getDotPath } from 'valibot';
import type { FieldIssue } from './api/errors.ts';

export type { FieldIssue };

type IssueSource = { readonly issues?: readonly v.BaseIssue<unknown>[] | undefined } | readonly v.BaseIssue<unknown>[];

/** Only the path and the message leave here: never the rejected input, which may be personal data. */
export function issuesByField(source: IssueSource): FieldIssue[] {
  const issues = isIssueList(source) ? source : (source.issues ?? []);
  const seen = new Set<string>();
  const out: FieldIssue[] = [];
  for (const issue of issues) {
    const field = getDotPath(issue) ?? '';
    const key = `${field}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field, message: issue.message });
  }
  return out;
}

function isIssueList(source: IssueSource): source is readonly v.BaseIssue<unknown>[] {
  return Array.isArray(source);
}
