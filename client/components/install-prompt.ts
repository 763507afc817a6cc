import { css, html, LitElement, nothing } from 'lit';
import { type InstallOffer, installOffer } from '../install-offer.ts';
import { ChangeSubscription } from './change-subscription.ts';
import { routes } from '../navigation.ts';
import { theme } from '../styles/theme.ts';

export const INSTALL_TEXT = '安装到手机桌面，网络不好也能打开';
/** How long `暂不` keeps the offer away. */
export const DECLINE_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
const DECLINED_AT_KEY = 'install-prompt-declined-at';
const VISITS_KEY = 'app-visits';

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>;

/**
 * When to offer installing: never on the very first load, but once the application went in (the
 * receipt shows: the person has seen the app is worth keeping) or on the service page from the second
 * visit on; and not within DECLINE_DAYS of `暂不`.
 */
export function shouldOfferInstall(at: { path: string; visits: number; declinedAt: number | undefined; now: number }): boolean {
  if (at.declinedAt !== undefined && at.now - at.declinedAt < DECLINE_DAYS * DAY_MS) return false;
  return at.path === routes.done || (at.path === routes.service && at.visits >= 2);
}

function readNumber(storage: KeyValueStore, key: string): number | undefined {
  try {
    const value = Number(storage.getItem(key) ?? Number.NaN);
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined; // storage blocked (some private modes): behave as on a first visit
  }
}

function writeNumber(storage: KeyValueStore, key: string, value: number): void {
  try {
    storage.setItem(key, String(value));
  } catch {
    // storage blocked: the offer simply comes back next time
  }
}

/** `安装到手机桌面，网络不好也能打开` with `安装` / `暂不`, shown only when shouldOfferInstall says so. */
export class InstallPrompt extends LitElement {
  static override properties = {
    offer: { attribute: false },
    path: {},
    available: { state: true },
    declinedAt: { state: true },
  };

  declare offer: InstallOffer;
  /** The current route (set by <app-shell>). */
  declare path: string;
  declare private available: boolean;
  declare private declinedAt: number | undefined;
  /** Injected in tests. */
  storage: KeyValueStore = localStorage;
  now: () => number = Date.now;

  private visits = 0;

  static override styles = [
    theme,
    css`
      aside { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5em 0.75em; background: var(--surface, #fff); border-bottom: 1px solid var(--border, #d7dde5); padding: 0.5em 12px; }
      img { width: 2.5em; height: 2.5em; border-radius: 0.5em; }
      p { flex: 1 1 12em; margin: 0; }
      .buttons { display: flex; gap: 0.5em; }
      button.primary { width: auto; padding: 0 1.25em; }
    `,
  ];

  constructor() {
    super();
    this.offer = installOffer;
    this.path = location.pathname;
    this.available = false;
    this.declinedAt = undefined;
  }

  override connectedCallback() {
    super.connectedCallback();
    // One element per page load: each load of the app is one visit.
    if (this.visits === 0) {
      this.visits = (readNumber(this.storage, VISITS_KEY) ?? 0) + 1;
      writeNumber(this.storage, VISITS_KEY, this.visits);
    }
    this.declinedAt = readNumber(this.storage, DECLINED_AT_KEY);
  }

  /** Follows the source's changes while shown. */
  readonly changes = new ChangeSubscription(this, () => this.offer, (offer) => {
    this.available = offer.available;
  });





  private decline() {
    this.declinedAt = this.now();
    writeNumber(this.storage, DECLINED_AT_KEY, this.declinedAt);
  }

  private async install() {
    const outcome = await this.offer.install();
    // Closing Chrome's dialog is a `暂不` too; `accepted` is followed by `appinstalled`.
    if (outcome === 'dismissed') this.decline();
  }

  override render() {
    const offered =
      this.available &&
      shouldOfferInstall({ path: this.path, visits: this.visits, declinedAt: this.declinedAt, now: this.now() });
    if (!offered) return nothing;
    return html`<aside aria-label="安装应用">
      <img src="/icons/icon-192.png" alt="" />
      <p>${INSTALL_TEXT}</p>
      <div class="buttons">
        <button class="primary" type="button" @click=${this.install}>安装</button>
        <button class="secondary" type="button" @click=${this.decline}>暂不</button>
      </div>
    </aside>`;
  }
}

customElements.define('install-prompt', InstallPrompt);

declare global {
  interface HTMLElementTagNameMap {
    'install-prompt': InstallPrompt;
  }
}
