import { LitElement, type PropertyDeclarations, type PropertyValues } from 'lit';
import { BlobUrlController } from './blob-url-controller.ts';
import { ImageFileController } from './image-file-controller.ts';

/**
 * What the image fields of the form (photo, signature) have in common: the image in use, set by the form
 * or made here; the form's error for it; its preview; the chosen-file check with the field's own message
 * and status. The base of those elements, not an element itself.
 */
export abstract class ImageField extends LitElement {
  // Typed wide, so each field adds its own; Lit merges them with these.
  static override properties: PropertyDeclarations = {
    value: { attribute: false },
    invalid: { type: String },
  };

  /** The image in use; undefined while none. */
  declare value: Blob | undefined;
  /** The form's error message for this field; empty when none. */
  declare invalid: string;
  protected readonly preview = new BlobUrlController(this);
  protected readonly file = new ImageFileController(this);

  constructor() {
    super();
    this.value = undefined;
    this.invalid = '';
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('value')) this.preview.show(this.value);
  }

  /** For aria-invalid: the form's error or the field's own message. */
  protected get fileInvalid(): 'true' | 'false' {
    return this.invalid || this.file.message ? 'true' : 'false';
  }

  /** The image made here is the one in use now; the form hears of it by `type`, out of its shadow root. */
  protected deliver<T>(blob: Blob, type: string, detail: T): void {
    this.value = blob;
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }
}
