/**
 * A clock for tests: time moves only when told, and timers run as it passes them. Injected wherever
 * the code takes `now` and timer functions, so no test waits for real time.
 */
export class FakeClock {
  time: number;
  private nextId = 1;
  private timers: { id: number; at: number; run: () => void }[] = [];

  constructor(start = Date.UTC(2026, 0, 5, 1, 0, 0)) {
    this.time = start;
  }

  readonly now = (): number => this.time;

  readonly setTimer = (run: () => void, ms: number): number => {
    const id = this.nextId++;
    this.timers.push({ id, at: this.time + Math.max(0, ms), run });
    return id;
  };

  readonly clearTimer = (id: unknown): void => {
    this.timers = this.timers.filter((timer) => timer.id !== id);
  };

  /** When the earliest pending timer fires, if any. */
  get nextTimerAt(): number | undefined {
    return this.timers.length > 0 ? Math.min(...this.timers.map((t) => t.at)) : undefined;
  }

  /** Moves time on by `ms`, running each timer due on the way (in order) and letting its work settle. */
  async advance(ms: number, settle: () => Promise<unknown> = () => Promise.resolve()): Promise<void> {
    const target = this.time + ms;
    for (let guard = 0; guard < 1000; guard++) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.run();
      await settle();
    }
    this.time = target;
  }
}
