import { css, html, LitElement } from 'lit';
import { SERVICE_FOOTER } from '../shared/service.ts';
import { afterFirstScreen } from './after-first-screen.ts';
import { HistoryRouter } from './components/history-router.ts';
import { routes, submissionOfRoute } from './navigation.ts';
import './pages/service-page.ts';

/** Later screens load on demand, so the first screen costs as few bytes as possible on a slow network. */
const pageLoaders: Record<string, () => Promise<unknown>> = {
  [routes.identity]: () => import('./pages/identity-page.ts'),
  [routes.register]: () => import('./pages/register-page.ts'),
  [routes.signIn]: () => import('./pages/sign-in-page.ts'),
  [routes.forgotPassword]: () => import('./pages/forgot-password-page.ts'),
  [routes.changeMobile]: () => import('./pages/change-mobile-page.ts'),
  [routes.face]: () => import('./pages/face-page.ts'),
  [routes.notice]: () => import('./pages/notice-page.ts'),
  [routes.form]: () => import('./pages/application-form-page.ts'),
  [routes.done]: () => import('./pages/receipt-page.ts'),
  [routes.applications]: () => import('./pages/my-applications-page.ts'),
  [routes.myData]: () => import('./pages/my-data-page.ts'),
};

const LARGE_TEXT_KEY = 'large-text';

/** Top-level element: header with the large-text switch, the page for the current path, the footer. */
export class AppShell extends LitElement {
  static override properties = {
    path: { state: true },
    search: { state: true },
    largeText: { type: Boolean, reflect: true, attribute: 'large-text' },
    loadError: { state: true },
  };
  /** The address's path, which picks the page. */
  declare path: string;
  /** The address's query (e.g. which receipt 申报告知 shows). */
  declare search: string;
  declare largeText: boolean;
  declare loadError: boolean;

  static override styles = css`
    :host {
      --brand: #1f5fa8;
      --brand-dark: #174a84;
      --text: #1c2430;
      --muted: #56606d;
      --surface: #ffffff;
      --border: #d7dde5;
      --danger: #b42318;
      /* In rem: the person's own text-size setting scales every screen. */
      --font-size: 1rem;
      --target: 44px;
      display: flex;
      flex-direction: column;
      min-height: 100vh;
      max-width: 720px;
      margin: 0 auto;
      font-size: var(--font-size);
    }
    /* 适老化: larger text and touch targets on every screen. */
    :host([large-text]) { --font-size: 1.25rem; --target: 52px; }
    header { background: var(--brand); color: #fff; padding: 8px 12px 8px 16px; display: flex; align-items: center; gap: 8px; }
    header .title { flex: 1; font-weight: 600; font-size: 1.05em; }
    header button {
      font: inherit; font-size: 0.9em; min-height: var(--target); padding: 0 12px;
      color: #fff; background: transparent; border: 1px solid rgb(255 255 255 / 70%); border-radius: 8px; cursor: pointer;
    }
    header button[aria-pressed='true'] { background: #fff; color: var(--brand); }
    header button:focus-visible, main:focus-visible { outline: 3px solid #f2b705; outline-offset: 2px; }
    main { flex: 1; padding: 0 12px 16px; outline: none; }
    footer { text-align: center; color: var(--muted); font-size: 0.85em; padding: 16px; }
    .load-error { padding: 16px; color: var(--danger); }
  `;

  /** Keeps path and search in step with the address; pages move on with `navigate` events. */
  readonly router = new HistoryRouter(this);

  constructor() {
    super();
    this.largeText = localStorage.getItem(LARGE_TEXT_KEY) === '1';
    this.loadError = false;
  }

  override connectedCallback() {
    super.connectedCallback();
    // Defined after the first screen, which needs none of them: each shows only when something applies
    // (a new version, an install offer, a limited browser, a wrong clock, news of an application), and
    // together with workbox-window they would push the first screen past one congestion window. Lit
    // keeps the properties set on them before they are defined. The install offer is caught by the
    // entry itself (client/install-offer.ts), so an early `beforeinstallprompt` is not lost.
    void afterFirstScreen(() => import('./components/browser-limits-notice.ts'));
    void afterFirstScreen(() => import('./components/update-banner.ts'));
    void afterFirstScreen(() => import('./components/install-prompt.ts'));
    void afterFirstScreen(() => import('./components/news-banner.ts'));
    void afterFirstScreen(() => import('./components/clock-note.ts'));
  }

  override willUpdate(changed: Map<PropertyKey, unknown>) {
    if (changed.has('path')) {
      this.loadError = false;
      pageLoaders[this.path]?.().catch(() => {
        this.loadError = true;
      });
    }
  }

  private toggleLargeText() {
    this.largeText = !this.largeText;
    localStorage.setItem(LARGE_TEXT_KEY, this.largeText ? '1' : '0');
  }

  override render() {
    return html`
      <header>
        <span class="title">住房和城乡建设部政务服务</span>
        <button type="button" aria-pressed=${String(this.largeText)} @click=${this.toggleLargeText}>大字模式</button>
      </header>
      <browser-limits-notice></browser-limits-notice>
      <update-banner .path=${this.path}></update-banner>
      <install-prompt .path=${this.path}></install-prompt>
      <news-banner .path=${this.path}></news-banner>
      <clock-note></clock-note>
      <main tabindex="-1">${this.loadError ? this.renderLoadError() : this.renderPage()}</main>
      <footer>${SERVICE_FOOTER}</footer>
    `;
  }

  private renderLoadError() {
    return html`<p class="load-error" role="alert">页面加载失败，请检查网络后刷新重试。已填写的内容保存在本机，不会丢失。</p>`;
  }

  private renderPage() {
    switch (this.path) {
      case routes.identity:
        return html`<identity-page></identity-page>`;
      case routes.register:
        return html`<register-page></register-page>`;
      case routes.signIn:
        return html`<sign-in-page></sign-in-page>`;
      case routes.forgotPassword:
        return html`<forgot-password-page></forgot-password-page>`;
      case routes.changeMobile:
        return html`<change-mobile-page></change-mobile-page>`;
      case routes.face:
        return html`<face-page></face-page>`;
      case routes.notice:
        return html`<notice-page></notice-page>`;
      case routes.form:
        return html`<application-form-page></application-form-page>`;
      case routes.done:
        return html`<receipt-page .submissionId=${submissionOfRoute(this.search)}></receipt-page>`;
      case routes.applications:
        return html`<my-applications-page></my-applications-page>`;
      case routes.myData:
        return html`<my-data-page></my-data-page>`;
      default:
        return html`<service-page></service-page>`;
    }
  }
}

customElements.define('app-shell', AppShell);

declare global {
  interface HTMLElementTagNameMap {
    'app-shell': AppShell;
  }
}
