import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { USCC_ALPHABET, USCC_CHECKSUM_WARNING, USCC_FORMAT_MESSAGE, usccCheckChar, validateUscc } from './uscc.ts';

/** Independent oracle: weights are 3^i mod 31. */
function oracleCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17[i]!) * (3 ** i % 31);
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]!;
}

const first17Arb = fc
  .array(fc.constantFrom(...USCC_ALPHABET), { minLength: 17, maxLength: 17 })
  .map((chars) => chars.join(''));
const validUsccArb = first17Arb.map((first17) => first17 + usccCheckChar(first17));

test('check char agrees with an independent oracle', () => {
  fc.assert(
    fc.property(first17Arb, (first17) => {
      assert.equal(usccCheckChar(first17), oracleCheckChar(first17));
    }),
  );
  assert.throws(() => usccCheckChar('91110000I00000000'), RangeError);
});

test('real-shape codes (登记管理部门 9, 类别 1, region, organisation code) with computed check chars', () => {
  // Check chars pinned from a separate computation (Python) of the published weights.
  const examples: [string, string][] = [
    ['91350100M000100Y4', '3'],
    ['91110108MA01ABCD1', 'E'],
    ['91310115MA1K3B7X2', 'M'],
    ['12100000400010398', 'P'],
    ['52440300MJL123456', '5'],
  ];
  for (const [first17, check] of examples) {
    assert.equal(usccCheckChar(first17), check);
    assert.deepEqual(validateUscc(first17 + check), { ok: true, uscc: first17 + check, checksumValid: true });
  }
  assert.equal(validateUscc(' 91350100m000100y43 ').ok, true, 'trimmed and upper-cased');
});

test('property: every generated valid code passes cleanly', () => {
  fc.assert(
    fc.property(validUsccArb, (uscc) => {
      assert.deepEqual(validateUscc(uscc), { ok: true, uscc, checksumValid: true });
    }),
    { numRuns: 500 },
  );
});

test('property: changing any single character to another alphabet character gives the checksum warning', () => {
  // Weights are nonzero mod the prime 31 and a change moves a value by 1..30, so the sum mod 31 moves.
  fc.assert(
    fc.property(validUsccArb, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 30 }), (uscc, pos, shift) => {
      const replacement = USCC_ALPHABET[(USCC_ALPHABET.indexOf(uscc[pos]!) + shift) % 31]!;
      const mutated = uscc.slice(0, pos) + replacement + uscc.slice(pos + 1);
      assert.deepEqual(validateUscc(mutated), {
        ok: true,
        uscc: mutated,
        checksumValid: false,
        warning: USCC_CHECKSUM_WARNING,
      });
    }),
    { numRuns: 1000 },
  );
});

test('property: changing any single character to one outside the alphabet is a format error', () => {
  fc.assert(
    fc.property(validUsccArb, fc.integer({ min: 0, max: 17 }), fc.constantFrom(...'IOSVZ-#中 '), (uscc, pos, bad) => {
      const mutated = uscc.slice(0, pos) + bad + uscc.slice(pos + 1);
      assert.deepEqual(validateUscc(mutated), { ok: false, kind: 'format', message: USCC_FORMAT_MESSAGE });
    }),
    { numRuns: 500 },
  );
});

test('wrong length is a format error whose message names the field', () => {
  for (const bad of ['', '91350100M000100Y4', '91350100M000100Y433']) {
    const result = validateUscc(bad);
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.message, /^统一社会信用代码/);
  }
  assert.match(USCC_CHECKSUM_WARNING, /^统一社会信用代码/);
});
