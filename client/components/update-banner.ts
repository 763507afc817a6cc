import { css, html, LitElement, nothing } from 'lit';
import { routes } from '../navigation.ts';
import { registeredWorkbox } from '../service-worker-registration.ts';
import { theme } from '../styles/theme.ts';

/** What the banner needs of workbox-window's Workbox (tests give a fake). */
export interface UpdateSource {
  addEventListener(type: 'waiting' | 'controlling', listener: () => void): void;
  removeEventListener(type: 'waiting' | 'controlling', listener: () => void): void;
  /** Posts `{ type: 'SKIP_WAITING' }` to the waiting worker. */
  messageSkipWaiting(): void;
}

export const UPDATE_TEXT = '有新版本，刷新';
export const UPDATE_ON_FORM_TEXT = '有新版本，提交或离开此页后刷新';

/**
 * Time given to pending writes before the page reloads. Drafts reach IndexedDB 250 ms after the last
 * change (DraftStore's debounce) and are flushed again on pagehide, but a write still running when
 * the page unloads may be lost. Waiting 600 ms lets the last keystroke land without the banner
 * knowing anything of the pages; an event that every page holding data must answer would be a
 * contract each new page could forget.
 */
export const SETTLE_MS = 600;

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Offers a new version once it is installed and waiting; nothing is swapped in until the person
 * presses the button (a reload under a half-filled form would surprise them). On the application form
 * it says to finish first, and still lets them go ahead: the draft is kept on the device.
 */
export class UpdateBanner extends LitElement {
  static override properties = {
    source: { attribute: false },
    path: {},
    waiting: { state: true },
    updating: { state: true },
  };

  /** Where new versions are announced; the app's Workbox unless given. */
  declare source: UpdateSource | undefined;
  /** The current route: on the application form the banner asks to finish first. */
  declare path: string;
  declare private waiting: boolean;
  declare private updating: boolean;
  /** Injected in tests. */
  settle: (ms: number) => Promise<void> = wait;
  reload: () => void = () => location.reload();

  private listening: UpdateSource | undefined;

  static override styles = [
    theme,
    css`
      aside { background: #fff4ce; border-bottom: 1px solid #e3cf7d; padding: 0.5em 12px; }
      .row { display: flex; align-items: center; gap: 0.75em; }
      .row p { flex: 1; margin: 0; }
      button.secondary { white-space: nowrap; }
    `,
  ];

  constructor() {
    super();
    this.source = undefined;
    this.path = location.pathname;
    this.waiting = false;
    this.updating = false;
  }

  override connectedCallback() {
    super.connectedCallback();
    if (!this.source) {
      void registeredWorkbox().then((workbox) => {
        this.source ??= workbox;
      });
    }
    this.listen();
  }

  override disconnectedCallback() {
    this.stopListening();
    super.disconnectedCallback();
  }

  override willUpdate(changed: Map<PropertyKey, unknown>) {
    if (changed.has('source')) this.listen();
  }

  private readonly onWaiting = () => {
    this.waiting = true;
  };

  private readonly onControlling = () => {
    this.reload();
  };

  private listen() {
    if (this.listening === this.source) return;
    this.stopListening();
    this.listening = this.source;
    this.source?.addEventListener('waiting', this.onWaiting);
  }

  private stopListening() {
    this.listening?.removeEventListener('waiting', this.onWaiting);
    this.listening?.removeEventListener('controlling', this.onControlling);
    this.listening = undefined;
  }

  private async applyUpdate() {
    const source = this.source;
    if (this.updating || !source) return;
    this.updating = true;
    await this.settle(SETTLE_MS);
    // The new worker takes over (`controlling`), then the page reloads into the new version.
    source.addEventListener('controlling', this.onControlling);
    source.messageSkipWaiting();
  }

  override render() {
    // The live region is always there, so its content is announced when it appears.
    return html`<div role="status">${this.waiting ? this.renderBanner() : nothing}</div>`;
  }

  private renderBanner() {
    const busy = this.updating ? '正在更新…' : undefined;
    if (this.path === routes.form) {
      return html`<aside aria-label="新版本" class="row">
        <p>${UPDATE_ON_FORM_TEXT}</p>
        <button class="secondary" type="button" ?disabled=${this.updating} @click=${this.applyUpdate}>${busy ?? '立即刷新'}</button>
      </aside>`;
    }
    return html`<aside aria-label="新版本">
      <button class="primary" type="button" ?disabled=${this.updating} @click=${this.applyUpdate}>${busy ?? UPDATE_TEXT}</button>
    </aside>`;
  }
}

customElements.define('update-banner', UpdateBanner);

declare global {
  interface HTMLElementTagNameMap {
    'update-banner': UpdateBanner;
  }
}
