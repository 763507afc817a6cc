/**
 * Pure geometry of the signature, with no DOM so it is tested on its own: where the ink is (strokes drawn
 * on the pad, or dark marks in a chosen picture) and how large the delivered PNG is.
 */
import type { PixelData } from './photo-processing.ts';

/** The delivered signature fits in this box (px). */
export const SIGNATURE_MAX_WIDTH = 600;
export const SIGNATURE_MAX_HEIGHT = 300;

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
