import sharp from 'sharp';
import { residentIdCheckChar } from '../../shared/resident-id.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A day between 1975 and 1990 as YYYYMMDD: an applicant well within the age limits, and of working age in 2012. */
function madeUpBirth(): string {
  const day = new Date(Date.UTC(1975, 0, 1) + Math.floor(Math.random() * 16 * 365) * DAY_MS);
  return day.toISOString().slice(0, 10).replaceAll('-', '');
}

// A run registers a few dozen people on one server: the sequence counts up from a random start, so no two
// IDs made in one test process are alike, and the random birth day keeps other processes' apart too.
const firstSequence = Math.floor(Math.random() * 1000);
let made = 0;

/** A valid, made-up resident ID (Jinan), born on `birth` (YYYYMMDD) or a random day; different on every call. */
export function madeUpIdNumber(birth = madeUpBirth()): string {
  const sequence = String((firstSequence + made++) % 1000).padStart(3, '0');
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
