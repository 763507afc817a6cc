import { css, html, LitElement, nothing } from 'lit';
import type { HistoryEntry, StaffSubmissionDetail } from '../../../shared/api/review.ts';
import { fieldLabel } from '../../../shared/application-fields.ts';
import { formatChinaTime } from '../../../shared/china-time.ts';
import { theme } from '../../styles/theme.ts';
import { deadlineClock } from '../queue/deadline-clock.ts';
import { signedOut } from '../session-events.ts';
import { type StaffClient, staffClient } from '../staff-client.ts';
import { staffRoutes } from '../staff-routes.ts';
import { staffStyles } from '../staff-styles.ts';
import { diffVersions, fieldRows } from './application-view.ts';
import './decision-panel.ts';

/**
 * One application for a reviewer: its fields with photo and signature, the deadlines, a comparison of
 * any two versions field by field, its history, and the decisions its status allows.
 */
export class StaffDetailPage extends LitElement {
  static override properties = {
    submissionId: { type: String },
    detail: { state: true },
    error: { state: true },
    compareFrom: { state: true },
  };
  declare submissionId: string;
  declare detail: StaffSubmissionDetail | undefined;
  declare error: string;
  /** The older version in the comparison (the newer is the current one). */
  declare compareFrom: number | undefined;
  client: StaffClient = staffClient;

  static override styles = [
    theme,
    staffStyles,
    css`
      .pictures { display: flex; gap: 24px; flex-wrap: wrap; }
      .pictures figure { margin: 0; }
      .pictures img { display: block; border: 1px solid var(--border, #d7dde5); background: #fff; max-height: 220px; }
      .columns { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 24px; align-items: start; }
      dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25em 1em; margin: 0; }
      dl.facts dt { color: var(--muted, #56606d); }
      dl.facts dd { margin: 0; }
      ol.history { margin: 0; padding-left: 1.25em; }
      ol.history li { margin: 0 0 0.5em; }
    `,
  ];

  constructor() {
    super();
    this.submissionId = '';
    this.detail = undefined;
    this.error = '';
    this.compareFrom = undefined;
  }

  override willUpdate(changed: Map<PropertyKey, unknown>) {
    if (changed.has('submissionId') && this.submissionId) void this.load();
  }

  private async load() {
    const answer = await this.client.detail(this.submissionId);
    if (!answer.ok) {
      if (answer.status === 401) return signedOut(this);
      this.error = answer.error;
      return;
    }
    this.error = '';
    this.detail = answer.data;
    const versions = answer.data.versions;
    this.compareFrom = versions.length > 1 ? versions[versions.length - 2]?.version : undefined;
  }

  private renderPictures(detail: StaffSubmissionDetail) {
    return html`<section class="card" aria-labelledby="pictures-title">
      <h2 id="pictures-title">照片与签名</h2>
      <div class="pictures">
        <figure><img src=${detail.attachments.photo} alt="申请人的一寸免冠照片" width="165" height="220" /><figcaption>一寸免冠照片</figcaption></figure>
        <figure><img src=${detail.attachments.signature} alt="申请人的签名" height="120" /><figcaption>签名</figcaption></figure>
      </div>
    </section>`;
  }

  private renderFields(detail: StaffSubmissionDetail) {
    return html`<table>
      <caption>申报信息（第 ${detail.version} 版）</caption>
      <tbody>${fieldRows(detail.application).map((row) => html`<tr><th scope="row">${row.label}</th><td>${row.value}</td></tr>`)}</tbody>
    </table>`;
  }

  private renderDiff(detail: StaffSubmissionDetail) {
    if (detail.versions.length < 2 || this.compareFrom === undefined) return nothing;
    const from = detail.versions.find((item) => item.version === this.compareFrom);
    const current = detail.versions[detail.versions.length - 1];
    if (!from || !current) return nothing;
    const rows = diffVersions(from.application, current.application);
    const changed = rows.filter((row) => row.changed).length;
    return html`<section class="card" aria-labelledby="diff-title">
      <h2 id="diff-title">版本比较</h2>
      <label for="compare-from">与第几版比较</label>
      <select id="compare-from" @change=${(e: Event) => (this.compareFrom = Number((e.target as HTMLSelectElement).value))}>
        ${detail.versions.slice(0, -1).map(
          (item) => html`<option value=${item.version} ?selected=${item.version === this.compareFrom}>第 ${item.version} 版</option>`,
        )}
      </select>
      <p>共有 ${changed} 项不同。</p>
      <table>
        <caption>第 ${from.version} 版与第 ${current.version} 版</caption>
        <thead><tr><th scope="col">字段</th><th scope="col">第 ${from.version} 版</th><th scope="col">第 ${current.version} 版</th><th scope="col">是否修改</th></tr></thead>
        <tbody>${rows.map(
          (row) => html`<tr class=${row.changed ? 'changed' : ''}>
            <th scope="row">${row.label}</th><td>${row.before}</td><td>${row.after}</td><td>${row.changed ? '已修改' : '未修改'}</td>
          </tr>`,
        )}</tbody>
      </table>
    </section>`;
  }

  private renderHistoryEntry(entry: HistoryEntry) {
    return html`<li>
      <strong>${entry.statusLabel}</strong>（第 ${entry.version} 版） <span class="muted">${formatChinaTime(entry.at)}</span>
      ${entry.reason ? html`<br />理由：${entry.reason}` : nothing}
      ${entry.corrections?.length
        ? html`<ul>${entry.corrections.map((item) => html`<li>${fieldLabel(item.field)}：${item.note}</li>`)}</ul>`
        : nothing}
    </li>`;
  }

  private renderSide(detail: StaffSubmissionDetail) {
    return html`<div>
      <section class="card" aria-labelledby="facts-title">
        <h2 id="facts-title">办理情况</h2>
        <dl class="facts">
          <dt>受理回执编号</dt><dd>${detail.receiptNumber}</dd>
          <dt>状态</dt><dd>${detail.statusLabel}</dd>
          <dt>当前版本</dt><dd>第 ${detail.version} 版</dd>
          <dt>首次提交</dt><dd>${formatChinaTime(detail.submittedAt)}</dd>
          ${detail.deadlines.map((deadline) => html`<dt>${deadline.current ? '当前期限' : '期限'}</dt><dd>${deadlineClock(deadline)}</dd>`)}
        </dl>
      </section>
      <decision-panel .client=${this.client} .detail=${detail} @decided=${() => this.load()}></decision-panel>
      <section class="card" aria-labelledby="history-title">
        <h2 id="history-title">办理经过</h2>
        <ol class="history">${detail.history.map((entry) => this.renderHistoryEntry(entry))}</ol>
      </section>
    </div>`;
  }

  override render() {
    const back = html`<p><a href=${staffRoutes.queue}>返回申请列表</a></p>`;
    if (this.error) return html`${back}<p class="form-error" role="alert">${this.error}</p>`;
    const detail = this.detail;
    if (!detail) return html`${back}<p role="status">正在加载…</p>`;
    return html`${back}
      <h1>${detail.name} 的注册申请</h1>
      <div class="columns">
        <div>${this.renderPictures(detail)}${this.renderFields(detail)}${this.renderDiff(detail)}</div>
        ${this.renderSide(detail)}
      </div>`;
  }
}

customElements.define('staff-detail-page', StaffDetailPage);

declare global {
  interface HTMLElementTagNameMap {
    'staff-detail-page': StaffDetailPage;
  }
}
