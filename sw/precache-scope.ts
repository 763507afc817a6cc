import { realpathSync } from 'node:fs';
import { relative } from 'node:path';
import { APP_ICONS } from './app-icons.ts';

/**
 * What the service worker precaches: everything the app needs with no network, and nothing else
 * (docs/adr/0011-what-the-precache-holds.md). The rest of the build is cached on first use
 * (sw/on-demand-cache.ts).
 */

/**
 * Screens that cannot do anything without the server (it checks the identity, creates the account,
 * signs in, checks the face, changes the number, answers 我的信息), by their source files. A chunk
 * only these load is left out of the precache too; one that a precached screen also imports stays in.
 */
export const ONLINE_ONLY_SCREENS = [
  'client/pages/identity-page.ts',
  'client/pages/register-page.ts',
  'client/pages/sign-in-page.ts',
  'client/pages/forgot-password-page.ts',
  'client/pages/change-mobile-page.ts',
  'client/pages/face-page.ts',
  'client/pages/my-data-page.ts',
];

/** Loaded only where WebCrypto lacks SHA-256 or Ed25519 (client/data/blob-sha256.ts, receipt-verification.ts). */
export const CRYPTO_FALLBACKS = ['client/data/noble-receipt-signature.ts', 'node_modules/@noble/hashes/sha2.js'];

/** Files outside the page's chunks that stay out: the PNG icons, which the OS fetches when installing. */
export const ON_DEMAND_STATIC_FILES: readonly string[] = APP_ICONS.map((icon) => icon.file);

/** One chunk of Vite's build manifest (`build.manifest`), keyed by its source relative to Vite's root. */
export interface BuiltChunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
  assets?: string[];
}

export type BuildManifest = Record<string, BuiltChunk>;

/**
 * The built files of the page's chunks that are precached: those the HTML loads, followed through
 * static imports and through every lazy import except those of `onDemandSources` (paths from the
 * repository root, as above). `root` is Vite's root, against which the manifest names its sources.
 */
export function precachedChunkFiles(
  manifest: BuildManifest,
  root: string,
  onDemandSources: readonly string[] = [...ONLINE_ONLY_SCREENS, ...CRYPTO_FALLBACKS],
  entry = 'index.html',
): Set<string> {
  // Real paths: Vite names sources by them, and node_modules may be a link to another checkout.
  const left = new Set(onDemandSources.map((source) => relative(realpathSync(root), realpathSync(source))));
  for (const key of left) {
    // A renamed screen would otherwise be precached again without anyone noticing.
    if (!manifest[key]) throw new Error(`precache scope: ${key} is not a chunk of the build`);
  }
  const files = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`precache scope: ${key} is not in the build manifest`);
    files.add(chunk.file);
    for (const file of [...(chunk.css ?? []), ...(chunk.assets ?? [])]) files.add(file);
    for (const imported of chunk.imports ?? []) visit(imported);
    for (const imported of chunk.dynamicImports ?? []) if (!left.has(imported)) visit(imported);
  };
  visit(entry);
  return files;
}

/** Every file the build made from a source (chunks, their CSS and assets): what precachedChunkFiles chooses among. */
export function chunkFiles(manifest: BuildManifest): Set<string> {
  return new Set(Object.values(manifest).flatMap((chunk) => [chunk.file, ...(chunk.css ?? []), ...(chunk.assets ?? [])]));
}

/**
 * Whether a built file (path under the built client) is precached: a page chunk if the page reaches it
 * without an on-demand screen or fallback, any other file (the HTML, the web app manifest, the SVG
 * icon) unless listed in ON_DEMAND_STATIC_FILES.
 */
export function isPrecached(file: string, chunks: ReadonlySet<string>, precachedChunks: ReadonlySet<string>): boolean {
  if (chunks.has(file)) return precachedChunks.has(file);
  return !ON_DEMAND_STATIC_FILES.includes(file);
}
