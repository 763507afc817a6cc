import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { AGE_LIMIT_MESSAGE, MAX_APPLICANT_AGE, ageOn, isOverAgeLimit } from './age.ts';
import { addDays } from './calendar-date.ts';

test('age counts full years, the birthday itself included', () => {
  assert.equal(ageOn('1980-06-15', '2025-06-14'), 44);
  assert.equal(ageOn('1980-06-15', '2025-06-15'), 45);
  assert.equal(ageOn('1980-06-15', '1980-06-15'), 0);
  assert.throws(() => ageOn('1980-02-30', '2025-01-01'), RangeError);
});

test('boundary: 65 on the 65th birthday and until the day before the 66th; refused from the 66th birthday', () => {
  const birth = '1960-03-10';
  assert.equal(MAX_APPLICANT_AGE, 65);
  assert.equal(isOverAgeLimit(birth, '2025-03-10'), false, '65th birthday');
  assert.equal(isOverAgeLimit(birth, '2026-03-09'), false, 'day before the 66th birthday');
  assert.equal(isOverAgeLimit(birth, '2026-03-10'), true, '66th birthday');
  assert.equal(isOverAgeLimit(birth, '2026-03-11'), true, 'day after the 66th birthday');
  assert.match(AGE_LIMIT_MESSAGE, /出生日期/);
});

test('born on 29 February: the birthday falls on 1 March in common years', () => {
  assert.equal(ageOn('1960-02-29', '2026-02-28'), 65);
  assert.equal(ageOn('1960-02-29', '2026-03-01'), 66);
  assert.equal(isOverAgeLimit('1960-02-29', '2026-02-28'), false);
  assert.equal(isOverAgeLimit('1960-02-29', '2026-03-01'), true);
  assert.equal(ageOn('1960-02-29', '2024-02-29'), 64);
});

test('property: the day before a birthday is one year younger than the birthday', () => {
  fc.assert(
    fc.property(
      fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2000-12-31T00:00:00Z'), noInvalidDate: true }),
      fc.integer({ min: 1, max: 100 }),
      (instant, years) => {
        const birth = instant.toISOString().slice(0, 10);
        if (birth.endsWith('02-29')) return; // its birthday moves; covered above
        const birthday = `${String(Number(birth.slice(0, 4)) + years).padStart(4, '0')}${birth.slice(4)}`;
        assert.equal(ageOn(birth, birthday), years);
        assert.equal(ageOn(birth, addDays(birthday, -1)), years - 1);
      },
    ),
  );
});
