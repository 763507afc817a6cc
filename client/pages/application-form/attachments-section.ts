import { html } from 'lit';
import '../../components/photo-tool.ts';
import type { PhotoChangeDetail } from '../../components/photo-tool.ts';
import '../../components/signature-pad.ts';
import type { SignatureChangeDetail } from '../../components/signature-pad.ts';
import { FormSection } from './form-section.ts';

/** 附件: the photo and the signature, kept on the device as Blobs. */
export class ApplicationAttachmentsSection extends FormSection {
  /** Photo and signature come as properties of their own; no value of the draft shows here. */
  static override shownValues = [] as const;

  static override properties = {
    photo: { attribute: false },
    signature: { attribute: false },
  };

  declare photo: Blob | undefined;
  declare signature: Blob | undefined;

  override render() {
    return html`<section class="card" aria-labelledby="attachments-title">
      <h2 id="attachments-title">附件 <span class="format muted">(格式 jpg,jpeg,png)</span></h2>
      ${this.correctionNote('photo')}
      <photo-tool
        class="attachment"
        .value=${this.photo}
        .invalid=${this.errors.get('photo') ?? ''}
        .note=${this.notes.get('photo') ?? ''}
        @photo-change=${(e: CustomEvent<PhotoChangeDetail>) =>
          this.edit({ field: 'photo', blob: e.detail.blob, whiteBackground: e.detail.whiteBackground })}
      ></photo-tool>
      ${this.correctionNote('signature')}
      <signature-pad
        class="attachment"
        .value=${this.signature}
        .invalid=${this.errors.get('signature') ?? ''}
        .note=${this.notes.get('signature') ?? ''}
        @signature-change=${(e: CustomEvent<SignatureChangeDetail>) => this.edit({ field: 'signature', blob: e.detail.blob })}
      ></signature-pad>
    </section>`;
  }
}

customElements.define('application-attachments-section', ApplicationAttachmentsSection);

declare global {
  interface HTMLElementTagNameMap {
    'application-attachments-section': ApplicationAttachmentsSection;
  }
}
