import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { theme } from '../styles/theme.ts';
import { BlobUrlController } from './blob-url-controller.ts';
import { FORMAT_MESSAGE, type PixelData, sniffBlobType } from './photo-processing.ts';

export interface SignatureChangeDetail {
  blob: Blob;
}

export const NO_INK_MESSAGE = '请先在签名板上书写签名';
const NO_INK_IN_FILE_MESSAGE = '图片中没有找到签名笔迹，请换一张白纸黑字的签名图片';
const DECODE_MESSAGE = '无法读取这张图片，请换一张图片';
const ENCODE_MESSAGE = '签名处理失败，请重试';

/** The delivered signature fits in this box (px). */
export const SIGNATURE_MAX_WIDTH = 600;
export const SIGNATURE_MAX_HEIGHT = 300;
/** Pen width and the white margin kept around the ink, in CSS px of the pad. */
const LINE_WIDTH = 3;
const MARGIN = 16;
/** Chosen photos are shrunk to this long side before looking for ink. */
const WORKING_MAX_SIDE = 2000;
const INK_COLOUR = '#111';

export interface Point {
  x: number;
  y: number;
}

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Bounding box of all points, grown by `pad` on every side; undefined when there are none. */
export function strokeBounds(strokes: readonly (readonly Point[])[], pad: number): Bounds | undefined {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const stroke of strokes) {
    for (const p of stroke) {
      minX = Math.min(minX, p.x);
      minY = Math.min(minY, p.y);
      maxX = Math.max(maxX, p.x);
      maxY = Math.max(maxY, p.y);
    }
  }
  if (minX === Number.POSITIVE_INFINITY) return undefined;
  return { x: minX - pad, y: minY - pad, width: maxX - minX + 2 * pad, height: maxY - minY + 2 * pad };
}

/**
 * Scale for drawing a box of width×height: `preferred` (e.g. the device pixel ratio) unless that
 * would exceed the maximum, and the output size in whole pixels, never above the maximum.
 */
export function fitWithin(
  width: number,
  height: number,
  maxWidth = SIGNATURE_MAX_WIDTH,
  maxHeight = SIGNATURE_MAX_HEIGHT,
  preferred = 1,
): { scale: number; width: number; height: number } {
  const scale = Math.min(preferred, maxWidth / width, maxHeight / height);
  return {
    scale,
    width: Math.max(1, Math.min(maxWidth, Math.round(width * scale))),
    height: Math.max(1, Math.min(maxHeight, Math.round(height * scale))),
  };
}

/**
 * Box around the ink of a picture of a signature (already on white). Ink is what is clearly darker
 * than the paper: below 60% of the paper's brightness (the 90th percentile), so a photo of paper in
 * dim light still works.
 */
export function inkBounds(image: PixelData): Bounds | undefined {
  const { data, width, height } = image;
  const histogram = new Uint32Array(256);
  const luminance = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const l = Math.round(0.299 * (data[i * 4] ?? 0) + 0.587 * (data[i * 4 + 1] ?? 0) + 0.114 * (data[i * 4 + 2] ?? 0));
    luminance[i] = l;
    histogram[l] = (histogram[l] ?? 0) + 1;
  }
  let seen = 0;
  let paper = 255;
  for (let l = 0; l < 256; l++) {
    seen += histogram[l] ?? 0;
    if (seen >= width * height * 0.9) {
      paper = l;
      break;
    }
  }
  const threshold = Math.min(200, paper * 0.6);
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((luminance[y * width + x] ?? 255) < threshold) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  if (maxX < 0) return undefined;
  return { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}

function canvasToBlob(canvas: HTMLCanvasElement, type: string): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('canvas encoding failed'))), type);
  });
}

/** Smooth line through the points: quadratic curves between midpoints, a dot for a single tap. */
function traceStroke(ctx: CanvasRenderingContext2D, points: readonly Point[]) {
  const first = points[0];
  if (!first) return;
  if (points.length === 1) {
    ctx.beginPath();
    ctx.arc(first.x, first.y, ctx.lineWidth / 2, 0, Math.PI * 2);
    ctx.fill();
    return;
  }
  ctx.beginPath();
  ctx.moveTo(first.x, first.y);
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i]!;
    const next = points[i + 1]!;
    ctx.quadraticCurveTo(p.x, p.y, (p.x + next.x) / 2, (p.y + next.y) / 2);
  }
  const last = points[points.length - 1]!;
  ctx.lineTo(last.x, last.y);
  ctx.stroke();
}

function setPen(ctx: CanvasRenderingContext2D, width: number) {
  ctx.strokeStyle = INK_COLOUR;
  ctx.fillStyle = INK_COLOUR;
  ctx.lineWidth = width;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
}

/**
 * 上传签名: write on a pad with a finger, pen or mouse, or choose a picture of a handwritten signature.
 * Either way the result is a PNG on white, trimmed to the ink and at most 600×300 px.
 */
export class SignaturePad extends LitElement {
  static override properties = {
    value: { attribute: false },
    invalid: { type: String },
    message: { state: true },
    status: { state: true },
    busy: { state: true },
  };

  /** The signature in use (PNG); undefined while none. */
  declare value: Blob | undefined;
  /** The form's error message for this field; empty when none. */
  declare invalid: string;
  declare private message: string;
  declare private status: string;
  declare private busy: boolean;
  private readonly preview = new BlobUrlController(this);

  /** The ink, in CSS px of the pad; the canvas is redrawn from it whenever its size changes. */
  private strokes: Point[][] = [];
  private activePointer: number | undefined;
  private resizeObserver: ResizeObserver | undefined;
  private fileSeq = 0;

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
    this.value = undefined;
    this.invalid = '';
    this.message = '';
    this.status = '';
    this.busy = false;
  }

  override connectedCallback() {
    super.connectedCallback();
    if (this.hasUpdated) {
      const canvas = this.canvas;
      if (canvas) this.resizeObserver?.observe(canvas);
    }
  }

  override disconnectedCallback() {
    this.fileSeq++;
    this.resizeObserver?.disconnect();
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('value')) {
      this.preview.show(this.value);
    }
  }

  protected override firstUpdated() {
    const canvas = this.canvas;
    if (!canvas) return;
    this.resizeObserver = new ResizeObserver(() => this.resizeCanvas());
    this.resizeObserver.observe(canvas);
    this.resizeCanvas();
  }

  private get canvas(): HTMLCanvasElement | null {
    return this.renderRoot.querySelector('canvas');
  }

  /** Backing store at device resolution (sharp lines on high-density screens), then redraw the ink. */
  private resizeCanvas() {
    const canvas = this.canvas;
    if (!canvas) return;
    const dpr = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(canvas.clientWidth * dpr));
    const height = Math.max(1, Math.round(canvas.clientHeight * dpr));
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    this.redraw();
  }

  private context(): CanvasRenderingContext2D | null {
    const canvas = this.canvas;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return null;
    const sx = canvas.width / (canvas.clientWidth || canvas.width);
    const sy = canvas.height / (canvas.clientHeight || canvas.height);
    ctx.setTransform(sx, 0, 0, sy, 0, 0);
    setPen(ctx, LINE_WIDTH);
    return ctx;
  }

  private redraw() {
    const canvas = this.canvas;
    const ctx = this.context();
    if (!canvas || !ctx) return;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.restore();
    for (const stroke of this.strokes) traceStroke(ctx, stroke);
  }

  private pointAt(event: PointerEvent | MouseEvent): Point {
    const rect = this.canvas!.getBoundingClientRect();
    // The border is part of the rect; ink coordinates start at the padding box.
    return { x: event.clientX - rect.left - this.canvas!.clientLeft, y: event.clientY - rect.top - this.canvas!.clientTop };
  }

  private onPointerDown(event: PointerEvent) {
    if (this.activePointer !== undefined) return; // a second finger or the palm
    if (event.pointerType === 'mouse' && event.button !== 0) return;
    event.preventDefault();
    const canvas = event.currentTarget as HTMLCanvasElement;
    try {
      canvas.setPointerCapture(event.pointerId);
    } catch {
      // Synthetic pointers cannot be captured; drawing still works while over the pad.
    }
    this.activePointer = event.pointerId;
    this.message = '';
    this.status = '';
    const point = this.pointAt(event);
    this.strokes.push([point]);
    const ctx = this.context();
    if (ctx) traceStroke(ctx, [point]);
  }

  private onPointerMove(event: PointerEvent) {
    if (event.pointerId !== this.activePointer) return;
    const stroke = this.strokes[this.strokes.length - 1];
    const ctx = this.context();
    if (!stroke || !ctx) return;
    const coalesced = event.getCoalescedEvents?.() ?? [];
    for (const e of coalesced.length > 0 ? coalesced : [event]) {
      stroke.push(this.pointAt(e));
      this.drawTail(ctx, stroke);
    }
  }

  /** Draws the newest piece of the stroke exactly as traceStroke would, so the pad never flickers. */
  private drawTail(ctx: CanvasRenderingContext2D, stroke: readonly Point[]) {
    const n = stroke.length;
    const a = stroke[n - 3];
    const b = stroke[n - 2]!;
    const c = stroke[n - 1]!;
    ctx.beginPath();
    if (a) {
      ctx.moveTo((a.x + b.x) / 2, (a.y + b.y) / 2);
      ctx.quadraticCurveTo(b.x, b.y, (b.x + c.x) / 2, (b.y + c.y) / 2);
    } else {
      ctx.moveTo(b.x, b.y);
      ctx.lineTo((b.x + c.x) / 2, (b.y + c.y) / 2);
    }
    ctx.stroke();
  }

  private onPointerEnd(event: PointerEvent) {
    if (event.pointerId !== this.activePointer) return;
    this.activePointer = undefined;
    const stroke = this.strokes[this.strokes.length - 1];
    const ctx = this.context();
    if (!stroke || !ctx || stroke.length < 2) return;
    const b = stroke[stroke.length - 2]!;
    const c = stroke[stroke.length - 1]!;
    ctx.beginPath();
    ctx.moveTo((b.x + c.x) / 2, (b.y + c.y) / 2);
    ctx.lineTo(c.x, c.y);
    ctx.stroke();
  }

  private clear() {
    this.strokes = [];
    this.activePointer = undefined;
    this.message = '';
    this.status = '';
    this.redraw();
  }

  private async done() {
    const bounds = strokeBounds(this.strokes, LINE_WIDTH / 2 + MARGIN);
    if (!bounds) {
      this.message = NO_INK_MESSAGE;
      return;
    }
    this.message = '';
    const fit = fitWithin(bounds.width, bounds.height, SIGNATURE_MAX_WIDTH, SIGNATURE_MAX_HEIGHT, window.devicePixelRatio || 1);
    const canvas = document.createElement('canvas');
    canvas.width = fit.width;
    canvas.height = fit.height;
    const ctx = canvas.getContext('2d');
    if (!ctx) {
      this.message = ENCODE_MESSAGE;
      return;
    }
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, fit.width, fit.height);
    ctx.setTransform(fit.scale, 0, 0, fit.scale, -bounds.x * fit.scale, -bounds.y * fit.scale);
    // Keep strokes at least 1.5 output px wide when a large signature is scaled down.
    setPen(ctx, Math.max(LINE_WIDTH, 1.5 / fit.scale));
    for (const stroke of this.strokes) traceStroke(ctx, stroke);
    this.busy = true;
    try {
      this.finish(await canvasToBlob(canvas, 'image/png'));
    } catch {
      this.message = ENCODE_MESSAGE;
    } finally {
      this.busy = false;
    }
  }

  private async onFileChange(event: Event) {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    const seq = ++this.fileSeq;
    this.message = '';
    this.status = '';
    if (!(await sniffBlobType(file))) {
      if (seq !== this.fileSeq) return;
      this.message = FORMAT_MESSAGE;
      input.value = '';
      return;
    }
    this.busy = true;
    try {
      const result = await this.fromPicture(file);
      if (seq !== this.fileSeq) return;
      if (typeof result === 'string') {
        this.message = result;
        input.value = '';
      } else {
        this.finish(result);
      }
    } finally {
      if (seq === this.fileSeq) this.busy = false;
    }
  }

  /** A PNG of the ink in a chosen picture, or the message saying why there is none. */
  private async fromPicture(file: Blob): Promise<Blob | string> {
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    } catch {
      return DECODE_MESSAGE;
    }
    try {
      const shrink = Math.min(1, WORKING_MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      const work = document.createElement('canvas');
      work.width = Math.max(1, Math.round(bitmap.width * shrink));
      work.height = Math.max(1, Math.round(bitmap.height * shrink));
      const wctx = work.getContext('2d', { willReadFrequently: true });
      if (!wctx) return ENCODE_MESSAGE;
      // Transparent PNGs: the ink is judged (and delivered) on white.
      wctx.fillStyle = '#fff';
      wctx.fillRect(0, 0, work.width, work.height);
      wctx.drawImage(bitmap, 0, 0, work.width, work.height);
      const ink = inkBounds(wctx.getImageData(0, 0, work.width, work.height));
      if (!ink) return NO_INK_IN_FILE_MESSAGE;
      const margin = Math.max(8, Math.round(Math.max(ink.width, ink.height) * 0.04));
      const x = Math.max(0, ink.x - margin);
      const y = Math.max(0, ink.y - margin);
      const w = Math.min(work.width, ink.x + ink.width + margin) - x;
      const h = Math.min(work.height, ink.y + ink.height + margin) - y;
      const fit = fitWithin(w, h);
      const out = document.createElement('canvas');
      out.width = fit.width;
      out.height = fit.height;
      const octx = out.getContext('2d');
      if (!octx) return ENCODE_MESSAGE;
      octx.fillStyle = '#fff';
      octx.fillRect(0, 0, fit.width, fit.height);
      octx.imageSmoothingQuality = 'high';
      octx.drawImage(work, x, y, w, h, 0, 0, fit.width, fit.height);
      return await canvasToBlob(out, 'image/png');
    } catch {
      return ENCODE_MESSAGE;
    } finally {
      bitmap.close();
    }
  }

  private finish(blob: Blob) {
    this.value = blob;
    this.status = '签名已保存';
    this.dispatchEvent(
      new CustomEvent<SignatureChangeDetail>('signature-change', {
        detail: { blob },
        bubbles: true,
        composed: true,
      }),
    );
  }

  override render() {
    const invalid = this.invalid || this.message ? 'true' : 'false';
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
          @pointerdown=${this.onPointerDown}
          @pointermove=${this.onPointerMove}
          @pointerup=${this.onPointerEnd}
          @pointercancel=${this.onPointerEnd}
        ></canvas>
        <div class="actions">
          <button class="secondary" type="button" @click=${this.clear}>清除</button>
          <button class="primary" type="button" ?disabled=${this.busy} @click=${this.done}>完成</button>
        </div>
        <div class="file">
          <label for="sig-file">选择签名图片</label>
          <input
            id="sig-file"
            type="file"
            accept="image/jpeg,image/png,.jpg,.jpeg,.png"
            aria-describedby="sig-message sig-error"
            aria-invalid=${invalid}
            ?disabled=${this.busy}
            @change=${this.onFileChange}
          />
        </div>
        <p id="sig-status" class="msg muted" role="status">${this.status}</p>
        <p id="sig-message" class="msg error" aria-live="assertive">${this.message}</p>
        <p id="sig-error" class="msg error" aria-live="assertive">${this.invalid}</p>
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
