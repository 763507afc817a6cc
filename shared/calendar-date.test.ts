import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { addDays, compareIsoDates, isIsoDate, isLeapYear, isoDateOf, parseIsoDate, todayIso } from './calendar-date.ts';

test('leap years follow the Gregorian rule', () => {
  assert.equal(isLeapYear(2000), true);
  assert.equal(isLeapYear(1900), false);
  assert.equal(isLeapYear(2024), true);
  assert.equal(isLeapYear(1999), false);
});

test('only strict YYYY-MM-DD strings naming a real day parse', () => {
  assert.deepEqual(parseIsoDate('2024-02-29'), { year: 2024, month: 2, day: 29 });
  for (const bad of ['2023-02-29', '1900-02-29', '2024-04-31', '2024-13-01', '2024-00-10', '2024-1-01', '20240101', '']) {
    assert.equal(isIsoDate(bad), false, bad);
  }
});

test('an instant is read as its day in China Standard Time, whatever the host time zone', () => {
  assert.equal(isoDateOf(new Date('2025-12-31T15:59:59.999Z')), '2025-12-31');
  assert.equal(isoDateOf(new Date('2025-12-31T16:00:00.000Z')), '2026-01-01');
  assert.equal(todayIso(new Date('2025-12-31T16:00:00.000Z')), '2026-01-01');
  assert.equal(todayIso('2026-01-05'), '2026-01-05');
  assert.throws(() => todayIso('2026-02-30'), RangeError);
});

test('addDays crosses months and leap days and agrees with string order', () => {
  assert.equal(addDays('2024-02-28', 1), '2024-02-29');
  assert.equal(addDays('2023-02-28', 1), '2023-03-01');
  assert.equal(addDays('2026-01-01', -1), '2025-12-31');
  fc.assert(
    fc.property(
      fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }),
      fc.integer({ min: -40_000, max: 40_000 }),
      (instant, days) => {
        const day = instant.toISOString().slice(0, 10);
        const moved = addDays(day, days);
        assert.equal(addDays(moved, -days), day);
        assert.equal(Math.sign(compareIsoDates(moved, day)), Math.sign(days));
      },
    ),
  );
});
