import { css, html, LitElement, nothing } from 'lit';
import { type DeviceStorage, deviceStorage } from '../data/device-storage.ts';
import { theme } from '../styles/theme.ts';

/** No service worker: the app works online, but nothing opens without a network. */
export const NO_OFFLINE_TEXT = '此浏览器不能在没有网络时打开本页：如需离线使用，请把本应用安装到手机桌面，或换用其他浏览器。';
/** The WeChat in-app browser (no service worker there): the way out to the phone's own browser. */
export const IN_WECHAT_TEXT = '在微信中不能离线使用本页：请点右上角「…」→「在浏览器打开」，用手机浏览器办理。';
/** No IndexedDB (or it refuses writes): the form works in memory only. */
export const NO_STORAGE_TEXT =
  '此浏览器不能在本机保存内容：填写的信息不会保存在本设备上，关闭页面会丢失已填写的内容，请联网一次填完并提交，或换用其他浏览器（如退出无痕模式）。';

/** What this browser offers, as the notice reads it (tests give their own). */
export interface BrowserCapabilities {
  serviceWorker: boolean;
  userAgent: string;
  /** Undefined while not yet known. */
  storage: DeviceStorage | undefined;
}

export function inWeChat(userAgent: string): boolean {
  return /MicroMessenger/i.test(userAgent);
}

/** The sentences that apply: at most one about going offline, one about keeping data. */
export function limitsTexts(capabilities: BrowserCapabilities): string[] {
  const texts: string[] = [];
  if (!capabilities.serviceWorker) texts.push(inWeChat(capabilities.userAgent) ? IN_WECHAT_TEXT : NO_OFFLINE_TEXT);
  if (capabilities.storage === 'memory') texts.push(NO_STORAGE_TEXT);
  return texts;
}

/**
 * Tells the person, in one plain sentence each, what this browser cannot do (open without a network,
 * keep what is typed) and what to use instead. Shown on every screen while it applies.
 */
export class BrowserLimitsNotice extends LitElement {
  static override properties = {
    capabilities: { attribute: false },
  };

  declare capabilities: BrowserCapabilities;

  static override styles = [
    theme,
    css`
      :host { padding: 0 12px; }
      p { margin: 8px 0 0; padding: 8px 12px; background: #fff8e1; border-left: 4px solid #f2b705; }
    `,
  ];

  /** False when a test sets the capabilities itself. */
  detect = true;

  constructor() {
    super();
    this.capabilities = { serviceWorker: 'serviceWorker' in navigator, userAgent: navigator.userAgent, storage: undefined };
  }

  override connectedCallback() {
    super.connectedCallback();
    if (!this.detect) return;
    void deviceStorage().then((storage) => {
      if (this.detect) this.capabilities = { ...this.capabilities, storage };
    });
  }

  override render() {
    const texts = limitsTexts(this.capabilities);
    if (texts.length === 0) return nothing;
    return html`<div role="note" aria-label="此浏览器的限制">${texts.map((text) => html`<p>${text}</p>`)}</div>`;
  }
}

customElements.define('browser-limits-notice', BrowserLimitsNotice);

declare global {
  interface HTMLElementTagNameMap {
    'browser-limits-notice': BrowserLimitsNotice;
  }
}
