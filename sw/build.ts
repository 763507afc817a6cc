import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { build } from 'esbuild';
import { injectManifest } from 'workbox-build';
import { renderAppIcons } from './app-icons.ts';
import { BROWSER_TARGET } from './browser-target.ts';

/**
 * Runs after `vite build`: renders the app icons, bundles the service worker, injects the precache
 * manifest of the built client, and writes Brotli and gzip copies that the server sends as they are.
 */
const outDir = 'dist/client';
const bundled = 'dist/sw.bundle.js';

await renderAppIcons(outDir);

await build({
  entryPoints: ['sw/sw.ts'],
  bundle: true,
  format: 'iife',
  target: BROWSER_TARGET,
  // esbuild cannot lower destructuring and refuses it below Safari 14.1 for a WebKit bug (array rest of
  // an array with holes) confirmed only through Safari 13.1; Vite keeps destructuring for Safari 14 too.
  supported: { destructuring: true },
  minify: true,
  outfile: bundled,
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});

const { count, size, warnings } = await injectManifest({
  swSrc: bundled,
  swDest: `${outDir}/sw.js`,
  globDirectory: outDir,
  globPatterns: ['**/*.{html,js,css,svg,png,webmanifest,woff2}'],
  // Screenshots are only for the install dialog: not worth their bytes on every phone. The staff
  // console (staff/) is for desktops at the office, never for the applicant's phone.
  globIgnores: ['sw.js', 'screenshots/**', 'staff/**'],
});
for (const warning of warnings) console.warn(warning);
console.log(`service worker: precaching ${count} files, ${(size / 1024).toFixed(1)} KiB`);

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);
const COMPRESSIBLE = /\.(html|js|css|svg|webmanifest|json)$/;

/** Every text file once compressed at the highest level, so no request pays for compression. */
async function precompress(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      await precompress(path);
      continue;
    }
    if (!COMPRESSIBLE.test(entry.name) || (await stat(path)).size < 1024) continue;
    const content = await readFile(path);
    await writeFile(`${path}.br`, await brotli(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    await writeFile(`${path}.gz`, await gzipped(content, { level: 9 }));
  }
}
await precompress(outDir);
