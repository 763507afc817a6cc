/**
 * Pure image logic of the photo tool (and the format check the signature pad shares): no DOM, so it is
 * tested on its own. Coordinates are in source-image pixels.
 */
import { IMAGE_MAGIC_BYTES, type ImageMime, sniffImageType } from '../../shared/image-type.ts';

/** 一寸照 as delivered: 295×413 px JPEG, at most 60 KB. */
export const PHOTO_WIDTH = 295;
export const PHOTO_HEIGHT = 413;
export const PHOTO_ASPECT = PHOTO_WIDTH / PHOTO_HEIGHT;
export const PHOTO_MAX_BYTES = 61_440;
export const MAX_ZOOM = 4;

export const FORMAT_MESSAGE = '仅支持 jpg、jpeg、png 格式的图片';

/** The format by the file's first bytes; names and the browser's MIME guess are not trusted. */
export async function sniffBlobType(blob: Blob): Promise<ImageMime | undefined> {
  return sniffImageType(new Uint8Array(await blob.slice(0, IMAGE_MAGIC_BYTES).arrayBuffer()));
}

export interface Size {
  width: number;
  height: number;
}

export interface CropRect extends Size {
  x: number;
  y: number;
}

function clamp(value: number, min: number, max: number): number {
  // max may be a hair below min through rounding when the frame fills the image: min wins.
  return Math.max(min, Math.min(value, max));
}

export function clampZoom(zoom: number): number {
  return Number.isFinite(zoom) ? clamp(zoom, 1, MAX_ZOOM) : 1;
}

/** The largest 295:413 frame that fits inside the image (zoom 1). */
export function fullCropSize(image: Size): Size {
  if (image.width / image.height > PHOTO_ASPECT) {
    return { width: image.height * PHOTO_ASPECT, height: image.height };
  }
  return { width: image.width, height: image.width / PHOTO_ASPECT };
}

/** The frame for a zoom level, centred on (centreX, centreY) as far as the image edges allow. */
export function cropAround(image: Size, zoom: number, centreX: number, centreY: number): CropRect {
  const full = fullCropSize(image);
  const z = clampZoom(zoom);
  const width = full.width / z;
  const height = full.height / z;
  return {
    x: clamp(centreX - width / 2, 0, image.width - width),
    y: clamp(centreY - height / 2, 0, image.height - height),
    width,
    height,
  };
}

/** Where the frame starts: as large as possible, centred horizontally, at the top (where heads are). */
export function initialCrop(image: Size): CropRect {
  const full = fullCropSize(image);
  return cropAround(image, 1, image.width / 2, full.height / 2);
}

/** Moves the frame by (dx, dy), stopping at the image edges. */
export function moveCrop(image: Size, crop: CropRect, dx: number, dy: number): CropRect {
  return {
    ...crop,
    x: clamp(crop.x + dx, 0, image.width - crop.width),
    y: clamp(crop.y + dy, 0, image.height - crop.height),
  };
}

/** Changes the zoom and keeps the frame's centre where it was (as far as the edges allow). */
export function zoomCrop(image: Size, crop: CropRect, zoom: number): CropRect {
  return cropAround(image, zoom, crop.x + crop.width / 2, crop.y + crop.height / 2);
}

export function zoomOf(image: Size, crop: CropRect): number {
  return clampZoom(fullCropSize(image).width / crop.width);
}

/** Anything shaped like ImageData (RGBA, row by row). */
export interface PixelData {
  data: ArrayLike<number>;
  width: number;
  height: number;
}

export interface BackgroundStats {
  /** How many edge pixels were looked at. */
  samples: number;
  /** Share (0–1) of those that count as white. */
  whiteShare: number;
  /** Mean of (r+g+b)/3 over the samples, 0–255. */
  meanBrightness: number;
  /** Mean of max(r,g,b) − min(r,g,b), 0–255: a crude saturation. */
  meanSaturation: number;
  white: boolean;
}

/** A pixel is white when every channel is ≥ 200 and the channels differ by ≤ 30 (no tint). */
export const WHITE_MIN_CHANNEL = 200;
export const WHITE_MAX_SPREAD = 30;
/** The background is white when ≥ 85% of the edge samples are (hair or a collar may touch an edge). */
export const WHITE_MIN_SHARE = 0.85;
/** Band along each edge that is sampled, as a share of the shorter side. */
const EDGE_BAND = 0.03;
/** The side edges are sampled down to this share of the height: shoulders fill the sides below it. */
const SIDE_DEPTH = 2 / 3;

/** Background statistics of an ID photo from bands along its top, left and right edges. */
export function backgroundStats(image: PixelData): BackgroundStats {
  const { data, width, height } = image;
  const band = Math.max(1, Math.round(Math.min(width, height) * EDGE_BAND));
  const sideEnd = Math.max(band, Math.round(height * SIDE_DEPTH));
  let samples = 0;
  let white = 0;
  let brightness = 0;
  let saturation = 0;
  const sample = (x: number, y: number) => {
    const i = (y * width + x) * 4;
    const r = data[i] ?? 0;
    const g = data[i + 1] ?? 0;
    const b = data[i + 2] ?? 0;
    const max = Math.max(r, g, b);
    const min = Math.min(r, g, b);
    samples++;
    brightness += (r + g + b) / 3;
    saturation += max - min;
    if (min >= WHITE_MIN_CHANNEL && max - min <= WHITE_MAX_SPREAD) white++;
  };
  const topRows = Math.min(band, height);
  for (let y = 0; y < topRows; y++) for (let x = 0; x < width; x++) sample(x, y);
  const sideCols = Math.min(band, Math.floor(width / 2));
  for (let y = topRows; y < Math.min(sideEnd, height); y++) {
    for (let x = 0; x < sideCols; x++) {
      sample(x, y);
      sample(width - 1 - x, y);
    }
  }
  if (samples === 0) return { samples, whiteShare: 0, meanBrightness: 0, meanSaturation: 0, white: false };
  const whiteShare = white / samples;
  return {
    samples,
    whiteShare,
    meanBrightness: brightness / samples,
    meanSaturation: saturation / samples,
    white: whiteShare >= WHITE_MIN_SHARE,
  };
}

/** JPEG qualities tried in turn: 0.92 down in steps of 0.08, then a last resort of 0.05. */
export function jpegQualities(): number[] {
  const steps: number[] = [];
  for (let q = 92; q >= 10; q -= 8) steps.push(q / 100);
  steps.push(0.05);
  return steps;
}

export class PhotoTooLargeError extends Error {
  constructor(readonly bytes: number) {
    super(`encoded photo is ${bytes} bytes even at the lowest quality`);
    this.name = 'PhotoTooLargeError';
  }
}

/**
 * Encodes at falling quality until the result is within maxBytes and returns the first (best) that
 * fits. Never returns anything larger: if even the lowest quality is too big it throws.
 */
export async function encodeWithinLimit(
  encode: (quality: number) => Promise<Blob>,
  maxBytes = PHOTO_MAX_BYTES,
): Promise<{ blob: Blob; quality: number }> {
  let smallest = Number.POSITIVE_INFINITY;
  for (const quality of jpegQualities()) {
    const blob = await encode(quality);
    if (blob.size <= maxBytes) return { blob, quality };
    smallest = Math.min(smallest, blob.size);
  }
  throw new PhotoTooLargeError(smallest);
}

/**
 * The byte limit for the photo offered again when the device had no room for it: half its size, so the
 * retry is worth it, and never above the 60 KB rule.
 */
export function smallerPhotoLimit(bytes: number): number {
  return Math.min(PHOTO_MAX_BYTES, Math.floor(bytes / 2));
}
