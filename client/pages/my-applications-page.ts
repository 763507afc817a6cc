import { css, html, LitElement } from 'lit';
import { submissionStatusLabel } from '../../shared/submission-status.ts';
import { apiFetch } from '../data/api.ts';
import { localDb } from '../data/local-db.ts';
import { formatChinaTime } from '../format.ts';
import { navigate, routes } from '../navigation.ts';
import { theme } from '../styles/theme.ts';

interface ApplicationRow {
  receiptNumber: string;
  submittedAt: string;
  status: string;
}

type View =
  | { kind: 'loading' }
  | { kind: 'list'; rows: ApplicationRow[]; fromDevice: boolean }
  | { kind: 'signed-out' }
  | { kind: 'error'; message: string };

/** 我的申请: the person's applications and where each stands; receipts on the device when offline. */
export class MyApplicationsPage extends LitElement {
  static override properties = { view: { state: true } };
  declare view: View;

  static override styles = [
    theme,
    css`
      h1 { font-size: 1.25em; margin: 12px 0; }
      ul { list-style: none; margin: 0; padding: 0; }
      li { display: grid; gap: 2px; }
      .number { font-weight: 700; word-break: break-all; }
      .status { color: var(--brand, #1f5fa8); font-weight: 600; }
    `,
  ];

  constructor() {
    super();
    this.view = { kind: 'loading' };
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    const result = await apiFetch<{ submissions: ApplicationRow[] }>('/submissions');
    if (result.ok) {
      this.view = { kind: 'list', rows: result.data.submissions, fromDevice: false };
    } else if (result.offline) {
      const receipts = await localDb().receipts.toArray();
      receipts.sort((a, b) => b.submittedAt.localeCompare(a.submittedAt));
      this.view = { kind: 'list', rows: receipts, fromDevice: true };
    } else if (result.status === 401) {
      this.view = { kind: 'signed-out' };
    } else {
      this.view = { kind: 'error', message: result.error };
    }
  }

  override render() {
    return html`<h1>我的申请</h1>${this.renderView()}`;
  }

  private renderView() {
    switch (this.view.kind) {
      case 'loading':
        return html`<p role="status">正在查询…</p>`;
      case 'signed-out':
        return html`<section class="card">
          <p>请先核验身份后查看您的申请。</p>
          <button class="primary" type="button" @click=${() => navigate(this, routes.identity)}>核验身份</button>
        </section>`;
      case 'error':
        return html`<p class="error" role="alert">${this.view.message}</p>`;
      case 'list':
        return this.renderList(this.view.rows, this.view.fromDevice);
    }
  }

  private renderList(rows: ApplicationRow[], fromDevice: boolean) {
    return html`
      ${fromDevice ? html`<p class="muted" role="status">当前无网络，显示本机保存的回执，办理状态可能不是最新。</p>` : ''}
      ${rows.length === 0
        ? html`<section class="card"><p>暂无申请记录。</p></section>`
        : html`<ul>
            ${rows.map(
              (row) => html`<li class="card">
                <span class="number">申请编号：${row.receiptNumber}</span>
                <span class="muted">提交时间：${formatChinaTime(row.submittedAt)}</span>
                <span>办理状态：<span class="status">${submissionStatusLabel(row.status)}</span></span>
              </li>`,
            )}
          </ul>`}
      <button class="secondary" type="button" @click=${() => navigate(this, routes.service)}>返回首页</button>
    `;
  }
}

customElements.define('my-applications-page', MyApplicationsPage);

declare global {
  interface HTMLElementTagNameMap {
    'my-applications-page': MyApplicationsPage;
  }
}
