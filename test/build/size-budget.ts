import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What the built client costs on the wire to a browser that accepts gzip: each file as the server
 * sends it (server/static-client.ts), the build's gzip copy where it made one (text of 1 KiB or more),
 * else the file as it is (small text, PNG). Brotli, sent where accepted, is smaller still.
 */
export interface WireFile {
  /** Path under the built client, as the page or the service worker asks for it (no leading slash). */
  path: string;
  bytes: number;
}

export function wireBytes(root: string, path: string): number {
  const file = join(root, path);
  return existsSync(`${file}.gz`) ? statSync(`${file}.gz`).size : statSync(file).size;
}

/** Local URLs a built HTML page loads before it can paint: scripts, stylesheets and modulepreloads. */
export function renderBlockingUrls(html: string): string[] {
  const urls: string[] = [];
  for (const [tag] of html.matchAll(/<(?:script|link)\b[^>]*>/g)) {
    const isScript = tag.startsWith('<script');
    const rel = /\brel="([^"]*)"/.exec(tag)?.[1] ?? '';
    if (!isScript && !/\b(?:stylesheet|modulepreload|preload)\b/.test(rel)) continue;
    const url = /\b(?:src|href)="([^"]*)"/.exec(tag)?.[1];
    if (url?.startsWith('/')) urls.push(url.slice(1));
  }
  return urls;
}

/** The chunks a built module imports statically (`import … from "./x.js"`, `import "./x.js"`), as paths. */
export function staticImports(source: string, from: string): string[] {
  const dir = from.includes('/') ? from.slice(0, from.lastIndexOf('/') + 1) : '';
  const found = new Set<string>();
  // Minified: an import statement starts the file or follows `;` / `}`; a dynamic import has `(`.
  for (const [, url] of source.matchAll(/(?:^|[;}\n])\s*(?:import|export)\s*(?:[\w$*{}\s,]+from\s*)?["'](\.\/[^"']+)["']/g)) {
    if (url) found.add(join(dir, url.slice(2)));
  }
  return [...found];
}

/** The first screen: the HTML and every file it loads statically, followed through static imports. */
export function firstScreenFiles(root: string, htmlPath = 'index.html'): WireFile[] {
  const seen = new Set<string>([htmlPath]);
  const queue = renderBlockingUrls(readFileSync(join(root, htmlPath), 'utf8'));
  while (queue.length > 0) {
    const path = queue.shift() as string;
    if (seen.has(path)) continue;
    seen.add(path);
    if (path.endsWith('.js')) queue.push(...staticImports(readFileSync(join(root, path), 'utf8'), path));
  }
  return [...seen].map((path) => ({ path, bytes: wireBytes(root, path) }));
}

/** The URLs injected into the built service worker's precache manifest (workbox injectManifest). */
export function precacheUrls(serviceWorkerSource: string): string[] {
  const urls = [...serviceWorkerSource.matchAll(/"url":"([^"]+)"/g)].flatMap(([, url]) => (url ? [url] : []));
  if (urls.length === 0) throw new Error('no precache manifest found in the service worker');
  return urls;
}

/** The files the built service worker caches on first use instead (sw/on-demand-cache.ts: `[url, revision]` pairs). */
export function onDemandUrls(serviceWorkerSource: string): string[] {
  return [...serviceWorkerSource.matchAll(/\["([^"]+)","([0-9a-f]*)"\]/g)].flatMap(([, url]) => (url ? [url] : []));
}

/** The chunks a module loads before it runs: its static imports, and theirs, as paths under the built client. */
export function staticImportClosure(root: string, from: string): string[] {
  const found = new Set<string>();
  const queue = staticImports(readFileSync(join(root, from), 'utf8'), from);
  while (queue.length > 0) {
    const path = queue.shift() as string;
    if (found.has(path)) continue;
    found.add(path);
    queue.push(...staticImports(readFileSync(join(root, path), 'utf8'), path));
  }
  return [...found];
}

/**
 * Everything the service worker downloads at install: itself, the page chunks it imports (a module
 * worker, sw/sw.ts) and its precache manifest's files, each once.
 */
export function precacheFiles(root: string, serviceWorker = 'sw.js'): WireFile[] {
  const source = readFileSync(join(root, serviceWorker), 'utf8');
  const paths = new Set<string>([serviceWorker, ...staticImportClosure(root, serviceWorker), ...precacheUrls(source)]);
  return [...paths].map((path) => ({ path, bytes: wireBytes(root, path) }));
}

export const total = (files: readonly WireFile[]) => files.reduce((sum, file) => sum + file.bytes, 0);
