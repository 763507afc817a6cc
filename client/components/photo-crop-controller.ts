import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { type CropRect, clampZoom, initialCrop, moveCrop, type Size, zoomCrop } from './photo-processing.ts';

/**
 * The 取景框 over a picture: moved by dragging or with the arrow keys (Shift for larger steps), sized with
 * the 缩放 slider or + and −. Bind the pointer and key handlers on the frame, `zoomInput` on the slider.
 */
export class PhotoCropController implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  /** The picture's size in source pixels; the crop is in the same units. */
  image: Size = { width: 1, height: 1 };
  crop: CropRect = { x: 0, y: 0, width: 1, height: 1 };
  zoom = 1;
  private drag: { id: number; x: number; y: number; crop: CropRect; scale: number } | undefined;

  constructor(host: ReactiveControllerHost) {
    this.host = host;
    host.addController(this);
  }

  hostConnected(): void {}

  /** A new picture: the frame starts as large as possible, at the top, centred. */
  start(image: Size): void {
    this.image = image;
    this.crop = initialCrop(image);
    this.zoom = 1;
    this.drag = undefined;
    this.host.requestUpdate();
  }

  /** Ends a drag under way (the picture is used or dropped). */
  stop(): void {
    this.drag = undefined;
  }

  /** Where the frame sits, as percentages of the stage (the picture as shown). */
  frameStyle(): Record<string, string> {
    const { width: w, height: h } = this.image;
    const c = this.crop;
    return {
      left: `${(c.x / w) * 100}%`,
      top: `${(c.y / h) * 100}%`,
      width: `${(c.width / w) * 100}%`,
      height: `${(c.height / h) * 100}%`,
    };
  }

  private setZoom(zoom: number) {
    this.zoom = clampZoom(zoom);
    this.crop = zoomCrop(this.image, this.crop, this.zoom);
    this.host.requestUpdate();
  }

  private move(crop: CropRect, dx: number, dy: number) {
    this.crop = moveCrop(this.image, crop, dx, dy);
    this.host.requestUpdate();
  }

  readonly zoomInput = (event: Event): void => {
    this.setZoom(Number((event.target as HTMLInputElement).value));
  };

  readonly keyDown = (event: KeyboardEvent): void => {
    const step = this.image.width * (event.shiftKey ? 0.05 : 0.01);
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      this.move(this.crop, move[0], move[1]);
      return;
    }
    if (event.key === '+' || event.key === '=' || event.key === '-') {
      event.preventDefault();
      this.setZoom(this.zoom + (event.key === '-' ? -0.1 : 0.1));
    }
  };

  readonly pointerDown = (event: PointerEvent): void => {
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
      scale: this.image.width / stageWidth,
    };
    frame.focus({ preventScroll: true });
    event.preventDefault();
  };

  readonly pointerMove = (event: PointerEvent): void => {
    const drag = this.drag;
    if (!drag || event.pointerId !== drag.id) return;
    this.move(drag.crop, (event.clientX - drag.x) * drag.scale, (event.clientY - drag.y) * drag.scale);
  };

  readonly pointerEnd = (event: PointerEvent): void => {
    if (this.drag?.id === event.pointerId) this.drag = undefined;
  };
}
