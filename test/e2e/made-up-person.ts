import sharp from 'sharp';
import { residentIdCheckChar } from '../../shared/resident-id.ts';

/** A valid, made-up resident ID (Jinan, born 15 March 1990), different on every call. */
export function madeUpIdNumber(birth = '19900315'): string {
  const sequence = String(Math.floor(Math.random() * 1000)).padStart(3, '0');
  const first17 = `370103${birth}${sequence}`;
  return first17 + residentIdCheckChar(first17);
}

/** A phone-camera-sized portrait: white background, a dark head and shoulders. */
export function portraitJpeg(background = '#ffffff'): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="1600">
    <rect width="1200" height="1600" fill="${background}"/>
    <ellipse cx="600" cy="620" rx="260" ry="330" fill="#5b4636"/>
    <rect x="250" y="1050" width="700" height="550" rx="200" fill="#27303d"/>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();
}
