/**
 * The two built service workers (sw/sw.ts as a module, sw/classic-sw.ts for browsers without module
 * workers) and what they cache (sw/precache-scope.ts). Needs `npm run build` first; `npm test` runs it
 * right after the build.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'acorn';
import { simple } from 'acorn-walk';
import { APP_ICONS } from '../../sw/app-icons.ts';
import { CLASSIC_WORKER_FILE, MODULE_WORKER_FILE } from '../../sw/worker-protocol.ts';
import { firstScreenFiles, onDemandUrls, precacheUrls, staticImportClosure } from './size-budget.ts';

const BUILT = fileURLToPath(new URL('../../dist/client/', import.meta.url));
const read = (path: string) => readFileSync(join(BUILT, path), 'utf8');

/** Built chunks by the name Vite gives them (`assets/<name>-<hash>.js`). */
const chunksNamed = (urls: readonly string[], name: string) => urls.filter((url) => new RegExp(`^assets/${name}-[\\w-]{8}\\.js$`).test(url));

function hasDynamicImport(source: string): boolean {
  let found = false;
  simple(parse(source, { ecmaVersion: 'latest', sourceType: 'module' }), {
    ImportExpression() {
      found = true;
    },
  });
  return found;
}

describe('the module service worker', () => {
  const imported = staticImportClosure(BUILT, MODULE_WORKER_FILE);

  test('imports the page’s own chunks: Dexie, the outbox sender, the standings check', () => {
    for (const name of ['local-db', 'outbox-sender', 'status-refresh']) {
      assert.equal(chunksNamed(imported, name).length, 1, `${MODULE_WORKER_FILE} imports ${name}: ${imported.join(', ')}`);
    }
  });

  test('imports none of the first screen (lit, the custom elements), which cannot run in a worker', () => {
    const firstScreen = new Set(firstScreenFiles(BUILT).map((file) => file.path));
    assert.deepEqual(imported.filter((path) => firstScreen.has(path)), []);
  });

  test('imports no chunk holding a dynamic import(), which service workers refuse', () => {
    assert.deepEqual(imported.filter((path) => hasDynamicImport(read(path))), []);
  });
});

describe('the classic fallback', () => {
  test('is one script that imports nothing, with the same lists as the module worker', () => {
    const classic = read(CLASSIC_WORKER_FILE);
    assert.doesNotThrow(() => parse(classic, { ecmaVersion: 'latest', sourceType: 'script' }));
    const module = read(MODULE_WORKER_FILE);
    assert.deepEqual(precacheUrls(classic), precacheUrls(module));
    assert.deepEqual(onDemandUrls(classic), onDemandUrls(module));
  });

  test('has no Background Sync or standings check, which would carry Dexie a second time', () => {
    const classic = read(CLASSIC_WORKER_FILE);
    assert.doesNotMatch(classic, /periodicsync|Dexie/);
    assert.ok(Buffer.byteLength(classic) < 30_000, `${CLASSIC_WORKER_FILE} is ${Buffer.byteLength(classic)} bytes`);
  });
});

describe('what is precached', () => {
  const worker = read(MODULE_WORKER_FILE);
  const precached = precacheUrls(worker);
  const onDemand = onDemandUrls(worker);

  test('every screen that works offline and the shell', () => {
    for (const url of ['index.html', 'manifest.webmanifest', 'icons/icon.svg']) assert.ok(precached.includes(url), url);
    for (const name of ['main', 'application-form-page', 'notice-page', 'receipt-page', 'my-applications-page', 'local-db', 'outbox-scheduler']) {
      assert.equal(chunksNamed(precached, name).length, 1, `${name} is precached`);
    }
  });

  test('not the screens that need the server, the old-browser fallbacks or the PNG icons: those on first use', () => {
    for (const name of ['identity-page', 'register-page', 'sign-in-page', 'forgot-password-page', 'change-mobile-page', 'face-page', 'my-data-page', 'face-check', 'sha2', 'noble-receipt-signature']) {
      assert.equal(chunksNamed(precached, name).length, 0, `${name} is not precached`);
      assert.equal(chunksNamed(onDemand, name).length, 1, `${name} is cached on first use`);
    }
    for (const icon of APP_ICONS) {
      assert.ok(!precached.includes(icon.file), icon.file);
      assert.ok(onDemand.includes(icon.file), icon.file);
    }
  });

  test('every file of the applicant’s build is in exactly one of the two lists', () => {
    const built = readdirSync(BUILT, { recursive: true, encoding: 'utf8' }).filter(
      (file) => /\.(html|js|css|svg|png|webmanifest|woff2)$/.test(file) && !/^(staff|screenshots)\//.test(file),
    );
    const listed = [...precached, ...onDemand];
    assert.equal(new Set(listed).size, listed.length, 'no file in both lists');
    assert.deepEqual(built.filter((file) => !listed.includes(file)).sort(), [MODULE_WORKER_FILE, CLASSIC_WORKER_FILE].sort());
  });

  test('the build manifest Vite wrote for it is not left to be served', () => {
    assert.ok(!readdirSync(BUILT).includes('.vite'));
  });
});
