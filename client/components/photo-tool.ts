import { css, html, nothing, type PropertyValues } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { theme } from '../styles/theme.ts';
import { canvasToBlob, decodeImage, whiteCanvas } from './canvas-image.ts';
import { idPhotoFrom } from './id-photo.ts';
import { ImageField } from './image-field.ts';
import { PhotoCropController } from './photo-crop-controller.ts';
import {
  encodeWithinLimit,
  MAX_ZOOM,
  PHOTO_HEIGHT,
  PHOTO_MAX_BYTES,
  PHOTO_WIDTH,
  PhotoTooLargeError,
  smallerPhotoLimit,
} from './photo-processing.ts';

export interface PhotoChangeDetail {
  blob: Blob;
  whiteBackground: boolean;
}

export const NOT_WHITE_MESSAGE = '照片背景不是白色，请使用白色背景的照片';
const DECODE_MESSAGE = '无法读取这张照片，请换一张照片';
const TOO_LARGE_MESSAGE = `照片压缩后仍超过 ${PHOTO_MAX_BYTES / 1024} KB，请换一张照片`;
const ENCODE_MESSAGE = '照片处理失败，请重试或换一张照片';
/** Camera photos are shrunk to this long side right after decoding: plenty for 295×413, kinder to memory. */
const WORKING_MAX_SIDE = 2048;
/** Resolution of the on-screen copy the frame is drawn over. */
const STAGE_MAX_SIDE = 900;

/**
 * The photo in use encoded again, still 295×413 px, within half its size (a lower JPEG quality): offered
 * when the device had no room to keep it. Rejects with PhotoTooLargeError when no quality gets there.
 */
export async function smallerPhoto(photo: Blob): Promise<Blob> {
  const bitmap = await decodeImage(photo, Math.max(PHOTO_WIDTH, PHOTO_HEIGHT));
  try {
    const out = whiteCanvas(PHOTO_WIDTH, PHOTO_HEIGHT);
    if (!out) throw new Error('no 2d context');
    out.ctx.drawImage(bitmap, 0, 0, PHOTO_WIDTH, PHOTO_HEIGHT);
    const limit = smallerPhotoLimit(photo.size);
    return (await encodeWithinLimit((quality) => canvasToBlob(out.canvas, 'image/jpeg', quality), limit)).blob;
  } finally {
    bitmap.close();
  }
}

type Phase = 'idle' | 'loading' | 'cropping' | 'encoding';

const madeStatus = (photo: Blob) => `照片已生成（${PHOTO_WIDTH}×${PHOTO_HEIGHT} 像素，${Math.ceil(photo.size / 1024)} KB）`;

/**
 * 上传一寸免冠照片 with the 证件照处理工具 built in: pick a photo, frame the head, and the device makes the
 * 295×413 px JPEG (≤ 60 KB) and checks for a white background. The picked photo never leaves the device
 * other than as that result.
 */
export class PhotoTool extends ImageField {
  static override properties = {
    phase: { state: true },
    notWhite: { state: true },
  };

  // `value` is the photo in use (295×413 JPEG).
  declare private phase: Phase;
  declare private notWhite: boolean;
  private readonly frame = new PhotoCropController(this);

  private bitmap: ImageBitmap | undefined;
  private emitted: Blob | undefined;

  static override styles = [
    theme,
    css`
      label { display: block; font-weight: 600; margin: 0 0 0.25em; }
      .required { color: var(--danger, #b42318); margin-left: 0.15em; }
      .help { font-size: 0.9em; margin: 0 0 0.5em; }
      input[type='file'] { width: 100%; padding: 0.3em 0; }
      input[type='file'][aria-invalid='true'] { outline: 2px solid var(--danger, #b42318); outline-offset: 2px; }
      .preview { display: flex; flex-wrap: wrap; gap: 0.75em; align-items: flex-end; margin: 0.5em 0; }
      .preview img {
        width: 6em;
        aspect-ratio: ${PHOTO_WIDTH} / ${PHOTO_HEIGHT};
        object-fit: cover;
        border: 1px solid var(--border, #d7dde5);
        background: #fff;
      }
      .cropper { margin: 0.75em 0; }
      .stage {
        position: relative;
        width: min(100%, 20em);
        overflow: hidden;
        background: #222;
        user-select: none;
      }
      .stage canvas { display: block; width: 100%; height: 100%; }
      .frame {
        position: absolute;
        box-sizing: border-box;
        border: 2px solid #fff;
        box-shadow: 0 0 0 100vmax rgb(0 0 0 / 50%);
        cursor: move;
        touch-action: none;
      }
      .frame:focus-visible { outline: 3px solid #f2b705; outline-offset: 0; }
      /* Where the head should sit, as a guide only. */
      .frame::after {
        content: '';
        position: absolute;
        left: 22%;
        right: 22%;
        top: 10%;
        height: 55%;
        border: 1px dashed rgb(255 255 255 / 80%);
        border-radius: 50%;
        pointer-events: none;
      }
      .zoom { margin: 0.75em 0 0; max-width: 20em; }
      .zoom input { width: 100%; }
      .actions { display: flex; gap: 0.75em; margin-top: 0.75em; flex-wrap: wrap; }
      .actions .primary { flex: 1 1 10em; width: auto; }
      .warning { color: #8a5300; background: #fff6e0; border-left: 4px solid #e0a100; padding: 0.3em 0.6em; }
      .msg { margin: 0.3em 0 0; font-size: 0.9em; }
      .msg:empty { display: none; }
    `,
  ];

  constructor() {
    super();
    this.phase = 'idle';
    this.notWhite = false;
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    super.willUpdate(changed);
    // The warning belongs to the photo it was found on, not to one the form sets.
    if (changed.has('value') && this.value !== this.emitted) {
      this.notWhite = false;
      // The form kept another copy (使用较小的照片): the size told is of the photo in use.
      const previous = changed.get('value');
      if (previous && this.file.status === madeStatus(previous)) this.file.status = this.value ? madeStatus(this.value) : '';
    }
  }

  private get fileInput(): HTMLInputElement | null {
    return this.renderRoot.querySelector('#photo-file');
  }

  private async onFileChange(event: Event) {
    const choice = await this.file.chosen(event);
    if (!choice) return;
    this.phase = 'loading';
    this.file.status = '正在读取照片…';
    let bitmap: ImageBitmap;
    try {
      bitmap = await decodeImage(choice.file, WORKING_MAX_SIDE);
    } catch {
      if (!choice.current()) return;
      this.phase = 'idle';
      this.file.status = '';
      this.file.refuse(choice.input, DECODE_MESSAGE);
      return;
    }
    if (!choice.current()) {
      bitmap.close();
      return;
    }
    this.dropPicture();
    this.bitmap = bitmap;
    this.frame.start({ width: bitmap.width, height: bitmap.height });
    this.phase = 'cropping';
    this.file.status = '照片已读取，请移动、缩放取景框，然后点“使用此照片”';
    await this.updateComplete;
    this.drawStage();
  }

  private drawStage() {
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>('.stage canvas');
    const bitmap = this.bitmap;
    if (!canvas || !bitmap) return;
    const scale = Math.min(1, STAGE_MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  }

  private async use() {
    const bitmap = this.bitmap;
    if (!bitmap || this.phase !== 'cropping') return;
    this.phase = 'encoding';
    this.file.message = '';
    this.file.status = '正在生成照片…';
    const current = this.file.current();
    try {
      const { blob, whiteBackground } = await idPhotoFrom(bitmap, this.frame.crop);
      if (current()) this.finish(blob, whiteBackground);
    } catch (error) {
      if (!current()) return;
      this.phase = 'cropping';
      this.file.status = '';
      this.file.message = error instanceof PhotoTooLargeError ? TOO_LARGE_MESSAGE : ENCODE_MESSAGE;
    }
  }

  /** The picture being framed goes; the photo in use stays. */
  private dropPicture() {
    this.bitmap?.close();
    this.bitmap = undefined;
    this.frame.stop();
    this.phase = 'idle';
  }

  private finish(blob: Blob, whiteBackground: boolean) {
    this.dropPicture();
    this.emitted = blob;
    this.notWhite = !whiteBackground;
    this.file.status = madeStatus(blob);
    const input = this.fileInput;
    if (input) input.value = '';
    this.deliver<PhotoChangeDetail>(blob, 'photo-change', { blob, whiteBackground });
  }

  /** 重新选择: drop the frame being edited (the photo in use stays until another is used) and pick again. */
  private restart() {
    this.file.cancel();
    this.dropPicture();
    this.file.message = '';
    this.file.status = '';
    const input = this.fileInput;
    if (!input) return;
    input.value = '';
    input.focus();
    try {
      input.showPicker();
    } catch {
      // Needs a real user gesture; the focused, labelled input is there to use instead.
    }
  }

  private renderCropper() {
    const { width: w, height: h } = this.frame.image;
    const busy = this.phase === 'encoding';
    return html`
      <div class="cropper">
        <p id="crop-help" class="muted help">拖动取景框（或选中后按方向键）移动，用“缩放”调整大小，让头部居中、位于虚线框内。</p>
        <div class="stage" style=${styleMap({ aspectRatio: `${w} / ${h}` })}>
          <canvas aria-hidden="true"></canvas>
          <div
            class="frame"
            role="group"
            tabindex="0"
            aria-label="取景框"
            aria-describedby="crop-help"
            style=${styleMap(this.frame.frameStyle())}
            @pointerdown=${this.frame.pointerDown}
            @pointermove=${this.frame.pointerMove}
            @pointerup=${this.frame.pointerEnd}
            @pointercancel=${this.frame.pointerEnd}
            @keydown=${this.frame.keyDown}
          ></div>
        </div>
        <div class="zoom">
          <label for="photo-zoom">缩放</label>
          <input
            id="photo-zoom"
            type="range"
            min="1"
            max=${MAX_ZOOM}
            step="0.05"
            .value=${String(this.frame.zoom)}
            aria-valuetext="${Math.round(this.frame.zoom * 100)}%"
            @input=${this.frame.zoomInput}
          />
        </div>
        <div class="actions">
          <button class="primary" type="button" ?disabled=${busy} @click=${this.use}>使用此照片</button>
          <button class="secondary" type="button" ?disabled=${busy} @click=${this.restart}>重新选择</button>
        </div>
      </div>
    `;
  }

  override render() {
    const cropping = this.phase === 'cropping' || this.phase === 'encoding';
    return html`
      <label for="photo-file">上传一寸免冠照片<span class="required" aria-hidden="true">*</span></label>
      <p id="photo-help" class="muted help">
        格式 jpg、jpeg、png。选好照片后在本机裁剪为 ${PHOTO_WIDTH}×${PHOTO_HEIGHT} 像素、白色背景的证件照，并压缩到
        ${PHOTO_MAX_BYTES / 1024} KB 以内。
      </p>
      ${!cropping && this.preview.url
        ? html`<div class="preview">
            <img src=${this.preview.url} alt="当前使用的一寸免冠照片" />
            <button class="secondary" type="button" @click=${this.restart}>重新选择</button>
          </div>`
        : nothing}
      <input
        id="photo-file"
        type="file"
        accept="image/jpeg,image/png,.jpg,.jpeg,.png"
        aria-describedby="photo-note photo-help photo-message photo-warning photo-error"
        aria-invalid=${this.fileInvalid}
        ?disabled=${this.phase === 'loading' || this.phase === 'encoding'}
        @change=${this.onFileChange}
      />
      ${cropping ? this.renderCropper() : nothing}
      <p id="photo-status" class="msg muted" role="status">${this.file.status}</p>
      <p id="photo-warning" class="msg ${this.notWhite ? 'warning' : ''}" aria-live="polite">${this.notWhite ? NOT_WHITE_MESSAGE : ''}</p>
      <p id="photo-message" class="msg error" aria-live="assertive">${this.file.message}</p>
      <p id="photo-error" class="msg error" aria-live="assertive">${this.invalid}</p>
      ${this.noteDescription('photo-note')}
    `;
  }
}

customElements.define('photo-tool', PhotoTool);

declare global {
  interface HTMLElementTagNameMap {
    'photo-tool': PhotoTool;
  }
}
