import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { build } from 'esbuild';
import { getManifest } from 'workbox-build';
import { renderAppIcons } from './app-icons.ts';
import { BROWSER_TARGET } from './browser-target.ts';
import type { OnDemandEntry } from './on-demand-cache.ts';
import { type BuildManifest, chunkFiles, isPrecached, precachedChunkFiles } from './precache-scope.ts';
import { CLASSIC_WORKER_FILE, MODULE_WORKER_FILE } from './worker-protocol.ts';

/**
 * Runs after `vite build`, which built the module service worker (sw.js) with the page: renders the
 * app icons, bundles the classic fallback worker, writes into both the lists of what is precached and
 * what is cached on first use (sw/precache-scope.ts), and writes Brotli and gzip copies that the
 * server sends as they are.
 */
const outDir = 'dist/client';
const viteManifestPath = join(outDir, '.vite/manifest.json');
const classicBundle = 'dist/sw-classic.bundle.js';

await renderAppIcons(outDir);

await build({
  entryPoints: ['sw/classic-sw.ts'],
  bundle: true,
  format: 'iife',
  target: BROWSER_TARGET,
  // esbuild cannot lower destructuring and refuses it below Safari 14.1 for a WebKit bug (array rest of
  // an array with holes) confirmed only through Safari 13.1; Vite keeps destructuring for Safari 14 too.
  supported: { destructuring: true },
  minify: true,
  outfile: classicBundle,
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});

const viteManifest = JSON.parse(await readFile(viteManifestPath, 'utf8')) as BuildManifest;
// Read here only; served, it would only tell the world the build's layout.
await rm(join(outDir, '.vite'), { recursive: true });
const chunks = chunkFiles(viteManifest);
const precachedChunks = precachedChunkFiles(viteManifest, 'client');

const onDemand: OnDemandEntry[] = [];
let onDemandBytes = 0;
const { manifestEntries, count, size, warnings } = await getManifest({
  globDirectory: outDir,
  globPatterns: ['**/*.{html,js,css,svg,png,webmanifest,woff2}'],
  // Screenshots are only for the install dialog: not worth their bytes on every phone. The staff
  // console (staff/) is for desktops at the office, never for the applicant's phone.
  globIgnores: [MODULE_WORKER_FILE, CLASSIC_WORKER_FILE, 'screenshots/**', 'staff/**'],
  // Hashed names change with their content: a revision beside them would only add bytes to both workers.
  dontCacheBustURLsMatching: /^assets\//,
  manifestTransforms: [
    (entries) => {
      const precached: typeof entries = [];
      for (const entry of entries) {
        if (isPrecached(entry.url, chunks, precachedChunks)) {
          precached.push(entry);
          continue;
        }
        onDemand.push([entry.url, entry.revision ?? '']);
        onDemandBytes += entry.size;
      }
      return { manifest: precached, warnings: [] };
    },
  ],
});
for (const warning of warnings) console.warn(warning);
const precache = manifestEntries ?? [];

/** Puts each list where the worker names it, exactly once (as workbox-build's injectManifest would). */
function withFileLists(source: string, file: string): string {
  const lists: [string, unknown][] = [
    ['self.__WB_MANIFEST', precache],
    ['self.__ON_DEMAND_MANIFEST', onDemand],
  ];
  let result = source;
  for (const [point, list] of lists) {
    const found = result.split(point).length - 1;
    if (found !== 1) throw new Error(`${file}: ${point} found ${found} times, expected once`);
    result = result.replace(point, () => JSON.stringify(list));
  }
  return result;
}

const moduleWorker = join(outDir, MODULE_WORKER_FILE);
await writeFile(moduleWorker, withFileLists(await readFile(moduleWorker, 'utf8'), moduleWorker));
await writeFile(join(outDir, CLASSIC_WORKER_FILE), withFileLists(await readFile(classicBundle, 'utf8'), classicBundle));
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
console.log(`service worker: precaching ${count} files, ${kib(size)}; ${onDemand.length} cached on first use, ${kib(onDemandBytes)}`);

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
