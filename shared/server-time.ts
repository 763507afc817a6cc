/**
 * The service's clock as the device knows it: the device's own clock corrected by the offset learnt
 * from the `Date` header of the server's answers. A phone's clock may be days off; the rules that
 * depend on today's date (age over 65, dates not in the future) must judge by the server's day, as the
 * server will. On the server nothing is learnt and this is its own clock.
 */

/** A device clock further off than this is worth telling the person about. */
export const NOTABLE_CLOCK_OFFSET_MS = 5 * 60 * 1000;

/** `Date` has whole seconds; on average the server's instant is half a second past it. */
const HALF_SECOND_MS = 500;

/** An answer the HTTP cache may have kept carries the time it was first sent, not now. */
const CACHEABLE = /max-age=[1-9]|public|immutable/i;

export class ServerClock extends EventTarget {
  /** Server time minus device time, in ms; 0 until an answer has been seen. */
  offsetMs = 0;
  /** True once an answer's `Date` header has been read. */
  known = false;

  /** Now, on the server's clock (the device's until an answer has been seen). */
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** True when the device's clock is known to be far off the server's. */
  get deviceClockOff(): boolean {
    return this.known && Math.abs(this.offsetMs) > NOTABLE_CLOCK_OFFSET_MS;
  }

  /**
   * Reads the server's time from an answer's headers, sent and received at the given device times
   * (ms); the server stamped it about halfway between. Fires `change` when what is known changes.
   */
  learn(headers: Headers, sentAt: number, receivedAt: number): void {
    const stamped = headers.get('date');
    if (!stamped || CACHEABLE.test(headers.get('cache-control') ?? '')) return;
    const serverMs = Date.parse(stamped);
    if (Number.isNaN(serverMs)) return;
    const offsetMs = Math.round(serverMs + HALF_SECOND_MS - (sentAt + receivedAt) / 2);
    const wasOff = this.deviceClockOff;
    const changed = !this.known || Math.abs(offsetMs - this.offsetMs) > 1000;
    this.offsetMs = offsetMs;
    this.known = true;
    if (changed || wasOff !== this.deviceClockOff) this.dispatchEvent(new Event('change'));
  }
}

/** The one clock of this context (page or service worker). */
export const serverClock = new ServerClock();

/** Now on the server's clock; use it wherever the device would otherwise read `new Date()` for a rule. */
export function serverNow(): Date {
  return serverClock.now();
}
