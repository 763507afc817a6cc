import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { fieldLabel } from '../../shared/application-fields.ts';
import type { SaveState } from '../data/draft-store.ts';
import { theme } from '../styles/theme.ts';
import type { SyncState } from '../sync/draft-sync.ts';

/** What the element shows: client/sync/draft-sync.ts's DraftSync, or a stand-in in tests. */
export interface SyncStatusSource extends EventTarget {
  readonly state: SyncState;
  /** The local save of the draft (IndexedDB). */
  readonly saveState: SaveState;
  /** Fields changed by merging edits from other devices, until dismissed. */
  readonly mergedFields: readonly string[];
  dismissMerge(): void;
}

export const SYNC_TEXT: Record<SyncState, string> = {
  'saved-local': '已保存到本机',
  syncing: '同步中',
  synced: '已同步',
  'waiting-network': '等待网络',
  error: '暂未同步',
};
export const SYNC_EXPLANATION: Partial<Record<SyncState, string>> = {
  'waiting-network': '内容已安全保存在本机，联网后自动同步',
  error: '内容已安全保存在本机，稍后自动重试',
};
export const SAVING_TEXT = '正在保存…';
export const SAVE_FAILED_TEXT = '未能保存到本机，请检查浏览器的存储空间';

export function mergeNotice(fields: readonly string[]): string {
  return `已合并您在其他设备上的修改：${fields.map(fieldLabel).join('、')}`;
}

/**
 * Where the draft is: 正在保存… / 已保存到本机 / 同步中 / 已同步 / 等待网络, in the form's bottom bar.
 * Screen readers hear only what matters: the draft waits for the network, is synced again after
 * that, or could not be saved; not every keystroke. A merge with edits made on another device is
 * shown as a notice naming the fields, until dismissed.
 */
export class SyncStatus extends LitElement {
  static override properties = {
    source: { attribute: false },
    announcement: { state: true },
  };

  declare source: SyncStatusSource | undefined;
  declare private announcement: string;
  /** A waiting period or failure was announced: its end (已同步) is announced too. */
  private troubled = false;
  private listening: SyncStatusSource | undefined;

  static override styles = [
    theme,
    css`
      :host { font-size: 0.9em; }
      .line { min-height: 1.6em; margin: 0 0 0.25em; text-align: center; }
      .explanation { display: block; font-size: 0.9em; }
      .state-synced { color: #1a7f37; }
      .state-waiting-network, .state-error { color: var(--text, #1c2430); }
      .notice:not(:empty) {
        display: flex;
        align-items: center;
        gap: 0.75em;
        margin: 0 0 0.5em;
        padding: 0.5em 0.75em;
        border-radius: 8px;
        background: #e8f0fa;
      }
      .notice p { margin: 0; flex: 1; }
      .notice button { flex: none; }
    `,
  ];

  constructor() {
    super();
    this.source = undefined;
    this.announcement = '';
  }

  override connectedCallback() {
    super.connectedCallback();
    this.listen();
  }

  override disconnectedCallback() {
    this.listening?.removeEventListener('statechange', this.onChange);
    this.listening = undefined;
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('source')) {
      this.listen();
      this.troubled = false;
      this.announce();
    }
  }

  private listen() {
    if (this.listening === this.source) return;
    this.listening?.removeEventListener('statechange', this.onChange);
    this.listening = this.isConnected ? this.source : undefined;
    this.listening?.addEventListener('statechange', this.onChange);
  }

  private readonly onChange = () => {
    this.announce();
    this.requestUpdate();
  };

  /** Only these changes reach the live region; anything else empties it (which is not read out). */
  private announce() {
    const source = this.source;
    if (!source) return;
    const { state, saveState } = source;
    if (saveState === 'error') {
      this.announcement = SAVE_FAILED_TEXT;
      this.troubled = true;
    } else if (state === 'waiting-network') {
      this.announcement = `${SYNC_TEXT[state]}：${SYNC_EXPLANATION[state]}`;
      this.troubled = true;
    } else if (state === 'synced' && this.troubled) {
      this.announcement = SYNC_TEXT.synced;
      this.troubled = false;
    } else if (state !== 'synced' && state !== 'error') {
      this.announcement = '';
    }
  }

  private dismiss() {
    this.source?.dismissMerge();
  }

  override render() {
    const source = this.source;
    if (!source) return nothing;
    const { state, saveState, mergedFields } = source;
    const local = saveState === 'pending' ? SAVING_TEXT : saveState === 'error' ? SAVE_FAILED_TEXT : undefined;
    const explanation = local ? undefined : SYNC_EXPLANATION[state];
    return html`
      <div class="notice" role="status">${
        mergedFields.length > 0
          ? html`<p>${mergeNotice(mergedFields)}</p>
              <button type="button" class="secondary" @click=${this.dismiss}>知道了</button>`
          : nothing
      }</div>
      <p class="line muted state-${local ? saveState : state}" id="text">
        ${local ?? SYNC_TEXT[state]}${explanation ? html`<span class="explanation">${explanation}</span>` : nothing}
      </p>
      <span class="visually-hidden" role="status" id="announcement">${this.announcement}</span>
    `;
  }
}

customElements.define('sync-status', SyncStatus);

declare global {
  interface HTMLElementTagNameMap {
    'sync-status': SyncStatus;
  }
}
