import { css, html, LitElement } from 'lit';
import type { StaffView } from '../../shared/api/staff-session.ts';
import { HistoryRouter } from '../components/history-router.ts';
import './detail/staff-detail-page.ts';
import './employer/employer-page.ts';
import './queue/staff-queue-page.ts';
import './sign-in/staff-sign-in.ts';
import { type StaffClient, staffClient } from './staff-client.ts';
import { staffRoutes, submissionOfPath } from './staff-routes.ts';

const ROLE_NAMES: Record<StaffView['role'], string> = { reviewer: '审核人员', admin: '管理员', employer: '聘用单位' };

/**
 * The staff console at /staff: sign-in until the server knows the person, then the queue and one
 * application's screen for reviewers and admins, or the employer's own applications. Desktop-first.
 */
export class StaffConsole extends LitElement {
  static override properties = {
    path: { state: true },
    search: { state: true },
    staff: { state: true },
    checked: { state: true },
  };
  declare path: string;
  /** The address's query: the queue's filters. */
  declare search: string;
  /** Who is signed in; undefined when nobody is. */
  declare staff: StaffView | undefined;
  /** The server has said whether anybody is signed in. */
  declare checked: boolean;
  /** Tests give one over a fake transport. */
  client: StaffClient = staffClient;

  static override styles = css`
    :host {
      --brand: #1f5fa8;
      --brand-dark: #174a84;
      --text: #1c2430;
      --muted: #56606d;
      --surface: #ffffff;
      --border: #d7dde5;
      --danger: #b42318;
      --font-size: 0.9375rem;
      --target: 36px;
      display: flex;
      flex-direction: column;
      min-height: 100vh;
      font-size: var(--font-size);
      color: var(--text);
    }
    header { background: var(--brand); color: #fff; padding: 8px 24px; display: flex; align-items: center; gap: 16px; }
    header .title { flex: 1; font-weight: 600; font-size: 1.1em; }
    header button {
      font: inherit; min-height: var(--target); padding: 0 12px; cursor: pointer;
      color: #fff; background: transparent; border: 1px solid rgb(255 255 255 / 80%); border-radius: 6px;
    }
    header button:focus-visible, main:focus-visible { outline: 3px solid #f2b705; outline-offset: 2px; }
    main { flex: 1; padding: 0 24px 24px; max-width: 1280px; width: 100%; box-sizing: border-box; margin: 0 auto; outline: none; }
  `;

  private readonly router = new HistoryRouter(this);

  constructor() {
    super();
    this.staff = undefined;
    this.checked = false;
  }

  /** Links inside the console move within it, without loading the page again. */
  private readonly onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.composedPath().find((node): node is HTMLAnchorElement => node instanceof HTMLAnchorElement);
    const href = link?.getAttribute('href');
    if (!link || !href?.startsWith(staffRoutes.queue) || link.hasAttribute('download')) return;
    event.preventDefault();
    this.router.go(href);
  };

  override connectedCallback() {
    super.connectedCallback();
    this.addEventListener('click', this.onClick);
    void this.checkSession();
  }

  override disconnectedCallback() {
    this.removeEventListener('click', this.onClick);
    super.disconnectedCallback();
  }

  private async checkSession() {
    const answer = await this.client.whoAmI();
    this.staff = answer.ok ? answer.data.staff : undefined;
    this.checked = true;
  }

  private readonly onSignedIn = (event: Event) => {
    this.staff = (event as CustomEvent<StaffView>).detail;
    void this.updateComplete.then(() => this.renderRoot.querySelector('main')?.focus());
  };

  /** A screen was refused for want of a session (it ended while idle): back to sign-in. */
  private readonly onSignedOut = () => {
    this.staff = undefined;
  };

  private async signOut() {
    await this.client.signOut();
    this.staff = undefined;
    this.router.go(staffRoutes.queue, true);
  }

  override render() {
    return html`
      <header>
        <span class="title">监理工程师注册审查工作台</span>
        ${this.staff
          ? html`<span>${this.staff.enterpriseName ?? ROLE_NAMES[this.staff.role]}：${this.staff.username}</span>
              <button type="button" @click=${this.signOut}>退出登录</button>`
          : ''}
      </header>
      <main tabindex="-1" @signed-in=${this.onSignedIn} @signed-out=${this.onSignedOut}>${this.renderScreen()}</main>
    `;
  }

  private renderScreen() {
    if (!this.checked) return html`<p role="status">正在加载…</p>`;
    if (!this.staff) return html`<staff-sign-in .client=${this.client}></staff-sign-in>`;
    if (this.staff.role === 'employer') return html`<employer-page .client=${this.client}></employer-page>`;
    const id = submissionOfPath(this.path);
    if (id) return html`<staff-detail-page .client=${this.client} .submissionId=${id}></staff-detail-page>`;
    return html`<staff-queue-page .client=${this.client} .search=${this.search}></staff-queue-page>`;
  }
}

customElements.define('staff-console', StaffConsole);

declare global {
  interface HTMLElementTagNameMap {
    'staff-console': StaffConsole;
  }
}
