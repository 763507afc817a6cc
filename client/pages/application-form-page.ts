import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { AGE_LIMIT_MESSAGE, isOverAgeLimit } from '../../shared/age.ts';
import type { Correction } from '../../shared/api/submissions.ts';
import type { ApplicationTopField } from '../../shared/application-fields.ts';
import { applicationProblems, checkSubmission } from '../../shared/application-problems.ts';
import { SERVICE_ITEM_CODE, SERVICE_TITLE } from '../../shared/service.ts';
import { formFieldStyles } from '../components/form-field.ts';
import '../components/outbox-status.ts';
import '../components/step-indicator.ts';
import '../components/storage-persistence-notice.ts';
import '../components/sync-status.ts';
import type { DraftStore, PersistenceAnswer } from '../data/draft-store.ts';
import { type LocalDb, localDb } from '../data/local-db.ts';
import { navigate, receiptRoute, routes } from '../navigation.ts';
import { type NetClient, net } from '../net/api-client.ts';
import { theme } from '../styles/theme.ts';
import { DraftSync } from '../sync/draft-sync.ts';
import { type OutboxScheduler, outboxScheduler } from '../sync/outbox-scheduler.ts';
import { SubmissionController } from '../sync/submission-controller.ts';
import './application-form/attachments-section.ts';
import './application-form/basic-section.ts';
import './application-form/commitment-section.ts';
import { correctionOfRoute } from './application-form/correction-draft.ts';
import { notesByField } from './application-form/correction-summary.ts';
import './application-form/enterprise-section.ts';
import { DraftEdits } from './application-form/draft-edits.ts';
import { FormFeedback } from './application-form/form-feedback.ts';
import { openApplicationForm, type SessionAccount } from './application-form/form-opening.ts';
import { applicationFormStyles } from './application-form/form-styles.ts';
import { storageFullNotice } from './application-form/storage-full.ts';
import './application-form/specialty-section.ts';

export type { SessionAccount } from './application-form/form-opening.ts';

export const QUEUE_FAILED_MESSAGE = '无法在本机保存待提交的申请，请检查浏览器的存储空间后重试。';
export const WITHDRAWN_MESSAGE = '已撤回，可以继续修改。修改后请再次点击“下一步”。';
export const WITHDRAW_REFUSED_MESSAGE = '申请正在提交，暂时不能撤回。';
export const LOCKED_NOTE = '此申请正在等待提交，提交前不能修改。如需修改，请点击“撤回，继续修改”。';
const OFFLINE_DRAFT_NOTICE = '当前网络不可用，显示的是本机保存的内容，可继续填写。';

type Phase = 'loading' | 'signed-out' | 'face-required' | 'failed' | 'ready';

/**
 * 申报信息 (step 2 of 3): the application form. Every change is kept on the device at once (the draft
 * store); 下一步 checks the application on the device and hands it to the outbox (through the
 * submission controller), online or not. While it waits there the form is locked (撤回 unlocks it); a
 * rejection brings the issues back to the fields, a receipt leads on to 申报告知.
 */
export class ApplicationFormPage extends LitElement {
  static override properties = {
    account: { attribute: false },
    correction: { attribute: false },
    db: { attribute: false },
    net: { attribute: false },
    scheduler: { attribute: false },
    draftSync: { attribute: false },
    phase: { state: true },
    failure: { state: true },
    submitting: { state: true },
    notice: { state: true },
    persistence: { state: true },
  };

  /** The signed-in person; fetched from GET /api/session when not given. */
  declare account: SessionAccount | undefined;
  /** The submission whose 补正 this form is (default: the address's `?correction=`); undefined: a new application. */
  declare correction: string | undefined;
  /** The device database (tests give their own). */
  declare db: LocalDb | undefined;
  /** The network for opening a 补正 (tests give one over a fake server). */
  declare net: NetClient;
  /** Sends the outbox (tests give one on their own database and network). */
  declare scheduler: OutboxScheduler;
  /** Syncs the draft with the server's copy (tests give one on their own database and network). */
  declare draftSync: DraftSync | undefined;
  declare private phase: Phase;
  declare private failure: string;
  declare private submitting: boolean;
  declare private notice: string;
  /** Whether the browser keeps this device's data (explained when it does not). */
  declare private persistence: PersistenceAnswer | undefined;

  /** Resolves once the form shows (or a reason it cannot). */
  loaded: Promise<void> = Promise.resolve();
  private store: DraftStore | undefined;
  private readonly feedback = new FormFeedback(this);
  private readonly edits = new DraftEdits(this, () => this.store, this.feedback);
  private readonly submission = new SubmissionController(this, { db: () => this.database, scheduler: () => this.scheduler });
  /** The 补正 notes by field, made again only when the corrections change (not on every keystroke). */
  private notes: { of: readonly Correction[] | undefined; byField: Map<ApplicationTopField, string> } = { of: undefined, byField: new Map() };

  static override styles = [theme, formFieldStyles, applicationFormStyles];

  constructor() {
    super();
    this.account = undefined;
    this.correction = undefined;
    this.db = undefined;
    this.net = net;
    this.scheduler = outboxScheduler;
    this.draftSync = undefined;
    this.phase = 'loading';
    this.failure = '';
    this.submitting = false;
    this.notice = '';
    this.persistence = undefined;
    this.submission.onRejected = (item) => this.feedback.rejected(item);
    this.submission.onCompleted = (receipt) => {
      // Completion is the outbox's (draft retired with the receipt): the store only stops, writing nothing.
      this.store?.close();
      this.store = undefined;
      navigate(this, receiptRoute(receipt.submissionId), true);
    };
  }

  override connectedCallback() {
    super.connectedCallback();
    if (!this.store) this.loaded = this.start();
    // What the receipt screen needs comes while the person types: after 下一步 only the application
    // itself crosses a slow link. Failures cost nothing; the receipt screen fetches them again.
    void import('./receipt-page.ts').catch(() => undefined);
    void import('../data/receipt-verification.ts')
      .then(({ keepPublishedKeysAhead, keepVerifierAhead }) => Promise.all([keepPublishedKeysAhead(), keepVerifierAhead()]))
      .catch(() => undefined);
  }

  override disconnectedCallback() {
    this.draftSync?.detach();
    this.store?.dispose();
    this.store = undefined;
    this.phase = 'loading';
    super.disconnectedCallback();
  }

  private get database(): LocalDb {
    return this.db ?? localDb();
  }

  private async start(): Promise<void> {
    this.phase = 'loading';
    this.draftSync ??= new DraftSync(this.database);
    const sync = this.draftSync;
    const opening = { given: this.account, correction: this.correction ?? correctionOfRoute(location.search), net: this.net };
    const opened = await openApplicationForm(this.database, sync, opening);
    if (opened.phase !== 'ready') {
      if (opened.phase === 'failed') this.failure = opened.failure;
      this.phase = opened.phase;
      return;
    }
    const { account, store, offline } = opened;
    if (!this.isConnected) return store.dispose();
    this.account = account;
    this.store = store;
    this.notice = offline ? OFFLINE_DRAFT_NOTICE : '';
    store.addEventListener('statechange', () => this.requestUpdate());
    store.addEventListener('remotechange', () => {
      // Merged with the server's copy; joined to the account's server draft, the id changes (and the
      // outbox item follows it).
      if (store === this.store) this.submission.watch(account.id, store.id);
      this.requestUpdate();
    });
    void store.persistence.then((answer) => { this.persistence = answer; });
    if (!store.record.correctionOf) sync.attach(store); // a 补正 stays on the device: the server has what it corrects
    this.submission.watch(account.id, store.id);
    this.phase = 'ready';
    // Signed in again after the server refused a queued submission for want of it: send it now.
    if (!offline) await this.submission.resumeAfterSignIn(account.id, account.faceVerified).catch(() => undefined);
  }

  private get overAge(): boolean {
    const birthDate = this.account?.birthDate;
    return birthDate !== undefined && isOverAgeLimit(birthDate);
  }

  // ---- submission ----

  private onSubmit(event: Event) {
    event.preventDefault();
    void this.submit();
  }

  /**
   * What 下一步 does: check everything on the device, then always go through the outbox (online or
   * not). The outcome arrives through the submission controller (onRejected / onCompleted).
   */
  async submit(): Promise<void> {
    const store = this.store;
    if (!store || this.submitting || this.submission.busy || this.overAge || this.submission.locked) return;
    this.feedback.attempt();
    const check = checkSubmission(store.application);
    if (!check.ok) return this.feedback.reportInvalid(check.problems.keys());
    this.feedback.quiet();
    this.submitting = true;
    const queued = await this.submission.submitDraft(store, check.submission);
    this.submitting = false;
    if (!queued) await this.feedback.say(QUEUE_FAILED_MESSAGE, true);
  }

  /** 撤回，继续修改: only while it waits; once being sent the server may be storing it. */
  private async withdraw() {
    const withdrawn = await this.submission.withdraw().catch(() => false);
    await this.feedback.say(withdrawn ? WITHDRAWN_MESSAGE : WITHDRAW_REFUSED_MESSAGE, !withdrawn);
  }

  // ---- rendering ----

  private renderForm(store: DraftStore) {
    const errors = this.feedback.errors.visible(applicationProblems(store.application));
    const { values, photo, signature, correctionOf } = store.record;
    const corrections = correctionOf?.corrections;
    if (corrections !== this.notes.of) this.notes = { of: corrections, byField: notesByField(corrections ?? []) };
    const notes = this.notes.byField;
    const { item, locked } = this.submission;
    const overAge = this.overAge;
    return html`
      ${overAge ? html`<p class="form-error" role="alert">${AGE_LIMIT_MESSAGE}</p>` : nothing}
      ${this.notice ? html`<p class="hint">${this.notice}</p>` : nothing}
      <storage-persistence-notice .answer=${this.persistence}></storage-persistence-notice>
      ${storageFullNotice(store, () => void this.edits.useSmallerPhoto())}
      ${locked ? html`<p class="hint" id="locked-note">${LOCKED_NOTE}</p>` : nothing}
      <correction-summary .corrections=${correctionOf?.corrections ?? []}></correction-summary>
      <form novalidate @submit=${this.onSubmit}>
        <div class="sections" ?inert=${locked} @field-edit=${this.edits.onEdit} @field-leave=${this.edits.onLeave}>
          <application-basic-section .values=${values} .errors=${errors} .notes=${notes}></application-basic-section>
          <application-enterprise-section .values=${values} .errors=${errors} .notes=${notes}></application-enterprise-section>
          <application-specialty-section .values=${values} .errors=${errors} .notes=${notes}></application-specialty-section>
          <application-attachments-section .values=${values} .errors=${errors} .notes=${notes} .photo=${photo} .signature=${signature}>
          </application-attachments-section>
          <application-commitment-section .values=${values} .errors=${errors} .notes=${notes} .note=${this.edits.commitmentNote}>
          </application-commitment-section>
        </div>
        ${this.feedback.render()}
        <div class="submit-bar">
          <outbox-status .item=${item} .progress=${this.submission.progress}></outbox-status>
          ${locked
            ? html`<button type="button" class="secondary withdraw" ?disabled=${item?.state === 'sending'} @click=${this.withdraw}>撤回，继续修改</button>`
            : nothing}
          <sync-status id="save-status" .source=${this.draftSync}></sync-status>
          <button class="primary" type="submit" ?disabled=${this.submitting || this.submission.busy || overAge || locked}>下一步</button>
        </div>
      </form>
    `;
  }

  private renderStop(message: TemplateResult, action: string, onClick: () => void) {
    return html`<div class="card blocker">
      ${message}
      <button class="primary" type="button" @click=${onClick}>${action}</button>
    </div>`;
  }

  private renderBody(): TemplateResult | typeof nothing {
    switch (this.phase) {
      case 'loading':
        return html`<p class="muted" role="status">正在加载…</p>`;
      case 'signed-out':
        return this.renderStop(html`<p role="alert">请先核验身份</p>`, '返回', () => navigate(this, routes.identity));
      case 'face-required':
        return this.renderStop(html`<p role="alert">请先完成人脸识别</p>`, '前往人脸识别', () => navigate(this, routes.face));
      case 'failed':
        return this.renderStop(html`<p class="error" role="alert">${this.failure}</p>`, '重试', () => {
          this.loaded = this.start();
        });
      default:
        return this.store ? this.renderForm(this.store) : nothing;
    }
  }

  override render() {
    return html`
      <h1>${SERVICE_TITLE}</h1>
      <p class="code">事项编码：${SERVICE_ITEM_CODE}</p>
      <step-indicator current="2"></step-indicator>
      ${this.renderBody()}
    `;
  }
}

customElements.define('application-form-page', ApplicationFormPage);

declare global {
  interface HTMLElementTagNameMap {
    'application-form-page': ApplicationFormPage;
  }
}
