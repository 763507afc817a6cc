import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { todayIso } from './calendar-date.ts';
import { NOTABLE_CLOCK_OFFSET_MS, ServerClock, serverClock } from './server-time.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

function answeredAt(serverMs: number, cacheControl?: string): Headers {
  const headers = new Headers({ date: new Date(serverMs).toUTCString() });
  if (cacheControl) headers.set('cache-control', cacheControl);
  return headers;
}

describe('ServerClock', () => {
  it('is the device clock until an answer was seen', () => {
    const clock = new ServerClock();
    assert.equal(clock.known, false);
    assert.ok(Math.abs(clock.now().getTime() - Date.now()) < 50);
    assert.equal(clock.deviceClockOff, false);
  });

  it('learns the offset from the Date header, stamped halfway through the round trip', () => {
    const clock = new ServerClock();
    const sentAt = Date.now();
    const server = Math.floor((sentAt + 3 * DAY_MS) / 1000) * 1000;
    clock.learn(answeredAt(server), sentAt, sentAt + 200);
    // The header's second plus half a second, against the middle of the exchange.
    assert.equal(clock.offsetMs, server + 500 - (sentAt + 100));
    assert.ok(Math.abs(clock.now().getTime() - (Date.now() + 3 * DAY_MS)) < 1600);
    assert.equal(clock.deviceClockOff, true);
  });

  it('calls a clock within a few minutes right, and tells when that changes', () => {
    const clock = new ServerClock();
    const changes: boolean[] = [];
    clock.addEventListener('change', () => changes.push(clock.deviceClockOff));
    const now = Date.now();
    clock.learn(answeredAt(now + NOTABLE_CLOCK_OFFSET_MS - 60_000), now, now);
    assert.equal(clock.deviceClockOff, false);
    clock.learn(answeredAt(now - NOTABLE_CLOCK_OFFSET_MS - 60_000), now, now);
    assert.equal(clock.deviceClockOff, true);
    // The same offset again (to the second): nothing new to tell.
    clock.learn(answeredAt(now - NOTABLE_CLOCK_OFFSET_MS - 60_000), now, now);
    assert.deepEqual(changes, [false, true]);
  });

  it('ignores answers without a usable Date and those a cache may have kept', () => {
    const clock = new ServerClock();
    const now = Date.now();
    clock.learn(new Headers(), now, now);
    clock.learn(new Headers({ date: 'not a date' }), now, now);
    clock.learn(answeredAt(now - DAY_MS, 'public, max-age=3600'), now, now);
    assert.equal(clock.known, false);
    clock.learn(answeredAt(now - DAY_MS, 'no-store'), now, now);
    assert.equal(clock.known, true);
  });

  it("gives todayIso the server's day once learnt", (t) => {
    t.after(() => {
      serverClock.offsetMs = 0;
      serverClock.known = false;
    });
    const now = Date.now();
    assert.equal(todayIso(), todayIso(new Date(now)));
    serverClock.learn(answeredAt(now + 10 * DAY_MS), now, now);
    assert.equal(todayIso(), todayIso(new Date(now + 10 * DAY_MS)));
  });
});
