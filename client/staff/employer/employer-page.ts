import { html, LitElement, nothing } from 'lit';
import type { EmployerItem } from '../../../shared/api/review.ts';
import { checkStep } from '../../../shared/review/workflow.ts';
import { isSubmissionStatus } from '../../../shared/submission-status.ts';
import { formFieldStyles } from '../../components/form-field.ts';
import { LiveAnnouncer } from '../../components/live-announcer.ts';
import { maskIdNumber } from '../../components/account-field-rules.ts';
import { formatChinaTime } from '../../../shared/china-time.ts';
import { theme } from '../../styles/theme.ts';
import { specialtyNames } from '../queue/staff-queue-page.ts';
import { signedOut } from '../session-events.ts';
import { type StaffClient, staffClient } from '../staff-client.ts';
import { staffStyles } from '../staff-styles.ts';

/**
 * 聘用单位确认: the applications naming this employer, and for each still waiting, 确认 or 不确认
 * (with a reason) that the applicant works here.
 */
export class EmployerPage extends LitElement {
  static override properties = {
    items: { state: true },
    error: { state: true },
    declining: { state: true },
    reason: { state: true },
  };
  declare items: EmployerItem[] | undefined;
  declare error: string;
  /** The application whose 不确认 is being written. */
  declare declining: string | undefined;
  declare reason: string;
  client: StaffClient = staffClient;
  private readonly announcer = new LiveAnnouncer(this);

  static override styles = [theme, formFieldStyles, staffStyles];

  constructor() {
    super();
    this.items = undefined;
    this.error = '';
    this.declining = undefined;
    this.reason = '';
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    const answer = await this.client.employerList();
    if (!answer.ok) {
      if (answer.status === 401) return signedOut(this);
      this.error = answer.error;
      return;
    }
    this.items = answer.data.submissions;
  }

  private async answer(item: EmployerItem, confirmed: boolean) {
    const reason = this.reason.trim();
    if (!confirmed && isSubmissionStatus(item.status) && !checkStep(item.status, { by: 'employer', action: 'decline' }, { reason }).ok) {
      this.error = '请填写不予确认的理由';
      void this.announcer.say(this.error);
      return;
    }
    const answer = await this.client.confirm(item.id, confirmed ? { confirmed } : { confirmed, reason });
    if (!answer.ok) {
      this.error = answer.issues[0]?.message ?? answer.error;
      void this.announcer.say(this.error);
      return;
    }
    this.error = '';
    this.declining = undefined;
    this.reason = '';
    void this.announcer.say(`${item.name}的申请：${answer.data.statusLabel}`);
    await this.load();
  }

  private decline(event: Event, item: EmployerItem) {
    event.preventDefault();
    void this.answer(item, false);
  }

  private async startDeclining(item: EmployerItem) {
    this.declining = item.id;
    this.reason = '';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLTextAreaElement>('#decline-reason')?.focus();
  }

  private renderActions(item: EmployerItem) {
    if (!item.canConfirm) return html`<span class="muted">—</span>`;
    if (this.declining === item.id) {
      return html`<form novalidate @submit=${(e: Event) => this.decline(e, item)}>
        <div class="field"><label for="decline-reason">不予确认的理由</label>
          <textarea id="decline-reason" .value=${this.reason} @input=${(e: Event) => (this.reason = (e.target as HTMLTextAreaElement).value)}></textarea></div>
        <div class="row">
          <button class="primary inline" type="submit">提交不确认</button>
          <button class="plain" type="button" @click=${() => (this.declining = undefined)}>取消</button>
        </div>
      </form>`;
    }
    return html`<div class="row">
      <button type="button" class="secondary" @click=${() => this.answer(item, true)}>确认</button>
      <button type="button" class="plain" @click=${() => this.startDeclining(item)}>不确认</button>
    </div>`;
  }

  override render() {
    return html`<h1>本单位人员的注册申请</h1>
      <p class="muted">请核实申请人是否受聘于本单位：确认后申请交由审核人员办理；不确认须写明理由。</p>
      <div class="form-error" role="alert">${this.error}</div>
      ${this.items === undefined
        ? html`<p role="status">正在加载…</p>`
        : this.items.length === 0
          ? html`<p>暂无本单位人员的申请。</p>`
          : html`<table>
              <caption>申请列表</caption>
              <thead><tr><th scope="col">受理回执编号</th><th scope="col">申请人</th><th scope="col">证件号码</th>
                <th scope="col">申请注册专业</th><th scope="col">提交时间</th><th scope="col">状态</th><th scope="col">单位确认</th></tr></thead>
              <tbody>${this.items.map(
                (item) => html`<tr>
                  <td>${item.receiptNumber}</td><td>${item.name}</td><td>${maskIdNumber(item.idNumber)}</td>
                  <td>${specialtyNames(item.specialties)}</td><td>${formatChinaTime(item.submittedAt)}</td>
                  <td>${item.statusLabel}</td><td>${this.renderActions(item)}</td>
                </tr>`,
              )}</tbody>
            </table>`}
      ${nothing}
      <p class="visually-hidden" role="status" aria-live="polite">${this.announcer.text}</p>`;
  }
}

customElements.define('employer-page', EmployerPage);

declare global {
  interface HTMLElementTagNameMap {
    'employer-page': EmployerPage;
  }
}
