/** The 一寸照 made from the framed part of a picture, on the device. */
import { canvasToBlob, whiteCanvas } from './canvas-image.ts';
import { backgroundStats, type CropRect, encodeWithinLimit, PHOTO_HEIGHT, PHOTO_WIDTH } from './photo-processing.ts';

/**
 * The crop drawn at 295×413 px and encoded as JPEG within 60 KB, and whether its background is white.
 * Rejects with PhotoTooLargeError when even the lowest quality is too large, or when it cannot be drawn.
 */
export async function idPhotoFrom(picture: CanvasImageSource, crop: CropRect): Promise<{ blob: Blob; whiteBackground: boolean }> {
  // A transparent PNG background counts as white, as it would print.
  const out = whiteCanvas(PHOTO_WIDTH, PHOTO_HEIGHT, { willReadFrequently: true });
  if (!out) throw new Error('no 2d context');
  out.ctx.drawImage(picture, crop.x, crop.y, crop.width, crop.height, 0, 0, PHOTO_WIDTH, PHOTO_HEIGHT);
  const stats = backgroundStats(out.ctx.getImageData(0, 0, PHOTO_WIDTH, PHOTO_HEIGHT));
  const { blob } = await encodeWithinLimit((quality) => canvasToBlob(out.canvas, 'image/jpeg', quality));
  return { blob, whiteBackground: stats.white };
}
