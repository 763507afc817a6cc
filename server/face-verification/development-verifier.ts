import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { sniffImageType } from '../../shared/image-type.ts';
import type { FaceVerifier } from './verifier.ts';

/**
 * For development and demos: any frame that really is a decodable JPEG or PNG passes. Nothing about
 * the image outlives the call; the reference is a fresh random id.
 */
export const developmentVerifier: FaceVerifier = {
  name: 'development',
  async verify({ image }) {
    return { passed: await isDecodableFrame(image), reference: `dev-${randomUUID()}` };
  },
};

async function isDecodableFrame(image: Uint8Array): Promise<boolean> {
  const mime = sniffImageType(image);
  if (!mime) return false;
  try {
    // Reads the header only; enough to reject a file that merely starts with the right bytes.
    const meta = await sharp(image, { failOn: 'error' }).metadata();
    const expected = mime === 'image/png' ? 'png' : 'jpeg';
    return meta.format === expected && (meta.width ?? 0) > 0 && (meta.height ?? 0) > 0;
  } catch {
    return false;
  }
}
