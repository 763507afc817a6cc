import { css, html, nothing } from 'lit';
import { theme } from '../styles/theme.ts';
import { ImageField } from './image-field.ts';
import { SignatureDrawingController } from './signature-drawing-controller.ts';
import { SIGNATURE_ENCODE_MESSAGE, signatureFromPicture } from './signature-picture.ts';

export interface SignatureChangeDetail {
  blob: Blob;
}

export const NO_INK_MESSAGE = '请先在签名板上书写签名';

/**
 * 上传签名: write on a pad with a finger, pen or mouse, or choose a picture of a handwritten signature.
 * Either way the result is a PNG on white, trimmed to the ink and at most 600×300 px.
 */
export class SignaturePad extends ImageField {
  static override properties = { busy: { state: true } };

  // `value` is the signature in use (PNG).
  declare private busy: boolean;
  private readonly drawing = new SignatureDrawingController(this, () => this.clearMessages());

  static override styles = [
    theme,
    css`
      fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
      legend { font-weight: 600; padding: 0; margin-bottom: 0.25em; }
      .required { color: var(--danger, #b42318); margin-left: 0.15em; }
      .help { font-size: 0.9em; margin: 0 0 0.5em; }
      canvas {
        display: block;
        width: 100%;
        height: 11em;
        box-sizing: border-box;
        background: #fff;
        border: 2px dashed var(--border, #d7dde5);
        border-radius: 8px;
        touch-action: none;
        cursor: crosshair;
      }
      canvas.invalid { border-color: var(--danger, #b42318); }
      .actions { display: flex; gap: 0.75em; margin: 0.5em 0 1em; }
      .actions .primary { flex: 1; width: auto; }
      .file label { display: block; margin-bottom: 0.25em; }
      .file input { width: 100%; padding: 0.3em 0; }
      .preview { margin: 0 0 0.75em; }
      .preview img {
        display: block;
        max-width: 100%;
        max-height: 6em;
        border: 1px solid var(--border, #d7dde5);
        background: #fff;
      }
      .msg { margin: 0.3em 0 0; font-size: 0.9em; }
      .msg:empty { display: none; }
    `,
  ];

  constructor() {
    super();
    this.busy = false;
  }

  private clearMessages() {
    this.file.message = '';
    this.file.status = '';
  }

  private clear() {
    this.drawing.clear();
    this.clearMessages();
  }

  private async done() {
    const png = this.drawing.toPng();
    if (!png) {
      this.file.message = NO_INK_MESSAGE;
      return;
    }
    this.file.message = '';
    this.busy = true;
    try {
      this.finish(await png);
    } catch {
      this.file.message = SIGNATURE_ENCODE_MESSAGE;
    } finally {
      this.busy = false;
    }
  }

  private async onFileChange(event: Event) {
    const choice = await this.file.chosen(event);
    if (!choice) return;
    this.busy = true;
    try {
      const result = await signatureFromPicture(choice.file);
      if (!choice.current()) return;
      if (typeof result === 'string') this.file.refuse(choice.input, result);
      else this.finish(result);
    } finally {
      if (choice.current()) this.busy = false;
    }
  }

  private finish(blob: Blob) {
    this.file.status = '签名已保存';
    this.deliver<SignatureChangeDetail>(blob, 'signature-change', { blob });
  }

  override render() {
    const invalid = this.fileInvalid;
    return html`
      <fieldset aria-describedby="sig-help">
        <legend>上传签名<span class="required" aria-hidden="true">*</span></legend>
        <p id="sig-help" class="muted help">
          在签名板上用手指或鼠标书写本人签名，然后点“完成”；也可以选择一张白纸黑字的手写签名图片（jpg、jpeg、png）。
        </p>
        ${this.preview.url
          ? html`<div class="preview">
              <p class="muted msg">当前签名：</p>
              <img src=${this.preview.url} alt="当前使用的签名" />
            </div>`
          : nothing}
        <canvas
          role="img"
          aria-label="签名板，请用手指或鼠标在此处书写签名"
          aria-describedby="sig-message sig-error"
          class=${invalid === 'true' ? 'invalid' : ''}
          @pointerdown=${this.drawing.pointerDown}
          @pointermove=${this.drawing.pointerMove}
          @pointerup=${this.drawing.pointerEnd}
          @pointercancel=${this.drawing.pointerEnd}
        ></canvas>
        <div class="actions">
          <button class="secondary" type="button" @click=${this.clear}>清除</button>
          <button class="primary" type="button" ?disabled=${this.busy} @click=${this.done}>完成</button>
        </div>
        <div class="file">
          <label for="sig-file">上传签名</label>
          <input
            id="sig-file"
            type="file"
            accept="image/jpeg,image/png,.jpg,.jpeg,.png"
            aria-describedby="sig-note sig-message sig-error"
            aria-invalid=${invalid}
            ?disabled=${this.busy}
            @change=${this.onFileChange}
          />
        </div>
        <p id="sig-status" class="msg muted" role="status">${this.file.status}</p>
        <p id="sig-message" class="msg error" aria-live="assertive">${this.file.message}</p>
        <p id="sig-error" class="msg error" aria-live="assertive">${this.invalid}</p>
        ${this.noteDescription('sig-note')}
      </fieldset>
    `;
  }
}

customElements.define('signature-pad', SignaturePad);

declare global {
  interface HTMLElementTagNameMap {
    'signature-pad': SignaturePad;
  }
}
