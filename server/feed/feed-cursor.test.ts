import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { decodeFeedCursor, encodeFeedCursor } from './feed-cursor.ts';

const key = randomBytes(32);

test('a cursor gives back the sequence number it was made for', () => {
  for (const seq of [0, 1, 41, 9_007_199_254_740_991]) {
    assert.equal(decodeFeedCursor(encodeFeedCursor(seq, key), key), seq);
  }
  assert.throws(() => encodeFeedCursor(-1, key), RangeError);
  assert.throws(() => encodeFeedCursor(1.5, key), RangeError);
});

test('a tampered, foreign or malformed cursor is refused', () => {
  const cursor = encodeFeedCursor(120, key);
  const [prefix, , tag] = cursor.split('.');
  assert.equal(decodeFeedCursor(`${prefix}.121.${tag}`, key), undefined, 'another position under the same tag');
  assert.equal(decodeFeedCursor(cursor, randomBytes(32)), undefined, 'another deployment');
  // Every one-character change of the tag, the last one (whose spare bits decode alike) included.
  const tagStart = cursor.length - 22;
  for (let i = tagStart; i < cursor.length; i++) {
    const flipped = `${cursor.slice(0, i)}${cursor[i] === 'A' ? 'B' : 'A'}${cursor.slice(i + 1)}`;
    assert.equal(decodeFeedCursor(flipped, key), undefined, `tag changed at ${i - tagStart}`);
  }
  for (const bad of ['', '120', 'f1.120', `f1.0120.${tag}`, `f2.120.${tag}`, `${cursor}.x`, `f1.99999999999999999.${tag}`]) {
    assert.equal(decodeFeedCursor(bad, key), undefined, bad);
  }
});
