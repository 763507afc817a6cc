import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { theme } from '../styles/theme.ts';
import { BlobUrlController } from './blob-url-controller.ts';
import {
  backgroundStats,
  type CropRect,
  clampZoom,
  encodeWithinLimit,
  FORMAT_MESSAGE,
  initialCrop,
  MAX_ZOOM,
  moveCrop,
  PHOTO_HEIGHT,
  PHOTO_MAX_BYTES,
  PHOTO_WIDTH,
  PhotoTooLargeError,
  type Size,
  sniffBlobType,
  zoomCrop,
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

type Phase = 'idle' | 'loading' | 'cropping' | 'encoding';

/** Decodes with EXIF orientation applied, shrinking large camera photos once. */
async function decode(file: Blob): Promise<ImageBitmap> {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  const longSide = Math.max(bitmap.width, bitmap.height);
  if (longSide <= WORKING_MAX_SIDE) return bitmap;
  const scale = WORKING_MAX_SIDE / longSide;
  try {
    return await createImageBitmap(bitmap, {
      resizeWidth: Math.max(1, Math.round(bitmap.width * scale)),
      resizeHeight: Math.max(1, Math.round(bitmap.height * scale)),
      resizeQuality: 'high',
    });
  } finally {
    bitmap.close();
  }
}

function canvasToBlob(canvas: HTMLCanvasElement, type: string, quality?: number): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('canvas encoding failed'))), type, quality);
  });
}

/**
 * 上传一寸免冠照片 with the 证件照处理工具 built in: pick a photo, frame the head, and the device makes the
 * 295×413 px JPEG (≤ 60 KB) and checks for a white background. The picked photo never leaves the device
 * other than as that result.
 */
export class PhotoTool extends LitElement {
  static override properties = {
    value: { attribute: false },
    invalid: { type: String },
    phase: { state: true },
    crop: { state: true },
    zoom: { state: true },
    message: { state: true },
    status: { state: true },
    notWhite: { state: true },
  };

  /** The photo in use (295×413 JPEG); undefined while none. */
  declare value: Blob | undefined;
  /** The form's error message for this field; empty when none. */
  declare invalid: string;
  declare private phase: Phase;
  declare private crop: CropRect;
  declare private zoom: number;
  declare private message: string;
  declare private status: string;
  declare private notWhite: boolean;
  private readonly preview = new BlobUrlController(this);

  private bitmap: ImageBitmap | undefined;
  private imageSize: Size = { width: 1, height: 1 };
  private emitted: Blob | undefined;
  private loadSeq = 0;
  private drag: { id: number; x: number; y: number; crop: CropRect; scale: number } | undefined;

  static override styles = [
    theme,
    css`
      label { display: block; font-weight: 600; margin: 0 0 0.25em; }
      .required { color: var(--danger, #b42318); margin-left: 0.15em; }
      .help { font-size: 0.9em; margin: 0 0 0.5em; }
      input[type='file'] { width: 100%; padding: 0.3em 0; }
      input[type='file'][aria-invalid='true'] { outline: 2px solid var(--danger, #b42318); outline-offset: 2px; }
      .preview { display: flex; gap: 0.75em; align-items: flex-end; margin: 0.5em 0; }
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
    this.value = undefined;
    this.invalid = '';
    this.phase = 'idle';
    this.crop = { x: 0, y: 0, width: 1, height: 1 };
    this.zoom = 1;
    this.message = '';
    this.status = '';
    this.notWhite = false;
  }

  override disconnectedCallback() {
    this.loadSeq++;
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('value')) {
      this.preview.show(this.value);
      // The warning belongs to the photo it was found on, not to one the form sets.
      if (this.value !== this.emitted) this.notWhite = false;
    }
  }

  private get fileInput(): HTMLInputElement | null {
    return this.renderRoot.querySelector('#photo-file');
  }

  private async onFileChange(event: Event) {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    const seq = ++this.loadSeq;
    this.message = '';
    this.status = '';
    if (!(await sniffBlobType(file))) {
      if (seq !== this.loadSeq) return;
      this.message = FORMAT_MESSAGE;
      input.value = '';
      return;
    }
    this.phase = 'loading';
    this.status = '正在读取照片…';
    let bitmap: ImageBitmap;
    try {
      bitmap = await decode(file);
    } catch {
      if (seq !== this.loadSeq) return;
      this.phase = 'idle';
      this.status = '';
      this.message = DECODE_MESSAGE;
      input.value = '';
      return;
    }
    if (seq !== this.loadSeq) {
      bitmap.close();
      return;
    }
    this.bitmap?.close();
    this.bitmap = bitmap;
    this.imageSize = { width: bitmap.width, height: bitmap.height };
    this.crop = initialCrop(this.imageSize);
    this.zoom = 1;
    this.phase = 'cropping';
    this.status = '照片已读取，请移动、缩放取景框，然后点“使用此照片”';
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

  private onZoom(event: Event) {
    this.zoom = clampZoom(Number((event.target as HTMLInputElement).value));
    this.crop = zoomCrop(this.imageSize, this.crop, this.zoom);
  }

  private onFrameKeyDown(event: KeyboardEvent) {
    const step = this.imageSize.width * (event.shiftKey ? 0.05 : 0.01);
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      this.crop = moveCrop(this.imageSize, this.crop, move[0], move[1]);
      return;
    }
    if (event.key === '+' || event.key === '=' || event.key === '-') {
      event.preventDefault();
      this.zoom = clampZoom(this.zoom + (event.key === '-' ? -0.1 : 0.1));
      this.crop = zoomCrop(this.imageSize, this.crop, this.zoom);
    }
  }

  private onPointerDown(event: PointerEvent) {
    if (event.pointerType === 'mouse' && event.button !== 0) return;
    const frame = event.currentTarget as HTMLElement;
    const stageWidth = frame.parentElement?.getBoundingClientRect().width || 1;
    try {
      frame.setPointerCapture(event.pointerId);
    } catch {
      // Synthetic or already-ended pointers cannot be captured; dragging still works inside the frame.
    }
    this.drag = {
      id: event.pointerId,
      x: event.clientX,
      y: event.clientY,
      crop: this.crop,
      scale: this.imageSize.width / stageWidth,
    };
    frame.focus({ preventScroll: true });
    event.preventDefault();
  }

  private onPointerMove(event: PointerEvent) {
    const drag = this.drag;
    if (!drag || event.pointerId !== drag.id) return;
    const dx = (event.clientX - drag.x) * drag.scale;
    const dy = (event.clientY - drag.y) * drag.scale;
    this.crop = moveCrop(this.imageSize, drag.crop, dx, dy);
  }

  private onPointerEnd(event: PointerEvent) {
    if (this.drag?.id === event.pointerId) this.drag = undefined;
  }

  private async use() {
    const bitmap = this.bitmap;
    if (!bitmap || this.phase !== 'cropping') return;
    this.phase = 'encoding';
    this.message = '';
    this.status = '正在生成照片…';
    const seq = this.loadSeq;
    try {
      const canvas = document.createElement('canvas');
      canvas.width = PHOTO_WIDTH;
      canvas.height = PHOTO_HEIGHT;
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      if (!ctx) throw new Error('no 2d context');
      // A transparent PNG background counts as white, as it would print.
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, PHOTO_WIDTH, PHOTO_HEIGHT);
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = 'high';
      const { x, y, width, height } = this.crop;
      ctx.drawImage(bitmap, x, y, width, height, 0, 0, PHOTO_WIDTH, PHOTO_HEIGHT);
      const stats = backgroundStats(ctx.getImageData(0, 0, PHOTO_WIDTH, PHOTO_HEIGHT));
      const { blob } = await encodeWithinLimit((quality) => canvasToBlob(canvas, 'image/jpeg', quality));
      if (seq !== this.loadSeq) return;
      this.finish(blob, stats.white);
    } catch (error) {
      if (seq !== this.loadSeq) return;
      this.phase = 'cropping';
      this.status = '';
      this.message = error instanceof PhotoTooLargeError ? TOO_LARGE_MESSAGE : ENCODE_MESSAGE;
    }
  }

  private finish(blob: Blob, whiteBackground: boolean) {
    this.bitmap?.close();
    this.bitmap = undefined;
    this.drag = undefined;
    this.phase = 'idle';
    this.emitted = blob;
    this.value = blob;
    this.notWhite = !whiteBackground;
    this.status = `照片已生成（${PHOTO_WIDTH}×${PHOTO_HEIGHT} 像素，${Math.ceil(blob.size / 1024)} KB）`;
    const input = this.fileInput;
    if (input) input.value = '';
    this.dispatchEvent(
      new CustomEvent<PhotoChangeDetail>('photo-change', {
        detail: { blob, whiteBackground },
        bubbles: true,
        composed: true,
      }),
    );
  }

  /** 重新选择: drop the frame being edited (the photo in use stays until another is used) and pick again. */
  private restart() {
    this.loadSeq++;
    this.bitmap?.close();
    this.bitmap = undefined;
    this.drag = undefined;
    this.phase = 'idle';
    this.message = '';
    this.status = '';
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
    const { width: w, height: h } = this.imageSize;
    const c = this.crop;
    const frameStyle = {
      left: `${(c.x / w) * 100}%`,
      top: `${(c.y / h) * 100}%`,
      width: `${(c.width / w) * 100}%`,
      height: `${(c.height / h) * 100}%`,
    };
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
            style=${styleMap(frameStyle)}
            @pointerdown=${this.onPointerDown}
            @pointermove=${this.onPointerMove}
            @pointerup=${this.onPointerEnd}
            @pointercancel=${this.onPointerEnd}
            @keydown=${this.onFrameKeyDown}
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
            .value=${String(this.zoom)}
            aria-valuetext="${Math.round(this.zoom * 100)}%"
            @input=${this.onZoom}
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
        aria-describedby="photo-help photo-message photo-warning photo-error"
        aria-invalid=${this.invalid || this.message ? 'true' : 'false'}
        ?disabled=${this.phase === 'loading' || this.phase === 'encoding'}
        @change=${this.onFileChange}
      />
      ${cropping ? this.renderCropper() : nothing}
      <p id="photo-status" class="msg muted" role="status">${this.status}</p>
      <p id="photo-warning" class="msg ${this.notWhite ? 'warning' : ''}" aria-live="polite">${this.notWhite ? NOT_WHITE_MESSAGE : ''}</p>
      <p id="photo-message" class="msg error" aria-live="assertive">${this.message}</p>
      <p id="photo-error" class="msg error" aria-live="assertive">${this.invalid}</p>
    `;
  }
}

customElements.define('photo-tool', PhotoTool);

declare global {
  interface HTMLElementTagNameMap {
    'photo-tool': PhotoTool;
  }
}
