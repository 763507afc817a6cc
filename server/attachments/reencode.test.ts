import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { sniffImageType } from '../../shared/image-type.ts';
import { ImageRejectedError, reencodePhoto, reencodeSignature } from './reencode.ts';

const SECRET_EXIF = 'SECRET-EXIF-CAMERA';
const SECRET_PAYLOAD = 'SECRET-PAYLOAD';

function contains(haystack: Uint8Array, needle: string): boolean {
  return Buffer.from(haystack).includes(Buffer.from(needle, 'latin1'));
}

/** A camera-like JPEG: EXIF with identifying text, GPS, and bytes smuggled after the end marker. */
async function cameraJpeg(width: number, height: number): Promise<Buffer> {
  const jpeg = await sharp({ create: { width, height, channels: 3, background: { r: 180, g: 120, b: 90 } } })
    .jpeg()
    .withExif({
      IFD0: { Make: SECRET_EXIF, ImageDescription: SECRET_EXIF },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '36/1 40/1 0/1' },
    })
    .toBuffer();
  return Buffer.concat([jpeg, Buffer.from(SECRET_PAYLOAD, 'latin1')]);
}

async function pixel(image: Uint8Array, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [...data.subarray(at, at + info.channels)];
}

describe('reencodePhoto', () => {
  it('delivers exactly 295×413 JPEG without EXIF, GPS or trailing payload', async () => {
    const input = await cameraJpeg(1200, 1600);
    assert.ok(contains(input, SECRET_EXIF) && contains(input, SECRET_PAYLOAD), 'the fixture carries both');
    assert.ok((await sharp(input).metadata()).exif);

    const out = await reencodePhoto(input);
    assert.deepEqual([out.mime, out.width, out.height], ['image/jpeg', 295, 413]);
    assert.equal(sniffImageType(out.bytes), 'image/jpeg');
    const meta = await sharp(out.bytes).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 295, 413]);
    assert.equal(meta.exif, undefined);
    assert.equal(meta.xmp, undefined);
    assert.ok(!contains(out.bytes, SECRET_EXIF));
    assert.ok(!contains(out.bytes, SECRET_PAYLOAD));
    assert.ok(!contains(out.bytes, 'Exif'));
  });

  it('is deterministic, so a retried upload maps to the same stored bytes', async () => {
    const input = await cameraJpeg(800, 1000);
    assert.deepEqual(await reencodePhoto(input), await reencodePhoto(input));
  });

  it('turns the picture upright by its EXIF orientation before cropping', async () => {
    // Stored landscape: left half red, right half blue. Orientation 6 shows it turned 90° clockwise,
    // so the person sees red on top and blue below.
    const left = await sharp({ create: { width: 800, height: 1200, channels: 3, background: '#ff0000' } }).png().toBuffer();
    const stored = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#0000ff' } })
      .composite([{ input: left, left: 0, top: 0 }])
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const out = await reencodePhoto(stored);
    const [tr, , tb] = await pixel(out.bytes, 147, 10);
    const [br, , bb] = await pixel(out.bytes, 147, 400);
    assert.ok(tr! > 200 && tb! < 60, `top should be red, got ${tr},${tb}`);
    assert.ok(bb! > 200 && br! < 60, `bottom should be blue, got ${br},${bb}`);
  });

  it('puts a transparent PNG on white', async () => {
    const clear = await sharp({ create: { width: 300, height: 420, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .png()
      .toBuffer();
    const out = await reencodePhoto(clear);
    const [r, g, b] = await pixel(out.bytes, 5, 5);
    assert.ok(r! > 245 && g! > 245 && b! > 245, `${r},${g},${b}`);
  });

  it('rejects a truncated JPEG and random bytes behind a JPEG header', async () => {
    const whole = await sharp(randomBytes(600 * 800 * 3), { raw: { width: 600, height: 800, channels: 3 } }).jpeg().toBuffer();
    const bad = [
      whole.subarray(0, Math.floor(whole.length / 2)),
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(4096)]),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]),
    ];
    for (const input of bad) {
      await assert.rejects(reencodePhoto(input), (err: unknown) => err instanceof ImageRejectedError && err.reason === 'undecodable');
    }
  });

  it('refuses a canvas too large to decode safely, reading only the header', async () => {
    // A few bytes claiming 9000×9000 pixels: decoded, that would be ~240 MB.
    const chunk = (type: string, data: Buffer) => {
      const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
      const out = Buffer.alloc(12 + data.length);
      out.writeUInt32BE(data.length, 0);
      body.copy(out, 4);
      out.writeUInt32BE(crc32(body), 8 + data.length);
      return out;
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(9000, 0);
    ihdr.writeUInt32BE(9000, 4);
    ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
    const bomb = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(Buffer.alloc(1000))),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    await assert.rejects(reencodePhoto(bomb), (err: unknown) => err instanceof ImageRejectedError && err.reason === 'too-many-pixels');
  });
});

describe('reencodeSignature', () => {
  it('fits a transparent signature inside 600×300 on white as PNG without metadata', async () => {
    const stroke = await sharp({ create: { width: 800, height: 40, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 1 } } })
      .png()
      .toBuffer();
    const input = await sharp({ create: { width: 1500, height: 500, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .composite([{ input: stroke, left: 300, top: 230 }])
      .png()
      .withExif({ IFD0: { Artist: SECRET_EXIF } })
      .toBuffer();
    const out = await reencodeSignature(Buffer.concat([input, Buffer.from(SECRET_PAYLOAD, 'latin1')]));
    assert.deepEqual([out.mime, out.width, out.height], ['image/png', 600, 200]);
    assert.equal(sniffImageType(out.bytes), 'image/png');
    const meta = await sharp(out.bytes).metadata();
    assert.equal(meta.hasAlpha, false);
    assert.equal(meta.exif, undefined);
    assert.ok(!contains(out.bytes, SECRET_EXIF) && !contains(out.bytes, SECRET_PAYLOAD));
    const [r, g, b] = await pixel(out.bytes, 2, 2);
    assert.deepEqual([r, g, b], [255, 255, 255]);
    const [sr] = await pixel(out.bytes, 300, 100);
    assert.ok(sr! < 40, `the stroke stays dark, got ${sr}`);
  });

  it('never enlarges a small signature', async () => {
    const small = await sharp({ create: { width: 200, height: 80, channels: 3, background: '#ffffff' } }).jpeg().toBuffer();
    const out = await reencodeSignature(small);
    assert.deepEqual([out.mime, out.width, out.height], ['image/png', 200, 80]);
  });
});
