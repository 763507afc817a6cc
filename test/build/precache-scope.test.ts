/** Which built chunks the precache holds (sw/precache-scope.ts), on a small made-up chunk graph. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type BuildManifest, chunkFiles, isPrecached, precachedChunkFiles } from '../../sw/precache-scope.ts';

// Keys as Vite names sources, relative to its root (client/); the sources exist, the files are made up.
const manifest: BuildManifest = {
  'index.html': { file: 'assets/main-1.js', dynamicImports: ['pages/register-page.ts', 'pages/application-form-page.ts'] },
  'pages/register-page.ts': { file: 'assets/register-page-2.js', imports: ['_online-form-3.js', '_form-field-4.js'] },
  'pages/application-form-page.ts': { file: 'assets/application-form-page-5.js', imports: ['_form-field-4.js'], css: ['assets/form-6.css'] },
  '_online-form-3.js': { file: 'assets/online-form-3.js' },
  '_form-field-4.js': { file: 'assets/form-field-4.js' },
};
const onlineOnly = ['client/pages/register-page.ts'];

test('an online-only screen and what only it imports stay out; what an offline screen shares with it stays in', () => {
  const precached = precachedChunkFiles(manifest, 'client', onlineOnly);
  assert.deepEqual([...precached].sort(), ['assets/application-form-page-5.js', 'assets/form-6.css', 'assets/form-field-4.js', 'assets/main-1.js']);
});

test('files that are no chunk (the HTML, the web app manifest) are precached, the PNG icons are not', () => {
  const chunks = chunkFiles(manifest);
  const precached = precachedChunkFiles(manifest, 'client', onlineOnly);
  assert.equal(isPrecached('assets/online-form-3.js', chunks, precached), false);
  assert.equal(isPrecached('index.html', chunks, precached), true);
  assert.equal(isPrecached('manifest.webmanifest', chunks, precached), true);
  assert.equal(isPrecached('icons/icon-512.png', chunks, precached), false);
});

test('a listed screen the build does not have (renamed, say) stops the build', () => {
  assert.throws(() => precachedChunkFiles(manifest, 'client', ['client/pages/sign-in-page.ts']), /sign-in-page\.ts is not a chunk/);
});
