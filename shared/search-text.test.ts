import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { normaliseSearchText } from './search-text.ts';

test('full-width ASCII and spaces become one half-width, upper-case spelling', () => {
  assert.equal(normaliseSearchText(' ａｂｃ　Ｄ１２ （集团） x y '), 'ABCD12(集团)XY');
  assert.equal(normaliseSearchText('北京\t示例\n监理'), '北京示例监理');
});

test('normalising twice changes nothing more', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (text) => {
      const once = normaliseSearchText(text);
      assert.equal(normaliseSearchText(once), once);
    }),
  );
});
