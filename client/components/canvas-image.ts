/** Canvas steps the image fields (photo and signature) share: decode a chosen picture, draw on white, encode. */

/** Decodes with EXIF orientation applied; a picture longer than `maxSide` is shrunk once, right away (kinder to memory). */
export async function decodeImage(file: Blob, maxSide: number): Promise<ImageBitmap> {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  const longSide = Math.max(bitmap.width, bitmap.height);
  if (longSide <= maxSide) return bitmap;
  const scale = maxSide / longSide;
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

/**
 * A canvas of the given size painted white, with smoothing at its best: the transparent parts of a PNG
 * count as white, as they would print. Undefined when the browser gives no 2D context.
 */
export function whiteCanvas(
  width: number,
  height: number,
  settings?: CanvasRenderingContext2DSettings,
): { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D } | undefined {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', settings);
  if (!ctx) return undefined;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  return { canvas, ctx };
}

export function canvasToBlob(canvas: HTMLCanvasElement, type: string, quality?: number): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('canvas encoding failed'))), type, quality);
  });
}
