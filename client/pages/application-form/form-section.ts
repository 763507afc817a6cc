import { html, LitElement, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
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
    notes: { attribute: false },
  };

  /**
   * The values this section shows; undefined: it may show any (it renders on every change). Each
   * keystroke hands every section a new `values`, and the others need not render for it.
   */
  static shownValues: readonly (keyof DraftValues)[] | undefined = undefined;

  declare values: Readonly<DraftValues>;
  /** The message to show per field (only those the person should see now). */
  declare errors: ReadonlyMap<ApplicationTopField, string>;
  /** The reviewer's 补正 notes per field (empty for a new application). */
  declare notes: ReadonlyMap<ApplicationTopField, string>;

  constructor() {
    super();
    this.values = {};
    this.errors = new Map();
    this.notes = new Map();
  }

  protected override createRenderRoot() {
    return this;
  }

  protected override shouldUpdate(changed: PropertyValues<this>): boolean {
    const shown = (this.constructor as typeof FormSection).shownValues;
    if (!shown || changed.size !== 1 || !changed.has('values')) return true;
    const before = changed.get('values') as Readonly<DraftValues> | undefined;
    return before === undefined || shown.some((key) => before[key] !== this.values[key]);
  }

  /** The reviewer's note on `field`, shown just before it (id `<field>-note`); nothing without one. */
  protected correctionNote(field: ApplicationTopField) {
    const note = this.notes.get(field);
    return note ? html`<p class="correction-note" id=${`${field}-note`}><span class="label">补正意见：</span>${note}</p>` : nothing;
  }

  /** The note's id, for the field's aria-describedby. */
  protected correctionNoteIds(field: ApplicationTopField): string[] {
    return this.notes.has(field) ? [`${field}-note`] : [];
  }

  protected edit(edit: FieldEdit): void {
    this.dispatchEvent(new FieldEditEvent(edit));
  }

  protected leave(field: ApplicationTopField, value: string): void {
    this.dispatchEvent(new FieldLeaveEvent(field, value !== ''));
  }
}
