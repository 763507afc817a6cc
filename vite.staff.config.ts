import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { BROWSER_TARGET } from './sw/browser-target.ts';

/**
 * The staff console, built on its own after the applicant's app (vite.config.ts): the two builds share
 * no chunk, so the applicant's first screen carries lit in its entry and loads nothing made for the
 * console. Everything lands under staff/, which the service worker does not precache (sw/build.ts).
 */
export default defineConfig({
  root: fileURLToPath(new URL('client/staff/', import.meta.url)),
  base: '/staff/',
  // The icons and the manifest belong to the applicant's build, which copies them already.
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('dist/client/staff/', import.meta.url)),
    // Only staff/: the applicant's build is already in dist/client.
    emptyOutDir: true,
    target: BROWSER_TARGET,
    assetsInlineLimit: 4096,
    rolldownOptions: { input: { staff: fileURLToPath(new URL('client/staff/index.html', import.meta.url)) } },
  },
});
