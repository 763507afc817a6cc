import { css, html, LitElement, nothing } from 'lit';
import { ChangeSubscription } from './change-subscription.ts';
import { type ServerClock, serverClock } from '../../shared/server-time.ts';
import { theme } from '../styles/theme.ts';

export const CLOCK_NOTE_TEXT = '本机时间与北京时间相差较大，本应用的日期已按北京时间计算，请在手机设置中校准时间。';

/**
 * Tells the person their device's clock is far off the server's: the dates the form allows follow the
 * server's day, which may differ from the one the phone shows.
 */
export class ClockNote extends LitElement {
  static override properties = {
    clock: { attribute: false },
    off: { state: true },
  };
  /** Whose clock is compared; the app's unless given (tests give their own). */
  declare clock: ServerClock;
  declare private off: boolean;

  static override styles = [
    theme,
    css`
      p { margin: 0; background: #fff4ce; border-bottom: 1px solid #e3cf7d; padding: 0.5em 12px; }
    `,
  ];

  constructor() {
    super();
    this.clock = serverClock;
    this.off = false;
  }

  /** Follows the source's changes while shown. */
  readonly changes = new ChangeSubscription(this, () => this.clock, (clock) => {
    this.off = clock.deviceClockOff;
  });





  override render() {
    return this.off ? html`<p role="status">${CLOCK_NOTE_TEXT}</p>` : nothing;
  }
}

customElements.define('clock-note', ClockNote);

declare global {
  interface HTMLElementTagNameMap {
    'clock-note': ClockNote;
  }
}
