import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { live } from 'lit/directives/live.js';
import type { Queue, QueueFilter, QueueItem } from '../../../shared/api/review.ts';
import { formatChinaTime } from '../../../shared/china-time.ts';
import { codeLists, nameOf } from '../../../shared/code-lists.ts';
import { SUBMISSION_STATUSES, type SubmissionStatus, submissionStatusLabels } from '../../../shared/submission-status.ts';
import { formFieldStyles, textField } from '../../components/form-field.ts';
import { LiveAnnouncer } from '../../components/live-announcer.ts';
import { navigate } from '../../navigation.ts';
import { theme } from '../../styles/theme.ts';
import { signedOut } from '../session-events.ts';
import { type StaffClient, staffClient } from '../staff-client.ts';
import { detailRoute, queueRoute } from '../staff-routes.ts';
import { staffStyles } from '../staff-styles.ts';
import { deadlineClock } from './deadline-clock.ts';
import { filterOfSearch, sameFilter } from './queue-filter.ts';

type TextFilter = 'from' | 'to' | 'province' | 'enterprise';

const TEXT_FILTERS: readonly { key: TextFilter; label: string; type?: 'date' }[] = [
  { key: 'from', label: '提交日期自', type: 'date' },
  { key: 'to', label: '提交日期至', type: 'date' },
  { key: 'province', label: '工商注册省份' },
  { key: 'enterprise', label: '企业名称或统一社会信用代码' },
];

/** Names of specialty codes, as the application's code list has them. */
export const specialtyNames = (codes: readonly string[]) => codes.map((code) => nameOf(codeLists.specialties, code) ?? code).join('、');

/**
 * 申请列表 of reviewers and admins: filters (status, dates, province, enterprise, specialty), counts per
 * status, deadline clocks, a page at a time, and the CSV of the same filters. The filters asked with
 * live in the address (`search`, given by the console), so reload and back/forward keep them.
 */
export class StaffQueuePage extends LitElement {
  static override properties = {
    search: { attribute: false },
    filter: { state: true },
    queue: { state: true },
    error: { state: true },
  };
  /** The address's query (`?status=…&from=…`). */
  declare search: string;
  /** The filters as typed; `applied` is what the shown list was asked with. */
  declare filter: QueueFilter;
  declare queue: Queue | undefined;
  declare error: string;
  client: StaffClient = staffClient;
  private applied: QueueFilter = {};
  private asked = false;
  /** Cursors of the pages before this one, for 上一页. */
  private cursors: (string | undefined)[] = [];
  private currentCursor: string | undefined;
  private readonly announcer = new LiveAnnouncer(this);

  static override styles = [
    theme,
    formFieldStyles,
    staffStyles,
    css`
      ul.counts { list-style: none; padding: 0; margin: 1em 0; gap: 0.5em; }
      .applicant { white-space: nowrap; }
    `,
  ];

  constructor() {
    super();
    this.search = '';
    this.filter = {};
    this.queue = undefined;
    this.error = '';
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (!changed.has('search')) return;
    const filter = filterOfSearch(this.search);
    // 查询 puts its filters in the address itself; only another address (reload, back/forward) asks again.
    if (this.asked && sameFilter(filter, this.applied)) return;
    this.filter = { ...filter };
    this.ask(filter);
  }

  private ask(filter: QueueFilter) {
    this.asked = true;
    this.applied = filter;
    this.cursors = [];
    this.currentCursor = undefined;
    void this.load();
  }

  private async load(cursor?: string) {
    const answer = await this.client.queue(this.applied, cursor);
    if (!answer.ok) {
      if (answer.status === 401) return signedOut(this);
      this.error = answer.error;
      return;
    }
    this.error = '';
    this.queue = answer.data;
    void this.announcer.say(`共显示 ${answer.data.submissions.length} 件申请`);
  }

  private set(key: keyof QueueFilter, value: string) {
    const next = { ...this.filter };
    if (value.trim()) (next as Record<string, string>)[key] = value.trim();
    else delete next[key];
    this.filter = next;
  }

  private applyFilters(event?: Event) {
    event?.preventDefault();
    this.ask({ ...this.filter });
    const route = queueRoute(this.applied);
    // Asking again with the same filters refreshes the list without another history entry.
    if (route !== queueRoute(filterOfSearch(this.search))) navigate(this, route);
  }

  private byStatus(status: SubmissionStatus | undefined) {
    this.set('status', status ?? '');
    this.applyFilters();
  }

  private next() {
    const cursor = this.queue?.nextCursor;
    if (!cursor) return;
    this.cursors.push(this.currentCursor);
    this.currentCursor = cursor;
    void this.load(cursor);
  }

  private previous() {
    this.currentCursor = this.cursors.pop();
    void this.load(this.currentCursor);
  }

  private renderFilters() {
    return html`<form class="card" novalidate aria-label="筛选条件" @submit=${this.applyFilters}>
      <div class="row">
        <div class="field">
          <label for="status">办理状态</label>
          <select id="status" @change=${(e: Event) => this.set('status', (e.target as HTMLSelectElement).value)}>
            <option value="" .selected=${live(!this.filter.status)}>全部</option>
            ${SUBMISSION_STATUSES.map(
              (status) => html`<option value=${status} .selected=${live(this.filter.status === status)}>${submissionStatusLabels[status]}</option>`,
            )}
          </select>
        </div>
        ${TEXT_FILTERS.map((item) =>
          textField({
            id: item.key,
            label: item.label,
            value: this.filter[item.key] ?? '',
            required: false,
            ...(item.type ? { type: item.type } : {}),
            onInput: (value) => this.set(item.key, value),
          }),
        )}
        <div class="field">
          <label for="specialty">申请注册专业</label>
          <select id="specialty" @change=${(e: Event) => this.set('specialty', (e.target as HTMLSelectElement).value)}>
            <option value="" .selected=${live(!this.filter.specialty)}>全部</option>
            ${codeLists.specialties.map(
              (item) => html`<option value=${item.code} .selected=${live(this.filter.specialty === item.code)}>${item.name}</option>`,
            )}
          </select>
        </div>
        <button class="primary inline" type="submit">查询</button>
        <a href=${this.client.csvUrl(this.applied)} download>导出 CSV（当前筛选条件）</a>
      </div>
    </form>`;
  }

  private renderCounts(counts: Queue['counts']) {
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    return html`<nav aria-label="按状态统计">
      <ul class="counts row" role="list">
        <li><button type="button" class="plain" aria-pressed=${String(!this.applied.status)} @click=${() => this.byStatus(undefined)}>
          全部 ${total}
        </button></li>
        ${SUBMISSION_STATUSES.filter((status) => counts[status]).map(
          (status) => html`<li><button type="button" class="plain" aria-pressed=${String(this.applied.status === status)}
            @click=${() => this.byStatus(status)}>${submissionStatusLabels[status]} ${counts[status]}</button></li>`,
        )}
      </ul>
    </nav>`;
  }

  private renderRow(item: QueueItem) {
    return html`<tr>
      <td><a href=${detailRoute(item.id)}>${item.receiptNumber}</a></td>
      <td class="applicant">${item.name}</td>
      <td>${item.enterprise.name}<br /><span class="muted">${item.enterprise.province}</span></td>
      <td>${specialtyNames(item.specialties)}</td>
      <td>${formatChinaTime(item.submittedAt)}</td>
      <td>${item.statusLabel}${item.version > 1 ? html`<br /><span class="muted">第 ${item.version} 版</span>` : nothing}</td>
      <td>${deadlineClock(item.deadline)}</td>
    </tr>`;
  }

  private renderList(queue: Queue) {
    if (!queue.submissions.length) return html`<p>没有符合条件的申请。</p>`;
    return html`<table>
        <caption>申请列表</caption>
        <thead><tr>
          <th scope="col">受理回执编号</th><th scope="col" class="applicant">申请人</th><th scope="col">聘用单位</th><th scope="col">申请注册专业</th>
          <th scope="col">提交时间</th><th scope="col">状态</th><th scope="col">办理期限</th>
        </tr></thead>
        <tbody>${queue.submissions.map((item) => this.renderRow(item))}</tbody>
      </table>
      <div class="row">
        ${this.cursors.length ? html`<button type="button" class="plain" @click=${this.previous}>上一页</button>` : nothing}
        ${queue.nextCursor ? html`<button type="button" class="plain" @click=${this.next}>下一页</button>` : nothing}
      </div>`;
  }

  override render() {
    return html`<h1>申请办理</h1>
      ${this.renderFilters()}
      ${this.error ? html`<p class="form-error" role="alert">${this.error}</p>` : nothing}
      ${this.queue ? html`${this.renderCounts(this.queue.counts)}${this.renderList(this.queue)}` : html`<p>正在加载…</p>`}
      <p class="visually-hidden" role="status" aria-live="polite">${this.announcer.text}</p>`;
  }
}

customElements.define('staff-queue-page', StaffQueuePage);

declare global {
  interface HTMLElementTagNameMap {
    'staff-queue-page': StaffQueuePage;
  }
}
