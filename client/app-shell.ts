import { css, html, LitElement } from 'lit';
import { SERVICE_FOOTER } from '../shared/service.ts';
import './pages/service-page.ts';

/** Top-level element: header, the current page chosen by the path, and the footer every screen carries. */
export class AppShell extends LitElement {
  static override properties = { path: { state: true } };
  declare path: string;

  static override styles = css`
    :host { display: flex; flex-direction: column; min-height: 100vh; max-width: 720px; margin: 0 auto; }
    header { background: #1f5fa8; color: #fff; padding: 12px 16px; font-size: 17px; font-weight: 600; }
    main { flex: 1; padding: 0 12px 16px; }
    footer { text-align: center; color: #5a6573; font-size: 13px; padding: 16px; }
  `;

  constructor() {
    super();
    this.path = location.pathname;
  }

  private readonly onPopState = () => {
    this.path = location.pathname;
  };

  override connectedCallback() {
    super.connectedCallback();
    window.addEventListener('popstate', this.onPopState);
    this.addEventListener('navigate', this.onNavigate as EventListener);
  }

  override disconnectedCallback() {
    window.removeEventListener('popstate', this.onPopState);
    this.removeEventListener('navigate', this.onNavigate as EventListener);
    super.disconnectedCallback();
  }

  private readonly onNavigate = (event: CustomEvent<{ to: string }>) => {
    history.pushState(null, '', event.detail.to);
    this.path = event.detail.to;
  };

  override render() {
    return html`
      <header>住房和城乡建设部政务服务</header>
      <main>${this.renderPage()}</main>
      <footer>${SERVICE_FOOTER}</footer>
    `;
  }

  private renderPage() {
    switch (this.path) {
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
