import { html, LitElement, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { BlobUrlController } from './blob-url-controller.ts';
import { ImageFileController } from './image-file-controller.ts';

/**
 * What the image fields of the form (photo, signature) have in common: the image in use, set by the form
 * or made here; the form's error for it; the reviewer's 补正 note; its preview; the chosen-file check with
 * the field's own message and status. The base of those elements, not an element itself.
 */
export abstract class ImageField extends LitElement {
  // Typed wide, so each field adds its own; Lit merges them with these.
  static override properties: PropertyDeclarations = {
    value: { attribute: false },
    invalid: { type: String },
    note: { type: String },
  };

  /** The image in use; undefined while none. */
  declare value: Blob | undefined;
  /** The form's error message for this field; empty when none. */
  declare invalid: string;
  /** The reviewer's 补正 note on this field; empty when none. The form shows it beside the element. */
  declare note: string;
  protected readonly preview = new BlobUrlController(this);
  protected readonly file = new ImageFileController(this);

  constructor() {
    super();
    this.value = undefined;
    this.invalid = '';
    this.note = '';
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('value')) this.preview.show(this.value);
  }

  /** For aria-invalid: the form's error or the field's own message. */
  protected get fileInvalid(): 'true' | 'false' {
    return this.invalid || this.file.message ? 'true' : 'false';
  }

  /**
   * The note again inside the shadow root, where the file input's aria-describedby can reach it. Hidden:
   * the form's visible note is read in the page, this copy only as the input's description.
   */
  protected noteDescription(id: string) {
    return this.note ? html`<span id=${id} hidden>补正意见：${this.note}</span>` : nothing;
  }

  /** The image made here is the one in use now; the form hears of it by `type`, out of its shadow root. */
  protected deliver<T>(blob: Blob, type: string, detail: T): void {
    this.value = blob;
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }
}
