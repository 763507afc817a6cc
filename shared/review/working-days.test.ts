import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addWorkingDays, isWorkingDay, parseHolidayCalendar, workingDaysLeft } from './working-days.ts';

// 2026: National Day holiday 1–7 October (Thu–Wed), with Sunday 27 September and Saturday 10 October worked.
const october = parseHolidayCalendar({
  holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
  workingWeekends: ['2026-09-27', '2026-10-10'],
});

test('weekends are off, holidays are off, 调休 weekends are worked', () => {
  assert.equal(isWorkingDay('2026-12-01'), true, 'a Tuesday');
  assert.equal(isWorkingDay('2026-12-05'), false, 'a Saturday');
  assert.equal(isWorkingDay('2026-12-06'), false, 'a Sunday');
  assert.equal(isWorkingDay('2026-10-01', october), false);
  assert.equal(isWorkingDay('2026-09-27', october), true);
  assert.equal(isWorkingDay('2000-02-29'), true, 'a Tuesday in a leap year');
});

test('a period starts the day after the event and skips days off', () => {
  // Received on Friday 4 December: five working days end on Friday 11 December.
  assert.equal(addWorkingDays('2026-12-04', 5), '2026-12-11');
  assert.equal(addWorkingDays('2026-12-04', 0), '2026-12-04');
  // Received Tuesday 29 September: Wed 30, Thu 8, Fri 9, Sat 10 (worked), Mon 12.
  assert.equal(addWorkingDays('2026-09-29', 5, october), '2026-10-12');
  assert.equal(addWorkingDays('2026-09-29', 5), '2026-10-06', 'without the calendar the holiday counts');
  assert.throws(() => addWorkingDays('2026-12-04', -1), RangeError);
});

test('working days left counts down to 0 on the deadline and below after it', () => {
  assert.equal(workingDaysLeft('2026-12-04', '2026-12-11'), 5);
  assert.equal(workingDaysLeft('2026-12-11', '2026-12-11'), 0);
  assert.equal(workingDaysLeft('2026-12-14', '2026-12-11'), -1);
  assert.equal(workingDaysLeft('2026-09-29', '2026-10-12', october), 5);
});

test('a calendar from configuration is checked', () => {
  assert.throws(() => parseHolidayCalendar({ holidays: ['2026-13-01'] }), /holidays/);
  assert.throws(() => parseHolidayCalendar({ holidays: 'soon' }), /holidays/);
  assert.throws(() => parseHolidayCalendar({ workingWeekends: ['2026-12-01'] }), /not a Saturday or Sunday/);
  assert.equal(parseHolidayCalendar(undefined).holidays.size, 0);
});
