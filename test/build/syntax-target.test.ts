/**
 * The built client (pages, chunks, the staff console, both service workers) holds no syntax that Chromium 87 or
 * Safari 14 cannot run: one such construct keeps the whole app from starting on an older phone.
 * Needs `npm run build` first; `npm test` runs it right after the build.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BROWSER_TARGET } from '../../sw/browser-target.ts';
import { CLASSIC_WORKER_FILE, MODULE_WORKER_FILE } from '../../sw/worker-protocol.ts';
import { syntaxBeyondTarget } from './syntax-target.ts';

const BUILT = fileURLToPath(new URL('../../dist/client/', import.meta.url));
// The fallback service worker is bundled as a classic script (IIFE); Vite emits every other file,
// the module service worker too, as a module.
const CLASSIC_SCRIPTS = new Set([CLASSIC_WORKER_FILE]);

const featuresIn = (source: string, target = BROWSER_TARGET, type: 'module' | 'script' = 'module') =>
  syntaxBeyondTarget(source, target, type).map((finding) => finding.feature);

describe('the syntax check', () => {
  const tooNew: [string, string[]][] = [
    ['class A { static { init(); } }', ['class static block']],
    ['class A { static styles = 1 }', ['static class field']],
    ['class A { #x = 1 }', ['private class field']],
    ['class A { static #x = 1 }', ['private static class field']],
    ['class A { #m() {} get #v() { return 1 } }', ['private method or accessor', 'private method or accessor']],
    ['class A { #x; static has(o) { return #x in o } }', ['private class field', '#x in obj']],
    ['await load()', ['top-level await']],
    ['for await (const x of y) {}', ['top-level await']],
    ['const r = /a/d', ['RegExp flag d']],
    ['const r = /[a--b]/v', ['RegExp flag v']],
    ['const r = /(?<!x)y/', ['RegExp lookbehind']],
    ['import data from "./a.json" with { type: "json" }', ['import attributes']],
    ['import("./a.json", { with: { type: "json" } })', ['import attributes']],
    ['export * as all from "./a.js"', ['export * as name']],
    ['const a = 1; export { a as "a b" }', ['string as import or export name']],
    ['f?.(...args, 1)', ['optional call with a spread before another argument']],
    ['a?.b.c(...args, 1)', ['optional call with a spread before another argument']],
  ];
  for (const [source, expected] of tooNew) {
    test(`finds ${expected.join(', ')} in ${source}`, () => {
      assert.deepEqual(featuresIn(source), expected);
    });
  }

  test('passes what Chromium 87 and Safari 14 run', () => {
    const source = [
      'class A extends B { x = 1; static m() { return super.m?.() } }',
      'async function f() { await g(); for await (const x of y) {} }',
      'let v = a?.b ?? c; v ||= 1_000; o?.f(1, ...args); o?.f(g(...args, 1)); g(...args, 1);',
      'const r = [/(?<name>a)\\(?<=b/u, /[(?<=]/s, /x/gimsuy];',
      'export { v as w }; export * from "./a.js"; import("./b.js");',
    ].join('\n');
    assert.deepEqual(featuresIn(source), []);
  });

  test('reads a classic script as one, where await is a name', () => {
    const source = 'var await = 1; (function () { class A { static { } } })()';
    assert.deepEqual(featuresIn(source, BROWSER_TARGET, 'script'), ['class static block']);
  });

  test('says where, line and column', () => {
    const source = 'const a = 1;\nclass B {\n  static { a; }\n}';
    assert.deepEqual(syntaxBeyondTarget(source, BROWSER_TARGET, 'module'), [
      { line: 3, column: 3, feature: 'class static block' },
    ]);
  });

  test('follows the target: a newer browser allows more', () => {
    assert.deepEqual(featuresIn('class A { static x = 1; #y = 2 }', ['chrome87', 'safari14.1']), []);
    assert.deepEqual(featuresIn('class A { static { } }', ['chrome94', 'safari16.3']), ['class static block']);
    assert.deepEqual(featuresIn('class A { static { } }', ['chrome94', 'safari16.4']), []);
  });
});

describe('the built client', () => {
  const files = existsSync(BUILT)
    ? readdirSync(BUILT, { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.js'))
        .sort()
    : [];

  test('is there: pages, chunks, the staff console and both service workers', () => {
    assert.ok(existsSync(BUILT), `${BUILT} is missing: run npm run build first`);
    assert.ok(files.includes(MODULE_WORKER_FILE), MODULE_WORKER_FILE);
    assert.ok(files.includes(CLASSIC_WORKER_FILE), CLASSIC_WORKER_FILE);
    assert.ok(files.some((file) => file.startsWith('assets/main-')), 'the entry chunk assets/main-*.js');
    assert.ok(files.some((file) => file.startsWith('staff/assets/')), 'the staff console under staff/assets/');
  });

  test(`runs in ${BROWSER_TARGET.join(' and ')}`, () => {
    const problems: string[] = [];
    for (const file of files) {
      const source = readFileSync(join(BUILT, file), 'utf8');
      try {
        const type = CLASSIC_SCRIPTS.has(file) ? 'script' : 'module';
        for (const { line, column, feature } of syntaxBeyondTarget(source, BROWSER_TARGET, type)) {
          problems.push(`dist/client/${file}:${line}:${column}: ${feature}`);
        }
      } catch (error) {
        problems.push(`dist/client/${file}: does not parse: ${(error as Error).message}`);
      }
    }
    assert.deepEqual(problems, [], `syntax newer than ${BROWSER_TARGET.join(', ')}:\n${problems.join('\n')}`);
  });
});
