import { css, html, LitElement, nothing } from 'lit';
import { ChangeSubscription } from './change-subscription.ts';
import { navigate, routes } from '../navigation.ts';
import { type PendingCorrection, statusRefresh } from '../sync/status-refresh.ts';
import { theme } from '../styles/theme.ts';

export const CORRECTION_NEWS_TEXT = '您的申请需要补正';
export const CORRECTION_NEWS_BUTTON = '查看补正意见';

/** What the banner needs of the refresh (client/sync/status-refresh.ts): the pending 补正, event `change`. */
export interface NewsSource extends EventTarget {
  readonly pending: readonly PendingCorrection[];
}

/** Where the person is at it already: 我的申请 shows the notes, the form is the 补正 itself. */
const QUIET_ON: readonly string[] = [routes.applications, routes.form];

/**
 * Says in the app that an application waits for the person's 补正, with the way to 我的申请 where the
 * reviewer's notes are. Shown from the device's receipts, so also offline on the next start.
 */
export class NewsBanner extends LitElement {
  static override properties = {
    source: { attribute: false },
    path: {},
    pending: { state: true },
  };
  /** Where the news comes from; the app's refresh unless given (tests give their own). */
  declare source: NewsSource;
  /** The current route: quiet where the person is dealing with it already. */
  declare path: string;
  declare private pending: readonly PendingCorrection[];

  static override styles = [
    theme,
    css`
      aside { background: #fdecea; border-bottom: 1px solid #f1b5ae; padding: 0.5em 12px; display: flex; align-items: center; gap: 0.75em; flex-wrap: wrap; }
      p { flex: 1; margin: 0; color: var(--danger, #b42318); font-weight: 600; min-width: 10em; }
      button.secondary { white-space: nowrap; }
    `,
  ];

  constructor() {
    super();
    this.source = statusRefresh;
    this.path = location.pathname;
    this.pending = [];
  }

  /** Follows the source's changes while shown. */
  readonly changes = new ChangeSubscription(this, () => this.source, (source) => {
    this.pending = source.pending;
  });





  override render() {
    // The live region is always there, so the news is announced when it arrives.
    const shown = this.pending.length > 0 && !QUIET_ON.includes(this.path);
    return html`<div role="status">${shown ? this.renderBanner() : nothing}</div>`;
  }

  private renderBanner() {
    const count = this.pending.length;
    return html`<aside aria-label="补正提醒">
      <p>${CORRECTION_NEWS_TEXT}${count > 1 ? `（共 ${count} 件）` : ''}</p>
      <button class="secondary" type="button" @click=${() => navigate(this, routes.applications)}>${CORRECTION_NEWS_BUTTON}</button>
    </aside>`;
  }
}

customElements.define('news-banner', NewsBanner);

declare global {
  interface HTMLElementTagNameMap {
    'news-banner': NewsBanner;
  }
}
