import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { MARKER } from './schema-arbitrary.ts';

/**
 * Pictures an attacker or a broken camera app would send: what is decodable but hostile (a polyglot, a
 * picture that inflates to tens of megabytes), what only claims to be a picture, and what is cut short.
 */

export interface NamedImage {
  name: string;
  bytes: Uint8Array;
  /** The media type it claims. */
  mime: string;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A grayscale PNG of `width`×`height` whose IDAT holds `rows` rows of zeros (all of them when omitted). */
function grayPng(width: number, height: number, rows = height): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  // Each row: filter byte 0, then one zero byte per pixel.
  const raw = Buffer.alloc((width + 1) * rows);
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array())]);
}

/** Real pictures to start from, and the hostile ones made from them. */
export async function hostileImages(): Promise<{ validPhoto: NamedImage; validSignature: NamedImage; hostile: NamedImage[] }> {
  const jpeg = await sharp({ create: { width: 295, height: 413, channels: 3, background: { r: 230, g: 230, b: 240 } } })
    .jpeg()
    .toBuffer();
  const png = await sharp({ create: { width: 600, height: 200, channels: 3, background: { r: 255, g: 255, b: 255 } } })
    .png()
    .toBuffer();
  const html = Buffer.from(`<html><body><script>alert("${MARKER}")</script></body></html>`);
  const idat = png.indexOf('IDAT');
  const idatLength = png.readUInt32BE(idat - 4);
  // A JPEG header (SOI, JFIF APP0) followed by nothing but HTML.
  const jpegHeaderOnly = Buffer.concat([jpeg.subarray(0, 20), html]);
  // A SOF0 claiming 65535×65535 with no scan after it.
  const hugeJpegHeader = Buffer.from([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0xff, 0xff, 0xff, 0xff, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xff, 0xd9]);
  const badCrc = Buffer.from(png);
  badCrc[idat + 4 + idatLength] = (badCrc[idat + 4 + idatLength] ?? 0) ^ 0xff;
  const hostile: NamedImage[] = [
    { name: 'JPEG with HTML appended (polyglot)', bytes: Buffer.concat([jpeg, html]), mime: 'image/jpeg' },
    { name: 'JPEG header then HTML', bytes: jpegHeaderOnly, mime: 'image/jpeg' },
    { name: 'PNG truncated mid-IDAT', bytes: png.subarray(0, idat + 4 + Math.floor(idatLength / 2)), mime: 'image/png' },
    { name: 'PNG with a broken IDAT checksum', bytes: badCrc, mime: 'image/png' },
    { name: 'PNG claiming 50000x50000 pixels', bytes: grayPng(50000, 50000, 2), mime: 'image/png' },
    // 36 megapixels of zeros deflate to about 35 KB: decodable, just below the pixel cap.
    { name: 'PNG inflating to 36 MB', bytes: grayPng(6000, 6000), mime: 'image/png' },
    { name: 'JPEG SOF claiming 65535x65535', bytes: hugeJpegHeader, mime: 'image/jpeg' },
    { name: 'PNG labelled as JPEG', bytes: png, mime: 'image/jpeg' },
    { name: 'GIF', bytes: Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64'), mime: 'image/png' },
    { name: 'SVG with a script', bytes: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg"><script>${MARKER}</script></svg>`), mime: 'image/png' },
    { name: 'HTML', bytes: html, mime: 'image/jpeg' },
    { name: 'empty', bytes: new Uint8Array(), mime: 'image/png' },
    { name: 'PNG signature only', bytes: PNG_SIGNATURE, mime: 'image/png' },
  ];
  return {
    validPhoto: { name: 'photo', bytes: jpeg, mime: 'image/jpeg' },
    validSignature: { name: 'signature', bytes: png, mime: 'image/png' },
    hostile,
  };
}
