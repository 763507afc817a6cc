import { build } from 'esbuild';
import { injectManifest } from 'workbox-build';

/** Bundles the service worker and injects the precache manifest of the built client. */
const outDir = 'dist/client';
const bundled = 'dist/sw.bundle.js';

await build({
  entryPoints: ['sw/sw.ts'],
  bundle: true,
  format: 'iife',
  target: 'es2022',
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
  globIgnores: ['sw.js'],
});
for (const warning of warnings) console.warn(warning);
console.log(`service worker: precaching ${count} files, ${(size / 1024).toFixed(1)} KiB`);
