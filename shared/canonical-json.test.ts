import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { canonicalJson } from './canonical-json.ts';

test('sorts keys at every depth and leaves array order alone', () => {
  const a = { b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } };
  const b = { a: { c: 'x', d: [3, { y: 2, z: 1 }] }, b: 1 };
  assert.equal(canonicalJson(a), '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  assert.equal(canonicalJson(a), canonicalJson(b));
  assert.notEqual(canonicalJson([1, 2]), canonicalJson([2, 1]));
});

test('writes strings, escapes and non-ASCII keys as JSON does', () => {
  assert.equal(canonicalJson({ 姓名: '张三', 'a"b': 'line\nbreak', n: -0.5, t: true, z: null }), '{"a\\"b":"line\\nbreak","n":-0.5,"t":true,"z":null,"姓名":"张三"}');
});

test('drops undefined properties like JSON.stringify and refuses what JSON cannot hold', () => {
  assert.equal(canonicalJson({ a: undefined, b: [undefined] }), '{"b":[null]}');
  assert.throws(() => canonicalJson({ a: Number.NaN }), /non-finite number at a/);
  assert.throws(() => canonicalJson({ a: [1n] }), /bigint at a\[0\]/);
  assert.throws(() => canonicalJson(undefined), TypeError);
});

test('any key order gives the same text, and it parses back to the same data', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const text = canonicalJson(value);
      assert.equal(canonicalJson(JSON.parse(text)), text);
      assert.equal(canonicalJson(shuffleKeys(value)), text);
      assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(value)));
    }),
  );
});

/** The same data with every object's keys in reverse insertion order. */
function shuffleKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shuffleKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, shuffleKeys(v)]),
    );
  }
  return value;
}
