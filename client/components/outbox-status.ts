import { css, html, LitElement, nothing } from 'lit';
import type { OutboxRecord } from '../data/local-db.ts';
import { OUTBOX_STATE_TEXT, OUTBOX_STORAGE_FULL_TEXT, outboxStorage } from '../sync/outbox.ts';
import type { OutboxProgress } from '../sync/outbox-sender.ts';
import { theme } from '../styles/theme.ts';

export type OutboxStatusItem = Pick<OutboxRecord, 'state' | 'attempts' | 'lastError'>;

const kb = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024))} KB`;

/**
 * Where one submission in the outbox stands: being sent (with the attachment upload as a progress
 * bar), waiting for the network (or for room on the device), or rejected and waiting for the person.
 */
export class OutboxStatus extends LitElement {
  static override properties = {
    item: { attribute: false },
    progress: { attribute: false },
  };

  declare item: OutboxStatusItem | undefined;
  /** Bytes sent by this page; absent when another tab or the service worker is sending. */
  declare progress: OutboxProgress | undefined;

  static override styles = [
    theme,
    css`
      :host { display: block; }
      .state { margin: 0; font-weight: 600; }
      .queued .state { color: var(--brand, #1f5fa8); }
      .rejected .state { color: var(--danger, #b42318); }
      progress { width: 100%; height: 0.75em; margin: 0.25em 0 0; }
      p { margin: 0.25em 0 0; }
      .detail { font-size: 0.9em; }
    `,
  ];

  private readonly onStorage = () => this.requestUpdate();

  constructor() {
    super();
    this.item = undefined;
    this.progress = undefined;
  }

  override connectedCallback() {
    super.connectedCallback();
    outboxStorage.addEventListener('change', this.onStorage);
  }

  override disconnectedCallback() {
    outboxStorage.removeEventListener('change', this.onStorage);
    super.disconnectedCallback();
  }

  /** Left waiting (or claimed and never settled) because the device had no room: not the network. */
  private get blockedByStorage(): boolean {
    const item = this.item;
    return outboxStorage.full && (item?.state === 'queued' || (item?.state === 'sending' && !this.progress));
  }

  private renderSending() {
    const progress = this.progress;
    if (!progress || progress.total === 0) {
      return html`<progress aria-label="提交进度"></progress>`;
    }
    const label = progress.phase === 'uploading' ? '正在上传照片和签名' : '附件已上传，正在提交申请';
    return html`
      <progress aria-label=${label} max=${progress.total} .value=${progress.loaded}></progress>
      <p class="detail muted">${label}：${kb(progress.loaded)} / ${kb(progress.total)}</p>
    `;
  }

  override render() {
    const item = this.item;
    if (!item || item.state === 'sent') return nothing;
    const text = OUTBOX_STATE_TEXT[item.state];
    if (this.blockedByStorage) {
      return html`<div class="queued" role="status">
        <p class="state">${OUTBOX_STORAGE_FULL_TEXT}</p>
        <p class="detail muted">申请已保存在本机，可以离开或关闭本应用。</p>
      </div>`;
    }
    switch (item.state) {
      case 'sending':
        return html`<div class="sending" role="status"><p class="state">${text}</p>${this.renderSending()}</div>`;
      case 'queued':
        return html`<div class="queued" role="status">
          <p class="state">${text}</p>
          <p class="detail muted">申请已保存在本机，可以离开或关闭本应用${item.attempts > 0 && item.lastError ? html`（${item.lastError}）` : nothing}。</p>
        </div>`;
      case 'rejected':
        return html`<div class="rejected" role="alert">
          <p class="state">${text}</p>
          ${item.lastError ? html`<p class="detail">${item.lastError}</p>` : nothing}
        </div>`;
    }
  }
}

customElements.define('outbox-status', OutboxStatus);

declare global {
  interface HTMLElementTagNameMap {
    'outbox-status': OutboxStatus;
  }
}
