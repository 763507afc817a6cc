import { html, LitElement, nothing } from 'lit';
import { CORRECTABLE_FIELDS, type DecisionBody, type StaffSubmissionDetail } from '../../../shared/api/review.ts';
import { fieldLabel } from '../../../shared/application-fields.ts';
import { availableSteps, checkStep, REVIEW_DECISION_LABELS, type ReviewDecision } from '../../../shared/review/workflow.ts';
import { isSubmissionStatus, type SubmissionStatus } from '../../../shared/submission-status.ts';
import { formFieldStyles } from '../../components/form-field.ts';
import { LiveAnnouncer } from '../../components/live-announcer.ts';
import { theme } from '../../styles/theme.ts';
import { type StaffClient, staffClient } from '../staff-client.ts';
import { staffStyles } from '../staff-styles.ts';

export const DECISION_LABELS = REVIEW_DECISION_LABELS;

type Correction = NonNullable<DecisionBody['corrections']>[number];

interface NoteRow {
  field: string;
  note: string;
}

/**
 * 办理: only the decisions the workflow allows from the application's status (shared/review/workflow.ts),
 * each confirmed in a small form asking what that step needs — a reason, or 补正 notes per field, all at once.
 */
export class DecisionPanel extends LitElement {
  static override properties = {
    detail: { attribute: false },
    chosen: { state: true },
    reason: { state: true },
    notes: { state: true },
    error: { state: true },
    sending: { state: true },
  };
  declare detail: StaffSubmissionDetail | undefined;
  declare chosen: ReviewDecision | undefined;
  declare reason: string;
  declare notes: NoteRow[];
  declare error: string;
  declare sending: boolean;
  client: StaffClient = staffClient;
  private readonly announcer = new LiveAnnouncer(this);

  static override styles = [theme, formFieldStyles, staffStyles];

  constructor() {
    super();
    this.detail = undefined;
    this.chosen = undefined;
    this.reset();
    this.sending = false;
  }

  private reset() {
    this.reason = '';
    this.notes = [{ field: '', note: '' }];
    this.error = '';
  }

  /** A status this build does not know (a newer server) offers nothing to decide. */
  private get status(): SubmissionStatus | undefined {
    const status = this.detail?.status;
    return isSubmissionStatus(status) ? status : undefined;
  }

  private decisions(): ReviewDecision[] {
    if (!this.status) return [];
    return availableSteps(this.status, 'reviewer').flatMap((step) => (step.by === 'reviewer' ? [step.action] : []));
  }

  /** What the step asks for, by the workflow's own check of an empty decision. */
  private needs(decision: ReviewDecision): 'reason' | 'corrections' | undefined {
    if (!this.status) return undefined;
    const check = checkStep(this.status, { by: 'reviewer', action: decision });
    if (check.ok) return undefined;
    return check.reason === 'reason-required' ? 'reason' : check.reason === 'corrections-required' ? 'corrections' : undefined;
  }

  private async choose(decision: ReviewDecision) {
    this.chosen = decision;
    this.reset();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#decision-form textarea, #decision-form select, #decision-form button')?.focus();
  }

  private setNote(index: number, change: Partial<NoteRow>) {
    this.notes = this.notes.map((row, i) => (i === index ? { ...row, ...change } : row));
  }

  private async submit(event: Event) {
    event.preventDefault();
    const detail = this.detail;
    const decision = this.chosen;
    const status = this.status;
    if (!detail || !status || !decision || this.sending) return;
    const corrections = this.notes
      .filter((row) => row.field && row.note.trim())
      .map((row) => ({ field: row.field, note: row.note.trim() }) as Correction);
    const check = checkStep(status, { by: 'reviewer', action: decision }, { reason: this.reason, corrections });
    if (!check.ok) {
      this.error = check.reason === 'corrections-required' ? '请至少写明一项需要补正的内容（选择字段并填写意见）' : '请填写理由';
      void this.announcer.say(this.error);
      return;
    }
    this.sending = true;
    const answer = await this.client.decide(detail.id, {
      decision,
      version: detail.version,
      ...(this.reason.trim() ? { reason: this.reason.trim() } : {}),
      ...(corrections.length ? { corrections } : {}),
    });
    this.sending = false;
    if (!answer.ok) {
      this.error = answer.issues[0]?.message ?? answer.error;
      void this.announcer.say(this.error);
      return;
    }
    void this.announcer.say(`已办理：${DECISION_LABELS[decision]}。当前状态：${answer.data.statusLabel}`);
    this.chosen = undefined;
    this.dispatchEvent(new CustomEvent('decided', { detail: answer.data }));
  }

  private renderNotes() {
    const used = new Set(this.notes.map((row) => row.field));
    return html`<fieldset>
      <legend>补正意见（一次性告知，每个字段一条）</legend>
      ${this.notes.map(
        (row, index) => html`<div class="row">
          <div class="field">
            <label for=${`note-field-${index}`}>需补正的字段 ${index + 1}</label>
            <select id=${`note-field-${index}`} @change=${(e: Event) => this.setNote(index, { field: (e.target as HTMLSelectElement).value })}>
              <option value="" ?selected=${row.field === ''}>请选择</option>
              ${CORRECTABLE_FIELDS.filter((field) => field === row.field || !used.has(field)).map(
                (field) => html`<option value=${field} ?selected=${row.field === field}>${fieldLabel(field)}</option>`,
              )}
            </select>
          </div>
          <div class="field" style="flex: 1">
            <label for=${`note-text-${index}`}>补正意见 ${index + 1}</label>
            <textarea id=${`note-text-${index}`} .value=${row.note}
              @input=${(e: Event) => this.setNote(index, { note: (e.target as HTMLTextAreaElement).value })}></textarea>
          </div>
          ${this.notes.length > 1
            ? html`<button type="button" class="plain" @click=${() => (this.notes = this.notes.filter((_, i) => i !== index))}>删除第 ${index + 1} 条</button>`
            : nothing}
        </div>`,
      )}
      <button type="button" class="plain" @click=${() => (this.notes = [...this.notes, { field: '', note: '' }])}>增加一条补正意见</button>
    </fieldset>`;
  }

  private renderForm(decision: ReviewDecision) {
    const needs = this.needs(decision);
    return html`<form id="decision-form" novalidate @submit=${this.submit} aria-labelledby="decision-form-title">
      <h3 id="decision-form-title">${DECISION_LABELS[decision]}</h3>
      ${needs === 'reason'
        ? html`<div class="field"><label for="reason">理由</label><textarea id="reason" .value=${this.reason}
            @input=${(e: Event) => (this.reason = (e.target as HTMLTextAreaElement).value)}></textarea></div>`
        : nothing}
      ${needs === 'corrections' ? this.renderNotes() : nothing}
      <div class="form-error" role="alert">${this.error}</div>
      <div class="row">
        <button class="primary inline" type="submit" aria-disabled=${String(this.sending)}>${this.sending ? '正在提交…' : `确认${DECISION_LABELS[decision]}`}</button>
        <button class="plain" type="button" @click=${() => (this.chosen = undefined)}>取消</button>
      </div>
    </form>`;
  }

  override render() {
    const decisions = this.decisions();
    return html`<section class="card" aria-labelledby="decide-title">
      <h2 id="decide-title">办理</h2>
      ${decisions.length
        ? html`<div class="row" role="group" aria-label="可作出的决定">
            ${decisions.map(
              (decision) => html`<button type="button" class="secondary" aria-pressed=${String(this.chosen === decision)}
                @click=${() => this.choose(decision)}>${DECISION_LABELS[decision]}</button>`,
            )}
          </div>`
        : html`<p class="muted">该申请当前的状态无需工作人员办理。</p>`}
      ${this.chosen ? this.renderForm(this.chosen) : nothing}
      <p class="visually-hidden" role="status" aria-live="polite">${this.announcer.text}</p>
    </section>`;
  }
}

customElements.define('decision-panel', DecisionPanel);

declare global {
  interface HTMLElementTagNameMap {
    'decision-panel': DecisionPanel;
  }
}
