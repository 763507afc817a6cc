import { expect } from 'chai';
import { NOTABLE_CLOCK_OFFSET_MS, ServerClock } from '../../shared/server-time.ts';
import { mount, waitFor } from '../test-support/elements.ts';
import { CLOCK_NOTE_TEXT, type ClockNote } from './clock-note.ts';
import './clock-note.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const text = (el: ClockNote) => el.shadowRoot!.textContent?.trim() ?? '';

function answerFrom(clock: ServerClock, serverMs: number) {
  const now = Date.now();
  clock.learn(new Headers({ date: new Date(serverMs).toUTCString() }), now, now);
}

describe('clock-note', () => {
  afterEach(() => {
    for (const el of document.querySelectorAll('clock-note')) el.remove();
  });

  it('says nothing before the server was heard, or when the clocks agree', async () => {
    const clock = new ServerClock();
    const el = await mount('clock-note', (note) => {
      note.clock = clock;
    });
    expect(text(el)).to.equal('');
    answerFrom(clock, Date.now() + NOTABLE_CLOCK_OFFSET_MS / 2);
    await el.updateComplete;
    expect(text(el)).to.equal('');
  });

  it('tells the person when the device clock is days off, and stops once it is right', async () => {
    const clock = new ServerClock();
    const el = await mount('clock-note', (note) => {
      note.clock = clock;
    });
    answerFrom(clock, Date.now() - 3 * DAY_MS);
    await waitFor(() => text(el) === CLOCK_NOTE_TEXT);
    expect(el.shadowRoot!.querySelector('[role="status"]')).to.exist;
    answerFrom(clock, Date.now());
    await waitFor(() => text(el) === '');
  });
});
