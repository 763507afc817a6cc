import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { MOBILE_MESSAGE, isValidMobile, validateMobile } from './mobile.ts';

test('11 digits starting 13–19 are accepted, spaces dropped', () => {
  assert.deepEqual(validateMobile('13800138000'), { ok: true, mobile: '13800138000' });
  assert.deepEqual(validateMobile(' 138 0013 8000 '), { ok: true, mobile: '13800138000' });
  assert.equal(isValidMobile('19912345678'), true);
});

test('other shapes are refused with a message naming the field', () => {
  for (const bad of ['', '12800138000', '1380013800', '138001380001', '23800138000', '1380013800a', '+8613800138000']) {
    assert.deepEqual(validateMobile(bad), { ok: false, message: MOBILE_MESSAGE }, bad);
  }
  assert.match(MOBILE_MESSAGE, /^手机号码/);
});

test('property: the rule is exactly ^1[3-9]\\d{9}$', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 9 }), fc.stringMatching(/^\d{9}$/), (second, rest) => {
      assert.equal(isValidMobile(`1${second}${rest}`), second >= 3);
    }),
  );
});
