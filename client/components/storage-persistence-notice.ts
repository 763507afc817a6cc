import { css, html, LitElement, nothing } from 'lit';
import type { PersistenceAnswer } from '../data/draft-store.ts';
import { theme } from '../styles/theme.ts';

export const PERSISTENCE_NOTICE_DISMISSED_KEY = 'storage-persistence-notice-dismissed';

export const PERSISTENCE_NOTICE_TITLE = '保存在本机的内容可能被浏览器清除';
export const PERSISTENCE_NOTICE_TEXT = {
  refused: '浏览器没有同意长期保存本应用的数据。',
  unavailable: '此浏览器不支持长期保存本应用的数据。',
  risk:
    '手机存储空间不足时，浏览器可能清除保存在本机的填写内容；在 iPhone 的 Safari 浏览器中，连续 7 天没有打开本应用，保存在本机的内容也可能被清除。',
  remedy: '将本应用添加到手机主屏幕，并在联网时打开，让草稿同步到服务器，填写的内容就不会丢失。',
} as const;

/** Where the dismissal is remembered (localStorage; tests give their own). */
export type DismissalStore = Pick<Storage, 'getItem' | 'setItem'>;

function defaultStore(): DismissalStore | undefined {
  try {
    return window.localStorage;
  } catch {
    // Storage blocked (some private modes): the notice simply shows again next time.
    return undefined;
  }
}

/**
 * Explains, in plain words, what it means that the browser refused (or cannot grant) persistent
 * storage, and what keeps the draft safe. Shown once the answer is known and not 'persisted';
 * dismissed for good on this device.
 */
export class StoragePersistenceNotice extends LitElement {
  static override properties = {
    answer: { attribute: false },
    store: { attribute: false },
    dismissed: { state: true },
  };

  /** navigator.storage.persist()'s answer (via DraftStore.persistence); undefined while unknown. */
  declare answer: PersistenceAnswer | undefined;
  declare store: DismissalStore | undefined;
  declare private dismissed: boolean;

  static override styles = [
    theme,
    css`
      section { background: #fff8e1; border-left: 4px solid #f2b705; }
      h2 { font-size: 1em; margin: 0 0 0.5em; }
      p { margin: 0 0 0.5em; }
    `,
  ];

  constructor() {
    super();
    this.answer = undefined;
    this.store = undefined;
    this.dismissed = false;
  }

  private get dismissals(): DismissalStore | undefined {
    return this.store ?? defaultStore();
  }

  /** Whether the notice is on screen now. */
  get showing(): boolean {
    if (this.answer === undefined || this.answer === 'persisted' || this.dismissed) return false;
    const dismissals = this.dismissals;
    if (!dismissals) return true;
    try {
      return dismissals.getItem(PERSISTENCE_NOTICE_DISMISSED_KEY) === null;
    } catch {
      return true;
    }
  }

  private dismiss() {
    this.dismissed = true;
    try {
      this.dismissals?.setItem(PERSISTENCE_NOTICE_DISMISSED_KEY, String(Date.now()));
    } catch {
      // Not remembered: shown again next time, which does no harm.
    }
  }

  override render() {
    const answer = this.answer;
    if (!this.showing || answer === undefined || answer === 'persisted') return nothing;
    return html`<section class="card" aria-labelledby="persistence-title">
      <h2 id="persistence-title">${PERSISTENCE_NOTICE_TITLE}</h2>
      <p>${PERSISTENCE_NOTICE_TEXT[answer]}${PERSISTENCE_NOTICE_TEXT.risk}</p>
      <p>${PERSISTENCE_NOTICE_TEXT.remedy}</p>
      <button type="button" class="secondary" @click=${this.dismiss}>知道了</button>
    </section>`;
  }
}

customElements.define('storage-persistence-notice', StoragePersistenceNotice);

declare global {
  interface HTMLElementTagNameMap {
    'storage-persistence-notice': StoragePersistenceNotice;
  }
}
