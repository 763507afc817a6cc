import { liveQuery, type Subscription } from 'dexie';
import { css, html, LitElement, nothing } from 'lit';
import { codeLists, nameOf } from '../../shared/code-lists.ts';
import { submissionStatusLabel } from '../../shared/submission-status.ts';
import '../components/outbox-status.ts';
import type { Correction, SubmissionSummary } from '../../shared/api/submissions.ts';
import { type LocalDb, localDb, type OutboxRecord, type ReceiptRecord } from '../data/local-db.ts';
import { receiptsOf } from '../data/receipts.ts';
import { correctionRoute } from './application-form/correction-draft.ts';
import { correctionList } from './application-form/correction-summary.ts';
import { type NetClient, net } from '../net/api-client.ts';
import { outboxItems } from '../sync/outbox.ts';
import { outboxScheduler } from '../sync/outbox-scheduler.ts';
import { fetchStandings } from '../sync/status-refresh.ts';
import { formatChinaTime } from '../../shared/china-time.ts';
import { navigate, routes } from '../navigation.ts';
import { theme } from '../styles/theme.ts';

interface ApplicationRow {
  submissionId: string;
  receiptNumber: string;
  submittedAt: string;
  status: string;
  /** The server's word for it; the device's own label when read from a receipt. */
  statusLabel: string;
  corrections: readonly Correction[];
}

const fromServer = (row: SubmissionSummary): ApplicationRow => ({
  submissionId: row.id,
  receiptNumber: row.receiptNumber,
  submittedAt: row.submittedAt,
  status: row.status,
  statusLabel: row.statusLabel,
  corrections: row.corrections ?? [],
});

const fromReceipt = (receipt: ReceiptRecord): ApplicationRow => ({
  submissionId: receipt.submissionId,
  receiptNumber: receipt.receiptNumber,
  submittedAt: receipt.submittedAt,
  status: receipt.status,
  statusLabel: submissionStatusLabel(receipt.status),
  corrections: receipt.corrections ?? [],
});

type View =
  | { kind: 'loading' }
  | { kind: 'list'; rows: ApplicationRow[] }
  | { kind: 'device' }
  | { kind: 'signed-out' }
  | { kind: 'error'; message: string };

/**
 * 我的申请: the person's applications and where each stands, as the server says (the device's receipts
 * learn it, and show it offline), and submissions still in this device's outbox (waiting for the
 * network, or rejected and to be fixed). One asked for 补正 shows the notes and leads back to the form.
 */
export class MyApplicationsPage extends LitElement {
  static override properties = {
    db: { attribute: false },
    net: { attribute: false },
    view: { state: true },
    outbox: { state: true },
    receipts: { state: true },
  };
  /** The device database (tests give their own). */
  declare db: LocalDb | undefined;
  /** The network (tests give one over a fake server). */
  declare net: NetClient;
  declare view: View;
  declare outbox: OutboxRecord[];
  /** The receipts kept on this device, shown when the server cannot be asked. */
  declare receipts: ReceiptRecord[];
  private subscriptions: Subscription[] = [];
  private readonly onProgress = () => this.requestUpdate();

  static override styles = [
    theme,
    css`
      h1 { font-size: 1.25em; margin: 12px 0; }
      ul { list-style: none; margin: 0; padding: 0; }
      li { display: grid; gap: 2px; }
      .number { font-weight: 700; word-break: break-all; }
      .status { color: var(--brand, #1f5fa8); font-weight: 600; }
      .status.correction { color: var(--danger, #b42318); }
      .corrections { margin: 0.25em 0; padding-left: 1.2em; }
      .corrections .label { font-weight: 600; }
      h2 { font-size: 1.05em; margin: 1em 0 0; }
    `,
  ];

  constructor() {
    super();
    this.db = undefined;
    this.net = net;
    this.view = { kind: 'loading' };
    this.outbox = [];
    this.receipts = [];
  }

  private get database(): LocalDb {
    return this.db ?? localDb();
  }

  override connectedCallback() {
    super.connectedCallback();
    // Live: an item sent meanwhile (by this tab, another, or the service worker) moves to the list.
    const db = this.database;
    this.subscriptions = [
      liveQuery(() => outboxItems(db)).subscribe({
        next: (items) => {
          const sentMeanwhile = items.length < this.outbox.length;
          this.outbox = items;
          if (sentMeanwhile) void this.load();
        },
        error: (error: unknown) => console.error('[applications] outbox not readable', error),
      }),
      liveQuery(() => receiptsOf(db)).subscribe({
        next: (receipts) => {
          this.receipts = receipts;
        },
        error: (error: unknown) => console.error('[applications] receipts not readable', error),
      }),
    ];
    outboxScheduler.addEventListener('progress', this.onProgress);
    void this.load();
  }

  override disconnectedCallback() {
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
    outboxScheduler.removeEventListener('progress', this.onProgress);
    super.disconnectedCallback();
  }

  private async load() {
    // The device learns each status (and the 补正 notes) here too, and shows them offline later.
    const result = await fetchStandings(this.database, this.net);
    if (result.ok) {
      this.view = { kind: 'list', rows: result.data.submissions.map(fromServer) };
    } else if (result.offline) {
      this.view = { kind: 'device' };
    } else if (result.status === 401) {
      this.view = { kind: 'signed-out' };
    } else {
      this.view = { kind: 'error', message: result.error };
    }
  }

  override render() {
    return html`<h1>我的申请</h1>${this.renderOutbox()}${this.renderView()}`;
  }

  private renderOutbox() {
    if (this.outbox.length === 0) return nothing;
    const progress = outboxScheduler.progress;
    const specialty = (code: unknown) =>
      typeof code === 'string' ? (nameOf(codeLists.specialties, code) ?? code) : '';
    return html`<section aria-labelledby="outbox-title">
      <h2 id="outbox-title">尚未提交成功的申请</h2>
      <ul>
        ${this.outbox.map((item) => {
          const body = item.body as { enterprise?: { name?: unknown }; specialty1?: unknown; specialty2?: unknown };
          const enterprise = typeof body.enterprise?.name === 'string' ? body.enterprise.name : '';
          return html`<li class="card outbox-item">
            <span>受聘企业：${enterprise}</span>
            <span class="muted">申请注册专业：${[specialty(body.specialty1), specialty(body.specialty2)].filter(Boolean).join('、')}</span>
            <outbox-status .item=${item} .progress=${progress?.recordId === item.id ? progress : undefined}></outbox-status>
            ${item.state === 'rejected'
              ? html`<button class="primary" type="button" @click=${() => navigate(this, routes.form)}>修改后重新提交</button>`
              : nothing}
          </li>`;
        })}
      </ul>
    </section>
    <h2>已提交的申请</h2>`;
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
        return this.renderList(this.view.rows, false);
      case 'device':
        return this.renderList(this.receipts.map(fromReceipt), true);
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
                <span class="number" id=${`number-${row.submissionId}`}>申请编号：${row.receiptNumber}</span>
                <span class="muted">提交时间：${formatChinaTime(row.submittedAt)}</span>
                <span>办理状态：<span class="status ${row.status === 'correction_requested' ? 'correction' : ''}">${row.statusLabel}</span></span>
                ${row.status === 'correction_requested' ? this.renderCorrection(row) : nothing}
              </li>`,
            )}
          </ul>`}
      <button class="secondary" type="button" @click=${() => navigate(this, routes.myData)}>我的信息</button>
      <button class="secondary" type="button" @click=${() => navigate(this, routes.service)}>返回首页</button>
    `;
  }

  /** 需补正: the reviewer's notes, and the way back to the form with them. */
  private renderCorrection(row: ApplicationRow) {
    return html`${correctionList(row.corrections)}
      <button class="primary" type="button" aria-describedby=${`number-${row.submissionId}`}
        @click=${() => navigate(this, correctionRoute(row.submissionId))}>补正</button>`;
  }
}

customElements.define('my-applications-page', MyApplicationsPage);

declare global {
  interface HTMLElementTagNameMap {
    'my-applications-page': MyApplicationsPage;
  }
}
