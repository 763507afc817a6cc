/**
 * An application's fields as rows a person reads (label, shown value), and the difference between two
 * versions field by field. Nested objects (企业信息, 个人承诺) become dotted fields, as the labels name them.
 */
import { applicationFieldLabels, fieldLabel } from '../../../shared/application-fields.ts';
import { SEX_LABELS } from '../../../shared/resident-id.ts';
import { formatChinaTime } from '../../../shared/china-time.ts';
import { type CodeList, codeLists, nameOf } from '../../../shared/code-lists.ts';
import { commitmentChoices } from '../../../shared/commitment.ts';

export interface FieldRow {
  field: string;
  label: string;
  value: string;
}

export interface DiffRow {
  field: string;
  label: string;
  before: string;
  after: string;
  changed: boolean;
}

const CODED: Record<string, CodeList> = {
  ethnicity: codeLists.ethnicities,
  education: codeLists.educationLevels,
  degree: codeLists.degrees,
  specialty1: codeLists.specialties,
  specialty2: codeLists.specialties,
};
/** Codes without a code list, named as the form names them. */
const NAMED: Record<string, Record<string, string>> = {
  sex: SEX_LABELS,
  idType: { 'resident-id': '身份证' },
  'commitment.choice': Object.fromEntries(commitmentChoices.map((choice) => [choice.value, choice.label])),
};
/** Instants are stored in UTC; people read them in China time. */
const TIMES = new Set(['commitment.acceptedAt']);
/** Pictures are named by their SHA-256: a short piece of it tells two versions apart. */
const PICTURES = new Set(['photo', 'signature']);

function shown(field: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (PICTURES.has(field)) return `图片 ${text.slice(0, 8)}`;
  if (TIMES.has(field)) return formatChinaTime(text) || text;
  const list = CODED[field];
  return (list && nameOf(list, text)) ?? NAMED[field]?.[text] ?? text;
}

/** Every field of the application, dotted, in the order of the labels (unknown ones after). */
function flatten(application: Record<string, unknown>): Map<string, unknown> {
  const flat = new Map<string, unknown>();
  for (const [key, value] of Object.entries(application)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, innerValue] of Object.entries(value)) flat.set(`${key}.${inner}`, innerValue);
    } else flat.set(key, value);
  }
  return flat;
}

const ORDER = Object.keys(applicationFieldLabels);
const byLabelOrder = (a: string, b: string) => {
  const rank = (field: string) => (ORDER.includes(field) ? ORDER.indexOf(field) : ORDER.length);
  return rank(a) - rank(b);
};

export function fieldRows(application: Record<string, unknown>): FieldRow[] {
  const flat = flatten(application);
  return [...flat.keys()].sort(byLabelOrder).map((field) => ({ field, label: fieldLabel(field), value: shown(field, flat.get(field)) }));
}

/** Each field of either version, with its value before and after and whether it changed. */
export function diffVersions(before: Record<string, unknown>, after: Record<string, unknown>): DiffRow[] {
  const a = flatten(before);
  const b = flatten(after);
  const fields = [...new Set([...a.keys(), ...b.keys()])].sort(byLabelOrder);
  return fields.map((field) => {
    const was = shown(field, a.get(field));
    const is = shown(field, b.get(field));
    return { field, label: fieldLabel(field), before: was, after: is, changed: was !== is };
  });
}
