import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { canvasToBlob, whiteCanvas } from './canvas-image.ts';
import { fitWithin, type Point, SIGNATURE_MAX_HEIGHT, SIGNATURE_MAX_WIDTH, strokeBounds } from './signature-geometry.ts';

/** Pen width and the white margin kept around the ink, in CSS px of the pad. */
const LINE_WIDTH = 3;
const MARGIN = 16;
const INK_COLOUR = '#111';

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

/** Draws the newest piece of the stroke exactly as traceStroke would, so the pad never flickers. */
function traceTail(ctx: CanvasRenderingContext2D, stroke: readonly Point[]) {
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

function setPen(ctx: CanvasRenderingContext2D, width: number) {
  ctx.strokeStyle = INK_COLOUR;
  ctx.fillStyle = INK_COLOUR;
  ctx.lineWidth = width;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
}

/**
 * Writing on the host's <canvas> with a finger, pen or mouse (one pointer at a time, so a palm does not
 * draw). The ink is kept in CSS px of the pad and redrawn whenever the canvas changes size; bind the
 * pointer handlers on the canvas.
 */
export class SignatureDrawingController implements ReactiveController {
  private readonly host: ReactiveControllerHost & { readonly renderRoot: ParentNode };
  private readonly onStroke: () => void;
  private strokes: Point[][] = [];
  private activePointer: number | undefined;
  private resizeObserver: ResizeObserver | undefined;

  /** `onStroke` runs when a new stroke begins (the host clears its messages). */
  constructor(host: ReactiveControllerHost & { readonly renderRoot: ParentNode }, onStroke: () => void) {
    this.host = host;
    this.onStroke = onStroke;
    host.addController(this);
  }

  private get canvas(): HTMLCanvasElement | null {
    return this.host.renderRoot.querySelector('canvas');
  }

  hostConnected(): void {
    // Moved in the page: watch the same canvas again.
    const canvas = this.canvas;
    if (canvas) this.resizeObserver?.observe(canvas);
  }

  hostUpdated(): void {
    if (this.resizeObserver) return;
    const canvas = this.canvas;
    if (!canvas) return;
    this.resizeObserver = new ResizeObserver(() => this.resizeCanvas());
    this.resizeObserver.observe(canvas);
    this.resizeCanvas();
  }

  hostDisconnected(): void {
    this.resizeObserver?.disconnect();
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
    const canvas = this.canvas!;
    const rect = canvas.getBoundingClientRect();
    // The border is part of the rect; ink coordinates start at the padding box.
    return { x: event.clientX - rect.left - canvas.clientLeft, y: event.clientY - rect.top - canvas.clientTop };
  }

  readonly pointerDown = (event: PointerEvent): void => {
    if (this.activePointer !== undefined) return; // a second finger or the palm
    if (event.pointerType === 'mouse' && event.button !== 0) return;
    event.preventDefault();
    try {
      (event.currentTarget as HTMLCanvasElement).setPointerCapture(event.pointerId);
    } catch {
      // Synthetic pointers cannot be captured; drawing still works while over the pad.
    }
    this.activePointer = event.pointerId;
    this.onStroke();
    const point = this.pointAt(event);
    this.strokes.push([point]);
    const ctx = this.context();
    if (ctx) traceStroke(ctx, [point]);
  };

  readonly pointerMove = (event: PointerEvent): void => {
    if (event.pointerId !== this.activePointer) return;
    const stroke = this.strokes[this.strokes.length - 1];
    const ctx = this.context();
    if (!stroke || !ctx) return;
    const coalesced = event.getCoalescedEvents?.() ?? [];
    for (const e of coalesced.length > 0 ? coalesced : [event]) {
      stroke.push(this.pointAt(e));
      traceTail(ctx, stroke);
    }
  };

  readonly pointerEnd = (event: PointerEvent): void => {
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
  };

  /** Wipes the pad. */
  clear(): void {
    this.strokes = [];
    this.activePointer = undefined;
    this.redraw();
  }

  /**
   * The ink as a PNG on white, trimmed to it and at most 600×300 px; undefined while the pad is empty.
   * Rejects when the browser cannot encode it.
   */
  toPng(): Promise<Blob> | undefined {
    const bounds = strokeBounds(this.strokes, LINE_WIDTH / 2 + MARGIN);
    if (!bounds) return undefined;
    const fit = fitWithin(bounds.width, bounds.height, SIGNATURE_MAX_WIDTH, SIGNATURE_MAX_HEIGHT, window.devicePixelRatio || 1);
    const out = whiteCanvas(fit.width, fit.height);
    if (!out) return Promise.reject(new Error('no 2d context'));
    out.ctx.setTransform(fit.scale, 0, 0, fit.scale, -bounds.x * fit.scale, -bounds.y * fit.scale);
    // Keep strokes at least 1.5 output px wide when a large signature is scaled down.
    setPen(out.ctx, Math.max(LINE_WIDTH, 1.5 / fit.scale));
    for (const stroke of this.strokes) traceStroke(out.ctx, stroke);
    return canvasToBlob(out.canvas, 'image/png');
  }
}
