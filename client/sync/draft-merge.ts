/**
 * The per-field merge of a draft edited on two devices: for every field, the newer edit wins (a tie
 * goes to the server, whose copy others have already seen). Pure: no DOM, no storage.
 */

/** One side of a merge. Attachments are their ids (SHA-256), never bytes. */
export interface MergeableDraft {
  values: Readonly<Record<string, unknown>>;
  /** Last edit time per field, `photo` and `signature` included; a time without a value is a removal. */
  fieldUpdatedAt: Readonly<Record<string, number>>;
  photo?: string | undefined;
  signature?: string | undefined;
  updatedAt: number;
}

export interface MergedDraft {
  values: Record<string, unknown>;
  fieldUpdatedAt: Record<string, number>;
  photo?: string;
  signature?: string;
  updatedAt: number;
}

export interface MergeResult {
  merged: MergedDraft;
  /** Fields where a newer edit from the server replaced what this device held: tell the person. */
  changedFields: string[];
  /** Fields edited on both sides since `base` to different values; the newer edit won. */
  conflicts: string[];
  /** Fields where this device's newer edit is kept, so the server still has to be told. */
  keptLocal: string[];
  /** Whether `merged` differs from the local copy at all (values, attachments or edit times). */
  localChanged: boolean;
}

export interface MergeOptions {
  /** Time up to which both sides agreed (the local copy's last confirmed updatedAt); absent: unknown. */
  base?: number | undefined;
}

const ATTACHMENTS = ['photo', 'signature'] as const;
type AttachmentField = (typeof ATTACHMENTS)[number];

const isAttachment = (field: string): field is AttachmentField => field === 'photo' || field === 'signature';

function fieldValue(side: MergeableDraft, field: string): unknown {
  return isAttachment(field) ? side[field] : side.values[field];
}

/** When a side last touched a field; -1 when it holds neither a value nor a time for it. */
function timeOf(side: MergeableDraft, field: string): number {
  const at = side.fieldUpdatedAt[field];
  if (at !== undefined) return at;
  return fieldValue(side, field) === undefined ? -1 : 0;
}

/** Equality of JSON-like values, key order ignored (a copy back from the server may reorder keys). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const keysB = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function fieldsOf(side: MergeableDraft): string[] {
  const fields = [...Object.keys(side.values), ...Object.keys(side.fieldUpdatedAt)];
  for (const field of ATTACHMENTS) if (side[field] !== undefined) fields.push(field);
  return fields;
}

export function mergeDrafts(local: MergeableDraft, server: MergeableDraft, options: MergeOptions = {}): MergeResult {
  const base = options.base ?? Number.NEGATIVE_INFINITY;
  const merged: MergedDraft = { values: {}, fieldUpdatedAt: {}, updatedAt: Math.max(local.updatedAt, server.updatedAt) };
  const changedFields: string[] = [];
  const conflicts: string[] = [];
  const keptLocal: string[] = [];
  const fields = new Set([...fieldsOf(server), ...fieldsOf(local)]);
  for (const field of fields) {
    const localAt = timeOf(local, field);
    const serverAt = timeOf(server, field);
    const localValue = fieldValue(local, field);
    const serverValue = fieldValue(server, field);
    const localWins = localAt > serverAt;
    const value = localWins ? localValue : serverValue;
    const differ = !sameValue(localValue, serverValue);

    const times = [local.fieldUpdatedAt[field], server.fieldUpdatedAt[field]].filter((t) => t !== undefined);
    if (times.length > 0) merged.fieldUpdatedAt[field] = Math.max(...times);
    if (value !== undefined) {
      if (isAttachment(field)) merged[field] = value as string;
      else merged.values[field] = value;
    }

    if (!differ) continue;
    if (localWins) keptLocal.push(field);
    // A tie with other values is the server's normalised spelling (trimmed, say), not another edit.
    else if (serverAt > localAt) changedFields.push(field);
    if (localAt > base && serverAt > base && localAt >= 0 && serverAt >= 0) conflicts.push(field);
  }
  const localChanged =
    merged.updatedAt !== local.updatedAt ||
    !sameValue(merged.values, local.values) ||
    !sameValue(merged.fieldUpdatedAt, local.fieldUpdatedAt) ||
    ATTACHMENTS.some((field) => merged[field] !== local[field]);
  return { merged, changedFields, conflicts, keptLocal, localChanged };
}
