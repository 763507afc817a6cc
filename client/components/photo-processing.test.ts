import { expect } from 'chai';
import {
  backgroundStats,
  type CropRect,
  cropAround,
  encodeWithinLimit,
  fullCropSize,
  initialCrop,
  jpegQualities,
  MAX_ZOOM,
  moveCrop,
  PHOTO_ASPECT,
  PHOTO_MAX_BYTES,
  PhotoTooLargeError,
  type Size,
  sniffBlobType,
  zoomCrop,
  zoomOf,
} from './photo-processing.ts';
import { sniffImageType } from '../../shared/image-type.ts';

const EPS = 1e-9;

function expectValidCrop(image: Size, crop: CropRect) {
  expect(crop.width / crop.height).to.be.closeTo(PHOTO_ASPECT, EPS);
  expect(crop.x).to.be.at.least(0);
  expect(crop.y).to.be.at.least(0);
  expect(crop.x + crop.width).to.be.at.most(image.width + EPS);
  expect(crop.y + crop.height).to.be.at.most(image.height + EPS);
  expect(crop.width).to.be.greaterThan(0);
}

/** RGBA pixels filled by a colour function. */
function pixels(width: number, height: number, colour: (x: number, y: number) => [number, number, number]) {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = colour(x, y);
      data.set([r, g, b, 255], (y * width + x) * 4);
    }
  }
  return { data, width, height };
}

describe('photo-processing', () => {
  describe('sniffImageType', () => {
    it('knows JPEG and PNG by their first bytes and nothing else', async () => {
      expect(sniffImageType([0xff, 0xd8, 0xff, 0xe0])).to.equal('image/jpeg');
      expect(sniffImageType([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])).to.equal('image/png');
      expect(sniffImageType([0x47, 0x49, 0x46, 0x38, 0x39, 0x61])).to.equal(undefined); // GIF89a
      expect(sniffImageType([0xff, 0xd8])).to.equal(undefined);
      expect(sniffImageType([])).to.equal(undefined);
      expect(await sniffBlobType(new Blob(['hello'], { type: 'image/png' }))).to.equal(undefined);
      expect(await sniffBlobType(new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xdb, 0])]))).to.equal('image/jpeg');
    });
  });

  describe('crop geometry', () => {
    const sizes: Size[] = [
      { width: 1200, height: 1600 },
      { width: 4032, height: 3024 },
      { width: 295, height: 413 },
      { width: 590, height: 826 },
      { width: 100, height: 2000 },
      { width: 3000, height: 50 },
      { width: 1, height: 1 },
      { width: 641, height: 997 },
    ];

    it('the full frame is the largest 295:413 box that fits', () => {
      for (const image of sizes) {
        const full = fullCropSize(image);
        expect(full.width / full.height).to.be.closeTo(PHOTO_ASPECT, EPS);
        const touchesWidth = Math.abs(full.width - image.width) < EPS;
        const touchesHeight = Math.abs(full.height - image.height) < EPS;
        expect(touchesWidth || touchesHeight, `${image.width}×${image.height}`).to.equal(true);
        expect(full.width).to.be.at.most(image.width + EPS);
        expect(full.height).to.be.at.most(image.height + EPS);
      }
    });

    it('keeps the ratio and stays inside the image for any zoom and centre', () => {
      const zooms = [-3, 0, 0.5, 1, 1.37, 2, 3.99, MAX_ZOOM, 10, Number.NaN];
      for (const image of sizes) {
        expectValidCrop(image, initialCrop(image));
        for (const zoom of zooms) {
          for (const cx of [-500, 0, image.width / 3, image.width, image.width * 5]) {
            for (const cy of [-500, 0, image.height / 2, image.height, 1e6]) {
              expectValidCrop(image, cropAround(image, zoom, cx, cy));
            }
          }
        }
      }
    });

    it('moving stops at the edges; zooming keeps the centre', () => {
      const image = { width: 1200, height: 1600 };
      let crop = zoomCrop(image, initialCrop(image), 2);
      expectValidCrop(image, crop);
      expect(zoomOf(image, crop)).to.be.closeTo(2, EPS);
      const centre = { x: crop.x + crop.width / 2, y: crop.y + crop.height / 2 };
      crop = zoomCrop(image, crop, 3);
      expect(crop.x + crop.width / 2).to.be.closeTo(centre.x, EPS);
      expect(crop.y + crop.height / 2).to.be.closeTo(centre.y, EPS);

      const moved = moveCrop(image, crop, 10, -5);
      expect(moved.x).to.be.closeTo(crop.x + 10, EPS);
      expect(moved.y).to.be.closeTo(Math.max(0, crop.y - 5), EPS);
      for (const [dx, dy] of [
        [-1e5, 0],
        [1e5, 0],
        [0, -1e5],
        [0, 1e5],
        [1e5, 1e5],
      ] as const) {
        const m = moveCrop(image, crop, dx, dy);
        expectValidCrop(image, m);
        expect(m.width).to.equal(crop.width);
      }
      expect(moveCrop(image, crop, 1e5, 1e5).x + crop.width).to.be.closeTo(image.width, EPS);
    });

    it('starts centred horizontally at the top of a tall photo', () => {
      const image = { width: 1000, height: 3000 };
      const crop = initialCrop(image);
      expect(crop.y).to.equal(0);
      expect(crop.width).to.equal(1000);
    });
  });

  describe('backgroundStats', () => {
    it('a white background is white', () => {
      const stats = backgroundStats(pixels(295, 413, () => [250, 250, 250]));
      expect(stats.white).to.equal(true);
      expect(stats.whiteShare).to.equal(1);
      expect(stats.meanBrightness).to.equal(250);
      expect(stats.meanSaturation).to.equal(0);
      expect(stats.samples).to.be.greaterThan(1000);
    });

    it('blue, grey and tinted backgrounds are not', () => {
      expect(backgroundStats(pixels(295, 413, () => [60, 120, 220])).white).to.equal(false);
      expect(backgroundStats(pixels(295, 413, () => [150, 150, 150])).white).to.equal(false);
      expect(backgroundStats(pixels(295, 413, () => [255, 215, 215])).white).to.equal(false);
      const blue = backgroundStats(pixels(295, 413, () => [60, 120, 220]));
      expect(blue.meanSaturation).to.equal(160);
    });

    it('a face in the middle and shoulders at the bottom sides do not count against the background', () => {
      const photo = pixels(295, 413, (x, y) => {
        const inFace = ((x - 147) / 80) ** 2 + ((y - 180) / 110) ** 2 <= 1;
        const shoulders = y > 300;
        return inFace || shoulders ? [40, 30, 30] : [245, 245, 245];
      });
      expect(backgroundStats(photo).white).to.equal(true);
    });

    it('dark hair across the whole top edge does', () => {
      const photo = pixels(295, 413, (_x, y) => (y < 20 ? [20, 20, 20] : [245, 245, 245]));
      expect(backgroundStats(photo).white).to.equal(false);
    });

    it('copes with tiny and empty images', () => {
      expect(backgroundStats(pixels(1, 1, () => [255, 255, 255])).white).to.equal(true);
      expect(backgroundStats({ data: [], width: 0, height: 0 }).white).to.equal(false);
    });
  });

  describe('encodeWithinLimit', () => {
    it('tries falling qualities from 0.92', () => {
      const q = jpegQualities();
      expect(q[0]).to.equal(0.92);
      for (let i = 1; i < q.length; i++) expect(q[i]!).to.be.lessThan(q[i - 1]!);
      expect(q[q.length - 1]!).to.be.greaterThan(0);
    });

    it('returns the best quality that fits', async () => {
      const tried: number[] = [];
      const result = await encodeWithinLimit(async (quality) => {
        tried.push(quality);
        return new Blob([new Uint8Array(Math.round(quality * 100_000))]);
      });
      expect(result.blob.size).to.be.at.most(PHOTO_MAX_BYTES);
      expect(result.quality).to.equal(0.6);
      expect(tried).to.deep.equal([0.92, 0.84, 0.76, 0.68, 0.6]);
    });

    it('encodes once when the first try fits', async () => {
      let calls = 0;
      const result = await encodeWithinLimit(async () => {
        calls++;
        return new Blob([new Uint8Array(PHOTO_MAX_BYTES)]);
      });
      expect(calls).to.equal(1);
      expect(result.blob.size).to.equal(PHOTO_MAX_BYTES);
    });

    it('never returns more than the limit, whatever the encoder does', async () => {
      let seed = 7;
      const random = () => {
        seed = (seed * 48271) % 2147483647;
        return seed / 2147483647;
      };
      for (let run = 0; run < 200; run++) {
        const base = 20_000 + random() * 200_000;
        const jitter = random() * 30_000;
        try {
          const { blob } = await encodeWithinLimit(async (q) => new Blob([new Uint8Array(Math.round(base * q + jitter * random()))]));
          expect(blob.size).to.be.at.most(PHOTO_MAX_BYTES);
        } catch (error) {
          expect(error).to.be.instanceOf(PhotoTooLargeError);
        }
      }
    });

    it('throws when even the lowest quality is too big', async () => {
      let error: unknown;
      try {
        await encodeWithinLimit(async () => new Blob([new Uint8Array(PHOTO_MAX_BYTES + 1)]));
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(PhotoTooLargeError);
      expect((error as PhotoTooLargeError).bytes).to.equal(PHOTO_MAX_BYTES + 1);
    });
  });
});
