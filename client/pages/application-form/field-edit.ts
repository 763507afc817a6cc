/**
 * What a section of the application form tells the page: a field was edited, or left. The page
 * writes the edit to the draft; the sections only render and report.
 */
import type { ApplicationTopField } from '../../../shared/application-fields.ts';
import type { DraftValues } from '../../data/local-db.ts';

type ValueField = Exclude<ApplicationTopField, 'photo' | 'signature'>;

export type FieldEdit =
  | { [K in ValueField]: { field: K; value: DraftValues[K] | undefined } }[ValueField]
  | { field: 'photo'; blob: Blob | undefined; whiteBackground?: boolean | undefined }
  | { field: 'signature'; blob: Blob | undefined };

export class FieldEditEvent extends Event {
  static readonly type = 'field-edit';
  constructor(readonly edit: FieldEdit) {
    super(FieldEditEvent.type, { bubbles: true });
  }
}

/** The person left a field (filled or not). */
export class FieldLeaveEvent extends Event {
  static readonly type = 'field-leave';
  constructor(
    readonly field: ApplicationTopField,
    readonly filled: boolean,
  ) {
    super(FieldLeaveEvent.type, { bubbles: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'field-edit': FieldEditEvent;
    'field-leave': FieldLeaveEvent;
  }
}
