import { availableParallelism } from 'node:os';
import sharp, { type Sharp } from 'sharp';
import type { AttachmentKind } from '../../shared/api/attachments.ts';
import type { ImageMime } from '../../shared/image-type.ts';

/** 一寸照 as the authority wants it: 295×413 px. */
export const PHOTO_WIDTH = 295;
export const PHOTO_HEIGHT = 413;
/** A signature is a line of handwriting; larger adds bytes, not legibility. */
export const SIGNATURE_MAX_WIDTH = 600;
export const SIGNATURE_MAX_HEIGHT = 300;
/**
 * Decoding is refused above this many pixels, read from the header before any decoding: a small PNG
 * can claim a huge canvas and exhaust memory. 64 MP is above any phone camera's output.
 */
export const MAX_INPUT_PIXELS = 64 * 1024 * 1024;

export interface ReencodedImage {
  bytes: Uint8Array;
  mime: ImageMime;
  width: number;
  height: number;
}

/** Why an upload could not become an image; the route maps each reason to a status. */
export type ImageRejection = 'undecodable' | 'too-many-pixels';

export class ImageRejectedError extends Error {
  override name = 'ImageRejectedError';
  constructor(
    readonly reason: ImageRejection,
    detail: string,
  ) {
    super(detail);
  }
}

const WHITE = { r: 255, g: 255, b: 255 };

// libvips would otherwise keep recent decoded images (people's faces) in memory; every upload is
// decoded once anyway, so the cache buys nothing here.
sharp.cache(false);

function decoder(input: Uint8Array): Sharp {
  // failOn 'error' still aborts on truncated or corrupt data, yet accepts the harmless warnings
  // some phone cameras' JPEGs raise (e.g. extraneous bytes before a marker).
  return sharp(input, { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS, autoOrient: true });
}

/**
 * Re-encodings at once: one per core. libuv's pool would run four, each holding decoded pixels in memory
 * that glibc keeps afterwards, with no gain in speed once the cores are busy.
 */
const MAX_AT_ONCE = availableParallelism();
let running = 0;
const waiting: (() => void)[] = [];

async function withReencodeSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running < MAX_AT_ONCE) running++;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await work();
  } finally {
    // The slot passes straight to the next in line, so no newcomer can slip in between.
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

/**
 * Runs one pipeline, translating every decoder failure into ImageRejectedError. Writing fresh pixels
 * without `keepMetadata`/`withMetadata` drops EXIF (GPS, camera), XMP, IPTC and anything appended
 * after the image's end marker: none of the uploaded bytes survive, only the decoded pixels.
 */
function render(pipeline: Sharp, mime: ImageMime): Promise<ReencodedImage> {
  return withReencodeSlot(() => renderNow(pipeline, mime));
}

async function renderNow(pipeline: Sharp, mime: ImageMime): Promise<ReencodedImage> {
  try {
    const meta = await pipeline.clone().metadata();
    // The magic bytes were checked already; this also refuses anything sharp could decode besides.
    if (meta.format !== 'jpeg' && meta.format !== 'png') throw new Error(`unexpected format ${meta.format}`);
    const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
    return { bytes: data, mime, width: info.width, height: info.height };
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new ImageRejectedError(/pixel limit/i.test(detail) ? 'too-many-pixels' : 'undecodable', detail);
  }
}

/** Photo: upright, cropped from the centre to exactly 295×413, on white, JPEG. */
export function reencodePhoto(input: Uint8Array): Promise<ReencodedImage> {
  const pipeline = decoder(input)
    .flatten({ background: WHITE })
    .resize(PHOTO_WIDTH, PHOTO_HEIGHT, { fit: 'cover', position: 'centre' })
    .jpeg({ quality: 85, mozjpeg: true });
  return render(pipeline, 'image/jpeg');
}

/** Signature: on white, fitted inside 600×300 and never enlarged, PNG with a palette when it fits. */
export function reencodeSignature(input: Uint8Array): Promise<ReencodedImage> {
  const pipeline = decoder(input)
    .flatten({ background: WHITE })
    .resize(SIGNATURE_MAX_WIDTH, SIGNATURE_MAX_HEIGHT, { fit: 'inside', withoutEnlargement: true })
    .png({ compressionLevel: 9, palette: true });
  return render(pipeline, 'image/png');
}

export function reencodeAttachment(kind: AttachmentKind, input: Uint8Array): Promise<ReencodedImage> {
  return kind === 'photo' ? reencodePhoto(input) : reencodeSignature(input);
}

/**
 * Width and height of an image the server encoded itself, read from its header alone (no pixels
 * decoded). Only for attachments stored before their dimensions were recorded.
 */
export async function storedImageSize(bytes: Uint8Array): Promise<{ width: number; height: number }> {
  const { width, height } = await sharp(bytes).metadata();
  return { width, height };
}
