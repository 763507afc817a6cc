import { LitElement, type PropertyDeclarations } from 'lit';
import type { ApplicationTopField } from '../../../shared/application-fields.ts';
import type { DraftValues } from '../../data/local-db.ts';
import { type FieldEdit, FieldEditEvent, FieldLeaveEvent } from './field-edit.ts';

/**
 * A section of the application form. It renders into the page's own tree (no shadow root of its
 * own), so labels, controls, the page's <form> and its styles all share one tree; it shows the
 * values and errors it is given and reports edits as events.
 */
export class FormSection extends LitElement {
  static override properties: PropertyDeclarations = {
    values: { attribute: false },
    errors: { attribute: false },
  };

  declare values: Readonly<DraftValues>;
  /** The message to show per field (only those the person should see now). */
  declare errors: ReadonlyMap<ApplicationTopField, string>;

  constructor() {
    super();
    this.values = {};
    this.errors = new Map();
  }

  protected override createRenderRoot() {
    return this;
  }

  protected edit(edit: FieldEdit): void {
    this.dispatchEvent(new FieldEditEvent(edit));
  }

  protected leave(field: ApplicationTopField, value: string): void {
    this.dispatchEvent(new FieldLeaveEvent(field, value !== ''));
  }
}
