/** A signature from a chosen picture of a handwritten one: the ink found, trimmed, on white, as a PNG. */
import { canvasToBlob, decodeImage, whiteCanvas } from './canvas-image.ts';
import { fitWithin, inkBounds } from './signature-geometry.ts';

export const SIGNATURE_ENCODE_MESSAGE = '签名处理失败，请重试';
const NO_INK_IN_FILE_MESSAGE = '图片中没有找到签名笔迹，请换一张白纸黑字的签名图片';
const DECODE_MESSAGE = '无法读取这张图片，请换一张图片';
/** Chosen photos are shrunk to this long side before looking for ink. */
const WORKING_MAX_SIDE = 2000;

/** A PNG of the ink in the picture (at most 600×300), or the message saying why there is none. */
export async function signatureFromPicture(file: Blob): Promise<Blob | string> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await decodeImage(file, WORKING_MAX_SIDE);
  } catch {
    return DECODE_MESSAGE;
  }
  try {
    // The ink is judged (and delivered) on white, also for a transparent PNG.
    const work = whiteCanvas(bitmap.width, bitmap.height, { willReadFrequently: true });
    if (!work) return SIGNATURE_ENCODE_MESSAGE;
    work.ctx.drawImage(bitmap, 0, 0);
    const ink = inkBounds(work.ctx.getImageData(0, 0, bitmap.width, bitmap.height));
    if (!ink) return NO_INK_IN_FILE_MESSAGE;
    const margin = Math.max(8, Math.round(Math.max(ink.width, ink.height) * 0.04));
    const x = Math.max(0, ink.x - margin);
    const y = Math.max(0, ink.y - margin);
    const w = Math.min(bitmap.width, ink.x + ink.width + margin) - x;
    const h = Math.min(bitmap.height, ink.y + ink.height + margin) - y;
    const fit = fitWithin(w, h);
    const out = whiteCanvas(fit.width, fit.height);
    if (!out) return SIGNATURE_ENCODE_MESSAGE;
    out.ctx.drawImage(work.canvas, x, y, w, h, 0, 0, fit.width, fit.height);
    return await canvasToBlob(out.canvas, 'image/png');
  } catch {
    return SIGNATURE_ENCODE_MESSAGE;
  } finally {
    bitmap.close();
  }
}
