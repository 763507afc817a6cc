import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EMPTY_CALENDAR, parseHolidayCalendar } from '../../shared/review/working-days.ts';
import { correctionPeriodOver, currentDeadline, deadlinesOf, periodStartsOf } from './deadlines.ts';

// 2026: National Day off Thu 1 – Wed 7 October (the weekdays listed), worked on Sun 27 Sep and Sat 10 Oct.
const calendar = parseHolidayCalendar({
  holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
  workingWeekends: ['2026-09-27', '2026-10-10'],
});
/** 10:00 in Beijing on that day. */
const at = (day: string) => new Date(`${day}T10:00:00+08:00`);

describe('deadlines in working days', () => {
  const received = at('2026-09-25').toISOString(); // a Friday

  it('counts 补正 from the day after receipt, over a weekend, a worked Sunday and the holiday', () => {
    const [correction] = deadlinesOf({ received }, 'employer_confirmed', calendar, at('2026-09-30'));
    // Sun 27 (worked), Mon 28, Tue 29, Wed 30, then Thu 8 October after the holiday.
    assert.deepEqual(correction, {
      kind: 'correction',
      label: '补正告知期限',
      startedOn: '2026-09-25',
      due: '2026-10-08',
      workingDaysLeft: 1,
      current: true,
    });
    // Without the calendar the same five days end on Friday 2 October.
    assert.equal(deadlinesOf({ received }, 'submitted', EMPTY_CALENDAR, at('2026-09-30'))[0]!.due, '2026-10-02');
  });

  it('ends the §32 period after its last day, not on it', () => {
    assert.equal(correctionPeriodOver({ received }, calendar, at('2026-10-08')), false);
    assert.equal(correctionPeriodOver({ received }, calendar, at('2026-10-09')), true);
    assert.equal(correctionPeriodOver({ received }, EMPTY_CALENDAR, at('2026-10-02')), false);
    assert.equal(correctionPeriodOver({ received }, EMPTY_CALENDAR, at('2026-10-05')), true);
  });

  it('reads the day of an event in Beijing time', () => {
    // 01:00 on Saturday 26 September in Beijing is still Friday in UTC.
    const late = new Date('2026-09-25T17:00:00Z').toISOString();
    assert.equal(deadlinesOf({ received: late }, 'submitted', calendar, at('2026-09-26'))[0]!.startedOn, '2026-09-26');
  });

  it('runs the review from 受理 and 公示 from its start, marking the running one; overdue is negative', () => {
    const starts = { received, accepted: at('2026-09-28').toISOString(), publicised: at('2026-11-02').toISOString() };
    const list = deadlinesOf(starts, 'publicised', calendar, at('2026-11-20'));
    assert.deepEqual(
      list.map(({ kind, due, current }) => ({ kind, due, current })),
      [
        { kind: 'correction', due: '2026-10-08', current: false },
        // 20 working days after Mon 28 Sep: 29, 30, (holiday), 8, 9, 10 (worked Sat), 12–16, 19–23, 26–30.
        { kind: 'review', due: '2026-10-30', current: false },
        { kind: 'publicity', due: '2026-11-16', current: true },
      ],
    );
    assert.equal(currentDeadline(list)?.workingDaysLeft, -4);
    assert.equal(currentDeadline(deadlinesOf(starts, 'approved', calendar, at('2026-11-20'))), null);
  });

  it('takes the receipt of the current version: a resubmission brings new materials', () => {
    const history = [
      { kind: 'submitted', status: 'submitted', version: 1, at: received },
      { kind: 'status', status: 'correction_requested', version: 1, at: at('2026-09-28').toISOString() },
      { kind: 'resubmitted', status: 'employer_confirmed', version: 2, at: at('2026-10-09').toISOString() },
    ];
    assert.equal(periodStartsOf(history, 2, received).received, at('2026-10-09').toISOString());
    assert.equal(periodStartsOf(history, 1, received).received, received);
    assert.equal(periodStartsOf([], 1, received).received, received);
  });
});
