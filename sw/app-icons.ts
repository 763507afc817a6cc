import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

/** The one drawn icon (client/public/icons/icon.svg, a 512-unit square); every PNG is made from it. */
export const ICON_SOURCE = 'client/public/icons/icon.svg';
const BRAND = '#1f5fa8';
/** Maskable icons keep their content inside the central 80 % circle; the emblem is drawn to fit there. */
const SAFE_ZONE = 0.8;

export interface AppIcon {
  /** Path under the built client, as the manifest and index.html name it. */
  file: string;
  size: number;
  /**
   * Square with no transparent corners: the drawing scaled into the safe zone on the brand colour.
   * For maskable icons (the platform cuts its own shape) and iOS (which shows transparency as black).
   */
  fullBleed: boolean;
}

/** The PNG icons the web app manifest and index.html refer to. */
export const APP_ICONS: readonly AppIcon[] = [
  { file: 'icons/icon-192.png', size: 192, fullBleed: false },
  { file: 'icons/icon-512.png', size: 512, fullBleed: false },
  { file: 'icons/maskable-512.png', size: 512, fullBleed: true },
  { file: 'icons/apple-touch-icon-180.png', size: 180, fullBleed: true },
];

function rasterise(svg: Buffer, size: number): Promise<Buffer> {
  // Rendered at the target density, not scaled from one large bitmap: crisp edges at every size.
  return sharp(svg, { density: (72 * size) / 512 })
    .resize(size, size)
    .png()
    .toBuffer();
}

/** One icon of APP_ICONS as a small palette PNG, drawn from the SVG's bytes. */
export async function renderAppIcon(svg: Buffer, icon: AppIcon): Promise<Buffer> {
  const image = icon.fullBleed
    ? sharp({ create: { width: icon.size, height: icon.size, channels: 4, background: BRAND } }).composite([
        { input: await rasterise(svg, Math.round(icon.size * SAFE_ZONE)), gravity: 'centre' },
      ])
    : sharp(await rasterise(svg, icon.size));
  return image.png({ palette: true, compressionLevel: 9, effort: 10 }).toBuffer();
}

/**
 * Renders every icon of APP_ICONS from the SVG into `outDir`. Done at build time so no binary icon
 * is committed and the icons can never drift from the drawing.
 */
export async function renderAppIcons(outDir: string, source = ICON_SOURCE): Promise<void> {
  const svg = await readFile(source);
  for (const icon of APP_ICONS) {
    const target = join(outDir, icon.file);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, await renderAppIcon(svg, icon));
  }
}
