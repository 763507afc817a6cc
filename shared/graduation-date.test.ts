import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GRADUATION_DATE_MESSAGES, validateGraduationDate } from './graduation-date.ts';

const TODAY = '2025-06-30';

test('graduation must come after birth and not after today', () => {
  assert.deepEqual(validateGraduationDate('2002-07-01', '1980-01-01', TODAY), { ok: true });
  assert.deepEqual(validateGraduationDate('1980-01-02', '1980-01-01', TODAY), { ok: true });
  assert.deepEqual(validateGraduationDate(TODAY, '1980-01-01', TODAY), { ok: true });
  assert.deepEqual(validateGraduationDate('1980-01-01', '1980-01-01', TODAY), {
    ok: false,
    message: GRADUATION_DATE_MESSAGES.notAfterBirth,
  });
  assert.deepEqual(validateGraduationDate('1979-07-01', '1980-01-01', TODAY), {
    ok: false,
    message: GRADUATION_DATE_MESSAGES.notAfterBirth,
  });
  assert.deepEqual(validateGraduationDate('2025-07-01', '1980-01-01', TODAY), {
    ok: false,
    message: GRADUATION_DATE_MESSAGES.future,
  });
  assert.deepEqual(validateGraduationDate('2025-02-29', '1980-01-01', TODAY), {
    ok: false,
    message: GRADUATION_DATE_MESSAGES.format,
  });
});

test('every message names the field', () => {
  for (const message of Object.values(GRADUATION_DATE_MESSAGES)) assert.match(message, /^毕业时间/);
});
