import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { birthDateFromId, residentIdCheckChar, sexFromId, validateResidentId } from './resident-id.ts';

const TODAY = '2025-06-30';
const REGION_RANGES = [
  [11, 15],
  [21, 23],
  [31, 37],
  [41, 46],
  [50, 54],
  [61, 65],
] as const;

/** Independent oracle: ISO 7064 MOD 11-2, weights 2^(17-i) mod 11. */
function oracleCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  return '10X98765432'[sum % 11]!;
}

const withCheck = (first17: string) => first17 + residentIdCheckChar(first17);

const regionArb = fc
  .constantFrom(...REGION_RANGES.flatMap(([low, high]) => Array.from({ length: high - low + 1 }, (_, i) => low + i)))
  .chain((prefix) => fc.integer({ min: 0, max: 9999 }).map((rest) => `${prefix}${String(rest).padStart(4, '0')}`));
const birthArb = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date(`${TODAY}T00:00:00Z`), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const sequenceArb = fc.integer({ min: 0, max: 999 }).map((n) => String(n).padStart(3, '0'));

/** Valid IDs together with the parts they were built from. */
const validIdArb = fc.tuple(regionArb, birthArb, sequenceArb).map(([region, birthDate, sequence]) => ({
  id: withCheck(region + birthDate.replaceAll('-', '') + sequence),
  birthDate,
  sex: Number(sequence[2]) % 2 === 1 ? 'male' : 'female',
}));

test('check char agrees with the published example and with an independent MOD 11-2 oracle', () => {
  assert.equal(residentIdCheckChar('11010519491231002'), 'X');
  assert.equal(residentIdCheckChar('44052418800101001'), '4');
  fc.assert(
    fc.property(fc.stringMatching(/^\d{17}$/), (first17) => {
      assert.equal(residentIdCheckChar(first17), oracleCheckChar(first17));
    }),
  );
  assert.throws(() => residentIdCheckChar('1234'), RangeError);
});

test('property: every generated valid ID passes, with birth date and sex read from it', () => {
  fc.assert(
    fc.property(validIdArb, ({ id, birthDate, sex }) => {
      assert.deepEqual(validateResidentId(id, TODAY), { ok: true, idNumber: id, birthDate, sex });
    }),
    { numRuns: 500 },
  );
});

test('property: changing any single character of a valid ID to another allowed character fails', () => {
  // Weights are nonzero mod 11 and a digit changes by 1..9, so the weighted sum changes mod 11.
  fc.assert(
    fc.property(validIdArb, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 10 }), ({ id }, pos, shift) => {
      const allowed = pos === 17 ? '0123456789X' : '0123456789';
      const index = allowed.indexOf(id[pos]!);
      const replacement = allowed[(index + (shift % allowed.length || 1)) % allowed.length]!;
      assert.notEqual(replacement, id[pos]);
      const mutated = id.slice(0, pos) + replacement + id.slice(pos + 1);
      assert.equal(validateResidentId(mutated, TODAY).ok, false, mutated);
    }),
    { numRuns: 1000 },
  );
});

test('a check char X is accepted, typed in either case, and stored upper-case', () => {
  const id = '11010519491231002X';
  assert.deepEqual(validateResidentId(id, TODAY), { ok: true, idNumber: id, birthDate: '1949-12-31', sex: 'female' });
  const lower = validateResidentId(' 11010519491231002x ', TODAY);
  assert.equal(lower.ok, true);
  assert.equal(lower.ok && lower.idNumber, id);
});

test('29 February is a birth date only in leap years', () => {
  assert.equal(validateResidentId(withCheck('32010220000229123'), TODAY).ok, true);
  assert.equal(validateResidentId(withCheck('32010219960229123'), TODAY).ok, true);
  const notLeap = validateResidentId(withCheck('32010219990229123'), TODAY);
  assert.deepEqual(notLeap, { ok: false, message: '证件号码中的出生日期不是有效日期' });
  assert.equal(validateResidentId(withCheck('32010219000229123'), TODAY).ok, false);
  assert.equal(birthDateFromId(withCheck('32010219990229123')), undefined);
});

test('a birth date after today or before 1900 fails; today itself is fine', () => {
  assert.deepEqual(validateResidentId(withCheck('11010120250701123'), TODAY), {
    ok: false,
    message: '证件号码中的出生日期不能晚于今天',
  });
  assert.equal(validateResidentId(withCheck('11010120250630123'), TODAY).ok, true);
  assert.deepEqual(validateResidentId(withCheck('11010118991231123'), TODAY), {
    ok: false,
    message: '证件号码中的出生日期不能早于1900年',
  });
  assert.equal(validateResidentId(withCheck('11010119000101123'), TODAY).ok, true);
});

test('only the listed province prefixes are accepted', () => {
  const valid = new Set(REGION_RANGES.flatMap(([low, high]) => Array.from({ length: high - low + 1 }, (_, i) => low + i)));
  for (let prefix = 0; prefix <= 99; prefix++) {
    const id = withCheck(`${String(prefix).padStart(2, '0')}010219800101123`);
    const result = validateResidentId(id, TODAY);
    assert.equal(result.ok, valid.has(prefix), id);
    if (!result.ok) assert.equal(result.message, '证件号码前两位地区代码不正确');
  }
});

test('wrong shape and wrong check char fail with messages naming the field', () => {
  for (const bad of ['', '1101051949123100', '1101051949123100211', '11010519491231002Y', '1101051949123100X2']) {
    const result = validateResidentId(bad, TODAY);
    assert.equal(result.ok, false, bad);
    assert.match(result.ok ? '' : result.message, /^证件号码/);
  }
  assert.deepEqual(validateResidentId('110105194912310021', TODAY), { ok: false, message: '证件号码校验位不正确，请核对' });
});

test('the 17th digit gives the sex: odd male, even female', () => {
  for (let digit = 0; digit <= 9; digit++) {
    const id = withCheck(`1101051980010112${digit}`);
    const expected = digit % 2 === 1 ? 'male' : 'female';
    assert.equal(sexFromId(id), expected);
    const result = validateResidentId(id, TODAY);
    assert.equal(result.ok && result.sex, expected);
  }
  assert.equal(sexFromId('123'), undefined);
});
