import { liveQuery, type Subscription } from 'dexie';
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import * as v from 'valibot';
import { AGE_LIMIT_MESSAGE, isOverAgeLimit } from '../../shared/age.ts';
import type { AccountView } from '../../shared/account.ts';
import { createSubmitSchema, draftSchema, issuesByField } from '../../shared/application-schema.ts';
import { todayIso } from '../../shared/calendar-date.ts';
import { type CodeList, codeLists } from '../../shared/code-lists.ts';
import type { CommitmentChoice } from '../../shared/commitment.ts';
import { birthDateFromId, type Sex, sexFromId } from '../../shared/resident-id.ts';
import { SERVICE_ITEM_CODE, SERVICE_TITLE } from '../../shared/service.ts';
import '../components/commitment-dialog.ts';
import { LiveAnnouncer } from '../components/live-announcer.ts';
import type { CommitmentChangeDetail, CommitmentDialog } from '../components/commitment-dialog.ts';
import '../components/enterprise-picker.ts';
import type { Enterprise, EnterpriseChangeDetail } from '../components/enterprise-picker.ts';
import { formFieldStyles } from '../components/form-field.ts';
import '../components/photo-tool.ts';
import type { PhotoChangeDetail } from '../components/photo-tool.ts';
import '../components/signature-pad.ts';
import type { SignatureChangeDetail } from '../components/signature-pad.ts';
import '../components/outbox-status.ts';
import '../components/step-indicator.ts';
import '../components/storage-persistence-notice.ts';
import '../components/sync-status.ts';
import { apiFetch, type FieldIssue } from '../data/api.ts';
import { DraftStore, type PersistenceAnswer } from '../data/draft-store.ts';
import { type DraftValues, type LocalDb, localDb, type OutboxRecord } from '../data/local-db.ts';
import { clearPendingIdentity } from '../data/pending-identity.ts';
import { enqueueSubmission, moveOutboxItems, outboxItemForDraft, resumeAfterSignIn, withdrawSubmission } from '../sync/outbox.ts';
import { type OutboxScheduler, outboxScheduler } from '../sync/outbox-scheduler.ts';
import { DraftSync } from '../sync/draft-sync.ts';
import {
  type DirectorySearch,
  ENTERPRISE_NOT_FOUND,
  matchTypedEnterprise,
  sameEnterpriseName,
  searchEnterpriseDirectory,
} from '../sync/enterprise-match.ts';
import { navigate, routes } from '../navigation.ts';
import { theme } from '../styles/theme.ts';

/** The signed-in person as GET /api/session reports them. */
export type SessionAccount = AccountView;

/** Every field of the form, in document order (the first invalid one gets the focus). */
export const FORM_FIELDS = [
  'name',
  'sex',
  'idType',
  'idNumber',
  'birthDate',
  'mobile',
  'ethnicity',
  'education',
  'degree',
  'school',
  'major',
  'graduationDate',
  'enterprise',
  'specialty1',
  'specialty2',
  'photo',
  'signature',
  'commitment',
] as const;
export type FormField = (typeof FORM_FIELDS)[number];

type TextKey = 'birthDate' | 'mobile' | 'school' | 'major' | 'graduationDate';
type CodeKey = 'ethnicity' | 'education' | 'degree' | 'specialty1' | 'specialty2';

export const QUEUE_FAILED_MESSAGE = '无法在本机保存待提交的申请，请检查浏览器的存储空间后重试。';
export const WITHDRAWN_MESSAGE = '已撤回，可以继续修改。修改后请再次点击“下一步”。';
export const WITHDRAW_REFUSED_MESSAGE = '申请正在提交，暂时不能撤回。';
export const LOCKED_NOTE = '此申请正在等待提交，提交前不能修改。如需修改，请点击“撤回，继续修改”。';
export const COMMITMENT_MESSAGE = '请阅读并作出承诺';
const COMMITMENT_RESET = '手机号码或受聘企业已变更，请重新查看承诺书并作出承诺';
const OFFLINE_DRAFT_NOTICE = '当前网络不可用，显示的是本机保存的内容，可继续填写。';
/** Offline with nothing on this device yet: the account (and so the form) needs the server once. */
const FIRST_OPEN_OFFLINE = '首次填写申报信息需要联网核验登录状态，请在网络恢复后点击“重试”。';
/** How long the form waits for the account's server drafts before showing what the device has. */
const PULL_WAIT_MS = 3000;
/** Stands in for an attachment id while validating on the device: only the Blob's presence matters there. */
const PLACEHOLDER_ID = '0'.repeat(64);
const FOCUSABLE = 'input:not([type=hidden]), select, textarea, button, [tabindex]';
/** Stands in for the directory's details of an employer typed but not picked, while validating on the device. */
const UNMATCHED_ENTERPRISE = { uscc: '0'.repeat(18), legalRepresentative: '待匹配', province: '待匹配', city: '待匹配' };

/** The name of an employer typed but not picked (no USCC yet); undefined for a pick or for nothing. */
function typedEnterprise(values: DraftValues): string | undefined {
  const enterprise = values.enterprise;
  if (!enterprise || enterprise.uscc !== undefined || typeof enterprise.name !== 'string') return undefined;
  return enterprise.name.trim() === '' ? undefined : enterprise.name;
}

const submitSchema = createSubmitSchema({ codeLists });

type Phase = 'loading' | 'signed-out' | 'face-required' | 'failed' | 'ready';
/** What stops a submission until the person acts elsewhere. */
type Blocker = 'identity' | 'face' | undefined;

const topField = (path: string): FormField | undefined => {
  const key = path.split('.')[0] ?? '';
  return (FORM_FIELDS as readonly string[]).includes(key) ? (key as FormField) : undefined;
};

/** Offline fallback: the newest draft on the device stands in for the session it was made in. */
async function accountFromNewestDraft(db: LocalDb): Promise<SessionAccount | undefined> {
  const draft = await db.drafts.orderBy('updatedAt').last();
  const { name, idNumber } = draft?.values ?? {};
  if (!draft || !name || !idNumber) return undefined;
  const birthDate = birthDateFromId(idNumber);
  const sex = sexFromId(idNumber);
  if (!birthDate || !sex) return undefined;
  const mobile = draft.values.mobile ?? '';
  return { id: draft.accountId, name, idNumber, mobile, birthDate, sex, faceVerified: true };
}

/**
 * 申报信息 (step 2 of 3): the application form. Every change is kept on the device at once (drafts in
 * IndexedDB); 下一步 puts the checked submission in the outbox, online or not, and asks it to send now.
 * While it waits there the form is locked (撤回 unlocks it); a rejection brings the issues back here.
 */
export class ApplicationFormPage extends LitElement {
  static override properties = {
    account: { attribute: false },
    db: { attribute: false },
    phase: { state: true },
    failure: { state: true },
    scheduler: { attribute: false },
    submitting: { state: true },
    outboxItem: { state: true },
    formError: { state: true },
    blocker: { state: true },
    notice: { state: true },
    commitmentNote: { state: true },
    draftSync: { attribute: false },
    persistence: { state: true },
    directorySearch: { attribute: false },
    isOnline: { attribute: false },
  };

  /** The signed-in person; fetched from GET /api/session when not given. */
  declare account: SessionAccount | undefined;
  /** The device database (tests give their own). */
  declare db: LocalDb | undefined;
  declare private phase: Phase;
  declare private failure: string;
  /** Sends the outbox (tests give one on their own database and network). */
  declare scheduler: OutboxScheduler;
  declare private submitting: boolean;
  /** This draft's submission in the outbox, if any. */
  declare private outboxItem: OutboxRecord | undefined;
  declare private formError: string;
  declare private blocker: Blocker;
  declare private notice: string;
  declare private commitmentNote: string;
  /** Syncs the draft with the server's copy (tests give one on their own database and network). */
  declare draftSync: DraftSync | undefined;
  /** Whether the browser keeps this device's data (explained when it does not). */
  declare private persistence: PersistenceAnswer | undefined;
  /** Asks the enterprise directory, to match an employer typed but not picked (tests give their own). */
  declare directorySearch: DirectorySearch;
  /** False when the device knows it is offline (default navigator.onLine). */
  declare isOnline: () => boolean;

  /** Resolves once the form shows (or a reason it cannot). */
  loaded: Promise<void> = Promise.resolve();
  private store: DraftStore | undefined;
  /** Fields the person has edited: their errors show as they type. */
  private readonly touched = new Set<FormField>();
  private readonly announcer = new LiveAnnouncer(this);
  /** The server's word on a field, kept until that field changes. */
  private readonly serverErrors = new Map<FormField, string>();
  private submitAttempted = false;
  private outboxSubscription: Subscription | undefined;
  /** The draft id the outbox is watched for. */
  private watchedDraftId: string | undefined;
  private readonly onOutboxProgress = () => this.requestUpdate();

  static override styles = [
    theme,
    formFieldStyles,
    css`
      h1 { font-size: 1.25em; margin: 0.75em 0 0; }
      .code { color: var(--muted, #5a6573); font-size: 0.85em; word-break: break-all; margin: 0; }
      h2 { font-size: 1.1em; margin: 0 0 0.75em; }
      h2 .format { font-weight: normal; font-size: 0.85em; }
      .field select, .field input[readonly] { width: 100%; padding: 0 0.75em; border: 1px solid #8a96a6; border-radius: 8px; background: #fff; color: inherit; }
      .field input[readonly] { background: #eef1f5; }
      .field select[aria-invalid='true'] { border: 2px solid var(--danger, #b42318); }
      fieldset.field { border: 0; padding: 0; min-width: 0; }
      fieldset.field legend { font-weight: 600; padding: 0; margin: 0 0 0.25em; }
      .choices { display: flex; gap: 1.5em; }
      .choice { display: flex; align-items: center; gap: 0.4em; min-height: var(--target, 44px); }
      .field .choice input { width: 1.25em; height: 1.25em; min-height: 0; margin: 0; }
      .choice label { margin: 0; font-weight: normal; }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.4em 1em; margin: 0.5em 0 0; }
      dt { color: var(--muted, #5a6573); }
      dd { margin: 0; word-break: break-all; }
      .attachment + .attachment { margin-top: 1.25em; }
      .commitment-row { display: flex; flex-wrap: wrap; align-items: center; gap: 0.75em; }
      .state-accepted { color: #1a7f37; font-weight: 600; }
      /* Kept in view while scrolling: the person always sees that the draft is saved, and 下一步. */
      .submit-bar { position: sticky; bottom: 0; background: var(--surface, #fff); padding: 0.5em 0 0.75em; box-shadow: 0 -1px 0 var(--border, #d7dde5); }
      .announce:not(:empty) { color: var(--danger, #b42318); background: #fdecea; border-radius: 8px; padding: 0.6em 0.8em; margin: 0 0 1em; }
      outbox-status { margin: 0 0 0.5em; }
      .withdraw { width: 100%; margin: 0 0 0.5em; }
      .blocker { display: flex; flex-direction: column; gap: 0.75em; }
    `,
  ];

  constructor() {
    super();
    this.account = undefined;
    this.db = undefined;
    this.phase = 'loading';
    this.failure = '';
    this.scheduler = outboxScheduler;
    this.submitting = false;
    this.outboxItem = undefined;
    this.formError = '';
    this.blocker = undefined;
    this.notice = '';
    this.commitmentNote = '';
    this.draftSync = undefined;
    this.persistence = undefined;
    this.directorySearch = searchEnterpriseDirectory;
    this.isOnline = () => navigator.onLine !== false;
  }

  override connectedCallback() {
    super.connectedCallback();
    this.scheduler.addEventListener('progress', this.onOutboxProgress);
    if (!this.store) this.loaded = this.start();
  }

  override disconnectedCallback() {
    this.scheduler.removeEventListener('progress', this.onOutboxProgress);
    this.outboxSubscription?.unsubscribe();
    this.outboxSubscription = undefined;
    this.watchedDraftId = undefined;
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
    let account = this.account;
    if (!account) {
      const result = await apiFetch<{ account: SessionAccount }>('/session');
      if (result.ok) {
        account = result.data.account;
      } else if (result.status === 401) {
        this.phase = 'signed-out';
        return;
      } else {
        // Offline-first: a draft on this device can still be filled in without the server.
        account = await accountFromNewestDraft(this.database).catch(() => undefined);
        if (!account) {
          this.failure = result.offline ? FIRST_OPEN_OFFLINE : result.error;
          this.phase = 'failed';
          return;
        }
        this.notice = OFFLINE_DRAFT_NOTICE;
      }
      this.account = account;
    }
    if (!account.faceVerified) {
      this.phase = 'face-required';
      return;
    }
    this.draftSync ??= new DraftSync(this.database);
    const sync = this.draftSync;
    if (!this.notice && navigator.onLine !== false) {
      // Drafts from other devices first, so the form opens on them; a slow answer is merged later.
      const pulled = sync.pullDrafts(account.id).catch((error: unknown) => console.error('[form] drafts not pulled', error));
      await Promise.race([pulled, new Promise((resolve) => setTimeout(resolve, PULL_WAIT_MS))]);
    }
    try {
      const store = await DraftStore.open(this.database, account.id);
      if (!this.isConnected) {
        store.dispose();
        return;
      }
      this.store = store;
      store.addEventListener('statechange', () => this.requestUpdate());
      let draftId = store.id;
      store.addEventListener('remotechange', () => {
        // Merged with the server's copy; joined to the account's server draft, the id changes.
        if (store.id !== draftId && store === this.store) {
          draftId = store.id;
          this.watchOutbox(store);
        }
        this.requestUpdate();
      });
      void store.persistence.then((answer) => {
        this.persistence = answer;
      });
      this.prefill(store, account);
      sync.attach(store);
      this.phase = 'ready';
      this.watchOutbox(store);
      // Signed in again after the server refused a queued submission for want of it: send it now,
      // with the outbox watched, so the receipt leads on to 申报告知 as after any send.
      if (!this.notice) {
        const resumed = await resumeAfterSignIn(this.database, account.id, account.faceVerified).catch(() => 0);
        if (resumed > 0) void this.scheduler.flushNow({ ignoreBackoff: true });
      }
    } catch (error) {
      console.error('[form] cannot open the draft', error);
      this.failure = '无法在本机保存填写内容（浏览器存储不可用），请退出无痕模式或更换浏览器后重试。';
      this.phase = 'failed';
    }
  }

  /** Name and ID are the account's; birth date, sex and mobile start from it and may be edited. */
  private prefill(store: DraftStore, account: SessionAccount) {
    const values = store.values;
    if (values.name !== account.name) store.set('name', account.name);
    if (values.idNumber !== account.idNumber) store.set('idNumber', account.idNumber);
    if (values.idType !== 'resident-id') store.set('idType', 'resident-id');
    // Defaults, not edits: an edit made on another device wins over them when drafts are merged.
    if (values.birthDate === undefined) store.setDefault('birthDate', account.birthDate);
    if (values.sex === undefined) store.setDefault('sex', account.sex);
    if (values.mobile === undefined && account.mobile) store.setDefault('mobile', account.mobile);
  }

  private get overAge(): boolean {
    const birthDate = this.account?.birthDate;
    return birthDate !== undefined && isOverAgeLimit(birthDate);
  }

  // ---- validation ----

  /** Input for the submit schema: the draft's values, with placeholders where a Blob is present. */
  private schemaInput(values: DraftValues, attachments: { photo?: string; signature?: string }) {
    const typed = typedEnterprise(values);
    // Typed, not picked: counts for now (its name is still checked); it is matched before sending.
    if (typed !== undefined) return { ...values, enterprise: { ...UNMATCHED_ENTERPRISE, name: typed }, ...attachments };
    return { ...values, ...attachments };
  }

  /** Every problem of the form now, first message per field (cross-field rules included). */
  private currentProblems(): Map<FormField, string> {
    const problems = new Map<FormField, string>();
    const store = this.store;
    if (!store) return problems;
    const { values, record } = store;
    const input = this.schemaInput(values, {
      ...(record.photo ? { photo: PLACEHOLDER_ID } : {}),
      ...(record.signature ? { signature: PLACEHOLDER_ID } : {}),
    });
    const result = v.safeParse(submitSchema, input);
    if (!result.success) {
      for (const { field, message } of issuesByField(result)) {
        const key = topField(field);
        if (key && !problems.has(key)) problems.set(key, message);
      }
    }
    if (values.commitment?.choice !== 'accept' || values.commitment.version === undefined) {
      problems.set('commitment', COMMITMENT_MESSAGE);
    }
    return problems;
  }

  private visibleErrors(): Map<FormField, string> {
    const shown = new Map<FormField, string>();
    const problems = this.currentProblems();
    for (const key of FORM_FIELDS) {
      const server = this.serverErrors.get(key);
      const problem = problems.get(key);
      if (server) shown.set(key, server);
      else if (problem && (this.submitAttempted || this.touched.has(key))) shown.set(key, problem);
    }
    return shown;
  }

  private edited(key: FormField) {
    this.touched.add(key);
    this.serverErrors.delete(key);
    this.requestUpdate();
  }

  // ---- edits ----

  private setText(key: TextKey, raw: string) {
    const store = this.store;
    if (!store) return;
    store.set(key, raw === '' ? undefined : raw);
    if (key === 'mobile') this.resetCommitment();
    this.edited(key);
  }

  private setCode(key: CodeKey, code: string) {
    this.store?.set(key, code === '' ? undefined : code);
    this.edited(key);
    // 专业2 is judged against 专业1, so its message follows 专业1 too.
    if (key === 'specialty1' && this.store?.values.specialty2) this.touched.add('specialty2');
  }

  private setSex(sex: Sex) {
    this.store?.set('sex', sex);
    this.edited('sex');
  }

  private onBlur(key: FormField, value: string) {
    // Leaving a filled field shows its problems; leaving an empty one untouched does not nag.
    if (value !== '' && !this.touched.has(key)) this.edited(key);
  }

  private onEnterprise(event: CustomEvent<EnterpriseChangeDetail>) {
    const { enterprise, typed = '' } = event.detail;
    // No pick: the text is kept as typed (so the picker's caret stays put) when a draft may hold it,
    // to be matched against the directory at 下一步 or before sending.
    const kept = v.is(draftSchema.entries.enterprise, { name: typed }) ? { name: typed } : undefined;
    this.store?.set('enterprise', enterprise ? { ...enterprise } : kept);
    this.resetCommitment();
    this.edited('enterprise');
  }

  private onPhoto(event: CustomEvent<PhotoChangeDetail>) {
    this.store?.setPhoto(event.detail.blob, event.detail.whiteBackground);
    this.edited('photo');
  }

  private onSignature(event: CustomEvent<SignatureChangeDetail>) {
    this.store?.setSignature(event.detail.blob);
    this.edited('signature');
  }

  /** An acceptance covers the text as shown; a new mobile or employer changes that text. */
  private resetCommitment() {
    if (!this.store?.values.commitment) return;
    this.store.set('commitment', undefined);
    this.commitmentNote = COMMITMENT_RESET;
  }

  private async openCommitment() {
    await this.renderRoot.querySelector<CommitmentDialog>('commitment-dialog')?.show();
  }

  private onCommitment(event: CustomEvent<CommitmentChangeDetail>) {
    const { choice, version, acceptedAt } = event.detail;
    this.store?.set('commitment', { choice, version, acceptedAt });
    this.commitmentNote = '';
    this.edited('commitment');
    // The dialog closed: back to where it was opened from.
    void this.updateComplete.then(() => this.control('commitment')?.focus());
  }

  // ---- focus and announcements ----

  /** The control to focus for a field, reaching into a component's shadow root when needed. */
  private control(key: FormField): HTMLElement | null {
    const root = this.renderRoot;
    switch (key) {
      case 'sex':
        return root.querySelector<HTMLInputElement>('input[name=sex]:checked') ?? root.querySelector('#sex-male');
      case 'enterprise':
        return this.innerControl('enterprise-picker');
      case 'photo':
        return this.innerControl('photo-tool');
      case 'signature':
        return this.innerControl('signature-pad');
      case 'commitment':
        return root.querySelector('#view-commitment');
      default:
        return root.querySelector(`#${key}`);
    }
  }

  private innerControl(tag: string): HTMLElement | null {
    const host = this.renderRoot.querySelector<HTMLElement>(tag);
    const inner = host?.shadowRoot;
    return inner?.querySelector<HTMLElement>('[aria-invalid=true]') ?? inner?.querySelector<HTMLElement>(FOCUSABLE) ?? host ?? null;
  }

  /** Says it again even when the text is unchanged, so a screen reader reads every attempt. */
  private async reportInvalid(fields: Iterable<FormField>) {
    const wanted = new Set(fields);
    const list = FORM_FIELDS.filter((key) => wanted.has(key));
    await this.updateComplete;
    const first = list[0] ? this.control(list[0]) : null;
    if (first) {
      first.focus({ preventScroll: true });
      // Centred, so the sticky 下一步 bar does not cover it.
      first.scrollIntoView({ block: 'center' });
    }
    await this.announcer.say(`请修改标红的 ${list.length} 项后再提交`);
  }

  // ---- submission ----

  private onSubmit(event: Event) {
    event.preventDefault();
    void this.submit();
  }

  /** Queued or being sent: the form is locked until it is sent or withdrawn. */
  private get locked(): boolean {
    const state = this.outboxItem?.state;
    return state === 'queued' || state === 'sending';
  }

  /**
   * What 下一步 does: check everything, then always go through the outbox (online or not), and ask
   * it to send now. The outcome arrives through the outbox item (see onOutboxItem).
   */
  async submit(): Promise<void> {
    const store = this.store;
    if (!store || this.submitting || this.overAge || this.locked) return;
    this.submitAttempted = true;
    this.serverErrors.clear();
    this.formError = '';
    this.blocker = undefined;
    const typed = typedEnterprise(store.values);
    let enterpriseToMatch = false;
    if (typed !== undefined) {
      this.submitting = true;
      const found = await this.matchEnterprise(typed).finally(() => {
        this.submitting = false;
      });
      // Closed, or the person changed the employer meanwhile: this 下一步 no longer applies.
      if (store !== this.store || typedEnterprise(store.values) !== typed) return;
      if (found === 'unreachable') enterpriseToMatch = true;
      else if (found === undefined) this.serverErrors.set('enterprise', ENTERPRISE_NOT_FOUND);
      else {
        store.set('enterprise', { ...found });
        // The commitment was accepted with the typed name; a match by name equals it up to spelling,
        // so the acceptance stands. A match by USCC brings a name the person has not seen.
        if (!sameEnterpriseName(typed, found.name)) this.resetCommitment();
      }
    }
    const problems = this.currentProblems();
    for (const [key, message] of this.serverErrors) problems.set(key, message);
    if (problems.size > 0) {
      this.requestUpdate();
      await this.reportInvalid(problems.keys());
      return;
    }
    this.announcer.clear();
    this.submitting = true;
    // What was checked is what is sent, whatever is edited meanwhile.
    const values = store.values;
    const photo = store.record.photo!;
    const signature = store.record.signature!;
    try {
      const parsed = v.safeParse(
        submitSchema,
        this.schemaInput(values, { photo: PLACEHOLDER_ID, signature: PLACEHOLDER_ID }),
      );
      if (!parsed.success) {
        this.applyIssues(issuesByField(parsed));
        return;
      }
      // Not matched yet: only the typed name goes in, and the outbox matches it before sending.
      const body = enterpriseToMatch ? { ...parsed.output, enterprise: { name: parsed.output.enterprise.name } } : parsed.output;
      // Written first, and held by the store too, so a merge with the server's copy keeps it.
      await store.ensureIdempotencyKey();
      await store.flush();
      this.outboxItem = await enqueueSubmission(this.database, {
        accountId: store.record.accountId,
        draftId: store.id,
        body,
        attachments: [
          { kind: 'photo', blob: photo },
          { kind: 'signature', blob: signature },
        ],
        ...(enterpriseToMatch ? { enterpriseToMatch } : {}),
      });
    } catch (error) {
      console.error('[form] submission not queued', error);
      this.formError = QUEUE_FAILED_MESSAGE;
      await this.announcer.say(this.formError);
      return;
    } finally {
      this.submitting = false;
    }
    await this.scheduler.flushNow({ ignoreBackoff: true });
  }

  /** The directory's one enterprise of that name (or none); 'unreachable' when it cannot be asked now. */
  private async matchEnterprise(typed: string): Promise<Enterprise | undefined | 'unreachable'> {
    if (!this.isOnline()) return 'unreachable';
    try {
      return await matchTypedEnterprise(typed, this.directorySearch);
    } catch (error) {
      console.warn('[form] enterprise directory unreachable; matched before sending', error);
      return 'unreachable';
    }
  }

  /** 撤回，继续修改: only while it waits; once being sent the server may be storing it. */
  private async withdraw() {
    const item = this.outboxItem;
    if (!item) return;
    const withdrawn = await withdrawSubmission(this.database, item.id).catch(() => false);
    if (withdrawn) {
      this.outboxItem = undefined;
      this.formError = '';
      await this.announcer.say(WITHDRAWN_MESSAGE);
    } else {
      this.formError = WITHDRAW_REFUSED_MESSAGE;
      await this.announcer.say(this.formError);
    }
  }

  /** Follows this draft's outbox item, whoever sends it (this tab, another, the service worker). */
  private watchOutbox(store: DraftStore) {
    this.outboxSubscription?.unsubscribe();
    const db = this.database;
    const { accountId } = store.record;
    const draftId = store.id;
    const previousId = this.watchedDraftId;
    this.watchedDraftId = draftId;
    if (previousId && previousId !== draftId) {
      void moveOutboxItems(db, accountId, previousId, draftId).catch((error: unknown) =>
        console.error('[form] outbox item not moved to the merged draft', error),
      );
    }
    this.outboxSubscription = liveQuery(() => outboxItemForDraft(db, accountId, draftId)).subscribe({
      next: (item) => void this.onOutboxItem(store, item),
      error: (error: unknown) => console.error('[form] outbox not readable', error),
    });
  }

  private async onOutboxItem(store: DraftStore, item: OutboxRecord | undefined) {
    if (store !== this.store) return;
    const previous = this.outboxItem;
    this.outboxItem = item;
    if (!item) {
      if (previous) await this.maybeCompleted(store);
      return;
    }
    const fresh = previous?.id !== item.id || previous.state !== item.state || previous.attempts !== item.attempts;
    if (item.state === 'rejected' && fresh) this.showRejection(item);
  }

  /** The item left the outbox: sent (the sender removed the draft with it) or withdrawn (draft stays). */
  private async maybeCompleted(store: DraftStore) {
    const db = this.database;
    if (await db.drafts.get(store.id)) return;
    this.outboxSubscription?.unsubscribe();
    this.outboxSubscription = undefined;
    const receipts = await db.receipts.where('accountId').equals(store.record.accountId).toArray();
    const newest = receipts.sort((a, b) => b.submittedAt.localeCompare(a.submittedAt))[0];
    // complete() closes the store for good, so nothing it still holds is written back as a new draft.
    if (newest) await store.complete(newest).catch((error: unknown) => console.error('[form] closing the draft', error));
    // Nothing personal outlives the receipt on this device: the ID number typed at the identity check neither.
    clearPendingIdentity();
    this.store = undefined;
    navigate(this, routes.done, true);
  }

  /** The server refused it: its issues go on the fields, or the person is sent to sign in or face check. */
  private showRejection(item: OutboxRecord) {
    this.submitAttempted = true;
    this.serverErrors.clear();
    this.blocker = item.rejectedFor === 'sign-in' ? 'identity' : item.rejectedFor === 'face' ? 'face' : undefined;
    if (item.issues && item.issues.length > 0) {
      this.applyIssues(item.issues);
      return;
    }
    this.formError = item.lastError ?? '';
    this.requestUpdate();
    void this.announcer.say(this.formError);
  }

  private applyIssues(issues: readonly FieldIssue[]) {
    const general: string[] = [];
    for (const { field, message } of issues) {
      const key = topField(field);
      if (key && !this.serverErrors.has(key)) this.serverErrors.set(key, message);
      else if (!key) general.push(message);
    }
    this.formError = general.join('；');
    this.requestUpdate();
    if (this.serverErrors.size > 0) void this.reportInvalid(this.serverErrors.keys());
    else void this.announcer.say(this.formError);
  }

  // ---- rendering ----

  private label(id: string, text: string, required = true) {
    return html`<label for=${id}>${text}${required ? html`<span class="required" aria-hidden="true">*</span>` : nothing}</label>`;
  }

  private error(id: string, message: string | undefined) {
    return message ? html`<p class="field-error" id="${id}-error">${message}</p>` : nothing;
  }

  private readOnlyField(id: string, text: string, value: string, required: boolean) {
    return html`<div class="field">
      ${this.label(id, text, required)}
      <input id=${id} type="text" readonly .value=${live(value)} aria-describedby="account-hint" />
    </div>`;
  }

  private textField(
    key: TextKey,
    text: string,
    errors: Map<FormField, string>,
    extra: { type?: 'text' | 'tel' | 'date'; max?: string; autocomplete?: string; inputmode?: 'numeric' } = {},
  ) {
    const message = errors.get(key);
    return html`<div class="field">
      ${this.label(key, text)}
      <input
        id=${key}
        type=${extra.type ?? 'text'}
        max=${extra.max ?? nothing}
        autocomplete=${extra.autocomplete ?? 'off'}
        inputmode=${extra.inputmode ?? nothing}
        aria-required="true"
        aria-invalid=${message ? 'true' : 'false'}
        aria-describedby=${message ? `${key}-error` : nothing}
        .value=${live(this.store?.values[key] ?? '')}
        @input=${(e: Event) => this.setText(key, (e.target as HTMLInputElement).value)}
        @blur=${(e: Event) => this.onBlur(key, (e.target as HTMLInputElement).value)}
      />
      ${this.error(key, message)}
    </div>`;
  }

  private selectField(key: CodeKey, text: string, list: CodeList, errors: Map<FormField, string>) {
    const message = errors.get(key);
    const value = this.store?.values[key] ?? '';
    return html`<div class="field">
      ${this.label(key, text)}
      <select
        id=${key}
        aria-required="true"
        aria-invalid=${message ? 'true' : 'false'}
        aria-describedby=${message ? `${key}-error` : nothing}
        @change=${(e: Event) => this.setCode(key, (e.target as HTMLSelectElement).value)}
      >
        <option value="" .selected=${live(value === '')}>请选择</option>
        ${list.map((item) => html`<option value=${item.code} .selected=${live(item.code === value)}>${item.name}</option>`)}
      </select>
      ${this.error(key, message)}
    </div>`;
  }

  private renderBasic(errors: Map<FormField, string>) {
    const values = this.store?.values ?? {};
    const sexError = errors.get('sex');
    const today = todayIso();
    return html`<section class="card" aria-labelledby="basic-title">
      <h2 id="basic-title">基本信息</h2>
      <p class="hint" id="account-hint">姓名和证件号码来自实名账户，不能修改。</p>
      ${this.readOnlyField('name', '姓名', values.name ?? '', true)}
      <fieldset class="field" aria-describedby=${sexError ? 'sex-error' : nothing}>
        <legend>性别<span class="required" aria-hidden="true">*</span></legend>
        <div class="choices">
          ${(
            [
              ['male', '男'],
              ['female', '女'],
            ] as const
          ).map(
            ([value, text]) => html`<span class="choice">
              <input
                type="radio"
                id="sex-${value}"
                name="sex"
                value=${value}
                aria-invalid=${sexError ? 'true' : 'false'}
                .checked=${live(values.sex === value)}
                @change=${() => this.setSex(value)}
              />
              <label for="sex-${value}">${text}</label>
            </span>`,
          )}
        </div>
        ${this.error('sex', sexError)}
      </fieldset>
      ${this.readOnlyField('idType', '证件类型', '身份证', false)}
      ${this.readOnlyField('idNumber', '证件号码', values.idNumber ?? '', true)}
      ${this.textField('birthDate', '出生日期', errors, { type: 'date', max: today })}
      ${this.textField('mobile', '手机号码', errors, { type: 'tel', autocomplete: 'tel', inputmode: 'numeric' })}
      ${this.selectField('ethnicity', '民族', codeLists.ethnicities, errors)}
      ${this.selectField('education', '学历', codeLists.educationLevels, errors)}
      ${this.selectField('degree', '学位', codeLists.degrees, errors)}
      ${this.textField('school', '毕业院校', errors)}
      ${this.textField('major', '所学专业', errors)}
      ${this.textField('graduationDate', '毕业时间', errors, { type: 'date', max: today })}
    </section>`;
  }

  private renderEnterprise(errors: Map<FormField, string>) {
    const enterprise = this.store?.values.enterprise;
    const picked = enterprise?.uscc
      ? html`<dl aria-label="所选企业">
          <dt>统一信用代码</dt><dd>${enterprise.uscc}</dd>
          <dt>法定代表人</dt><dd>${enterprise.legalRepresentative ?? ''}</dd>
          <dt>工商注册省份</dt><dd>${enterprise.province ?? ''}</dd>
          <dt>工商注册市区</dt><dd>${enterprise.city ?? ''}</dd>
        </dl>`
      : nothing;
    return html`<section class="card" aria-labelledby="enterprise-title">
      <h2 id="enterprise-title">企业信息</h2>
      <enterprise-picker
        .value=${enterprise?.uscc ? (enterprise as Enterprise) : undefined}
        .typed=${enterprise && !enterprise.uscc ? enterprise.name : undefined}
        .invalid=${errors.get('enterprise') ?? ''}
        @enterprise-change=${this.onEnterprise}
      ></enterprise-picker>
      ${picked}
    </section>`;
  }

  private renderSpecialties(errors: Map<FormField, string>) {
    return html`<section class="card" aria-labelledby="specialty-title">
      <h2 id="specialty-title">申请注册专业</h2>
      ${this.selectField('specialty1', '申请注册专业1', codeLists.specialties, errors)}
      ${this.selectField('specialty2', '申请注册专业2', codeLists.specialties, errors)}
    </section>`;
  }

  private renderAttachments(errors: Map<FormField, string>) {
    const record = this.store?.record;
    return html`<section class="card" aria-labelledby="attachments-title">
      <h2 id="attachments-title">附件 <span class="format muted">(格式 jpg,jpeg,png)</span></h2>
      <photo-tool
        class="attachment"
        .value=${record?.photo}
        .invalid=${errors.get('photo') ?? ''}
        @photo-change=${this.onPhoto}
      ></photo-tool>
      <signature-pad
        class="attachment"
        .value=${record?.signature}
        .invalid=${errors.get('signature') ?? ''}
        @signature-change=${this.onSignature}
      ></signature-pad>
    </section>`;
  }

  private renderCommitment(errors: Map<FormField, string>) {
    const choice = this.store?.values.commitment?.choice;
    const accepted = choice === 'accept';
    const message = errors.get('commitment');
    const describedBy = ['commitment-state', ...(message ? ['commitment-error'] : [])].join(' ');
    return html`<section class="card" aria-labelledby="commitment-heading">
      <h2 id="commitment-heading">个人承诺</h2>
      <div class="commitment-row">
        <button id="view-commitment" type="button" class="secondary" aria-haspopup="dialog"
          aria-invalid=${message ? 'true' : 'false'} aria-describedby=${describedBy}
          @click=${this.openCommitment}>查看承诺书</button>
        <span id="commitment-state" class=${accepted ? 'state-accepted' : 'muted'}>
          ${accepted ? '已作出承诺' : choice === 'decline' ? '未作出承诺' : '未确认承诺书'}</span>
      </div>
      ${this.commitmentNote ? html`<p class="hint">${this.commitmentNote}</p>` : nothing}
      ${this.error('commitment', message)}
    </section>`;
  }

  private renderForm() {
    const store = this.store;
    if (!store) return nothing;
    const errors = this.visibleErrors();
    const values = store.values;
    const overAge = this.overAge;
    const item = this.outboxItem;
    const locked = this.locked;
    const choice: CommitmentChoice | undefined = values.commitment?.choice;
    return html`
      ${overAge ? html`<p class="form-error" role="alert">${AGE_LIMIT_MESSAGE}</p>` : nothing}
      ${this.notice ? html`<p class="hint">${this.notice}</p>` : nothing}
      <storage-persistence-notice .answer=${this.persistence}></storage-persistence-notice>
      ${locked ? html`<p class="hint" id="locked-note">${LOCKED_NOTE}</p>` : nothing}
      <form novalidate @submit=${this.onSubmit}>
        <div class="sections" ?inert=${locked}>
          ${this.renderBasic(errors)} ${this.renderEnterprise(errors)} ${this.renderSpecialties(errors)}
          ${this.renderAttachments(errors)} ${this.renderCommitment(errors)}
        </div>
        <div class="announce" id="announce" aria-live="assertive">${this.announcer.text}</div>
        ${this.formError && this.formError !== this.announcer.text ? html`<p class="form-error">${this.formError}</p>` : nothing}
        ${this.renderBlocker()}
        <div class="submit-bar">
          <outbox-status
            .item=${item}
            .progress=${this.scheduler.progress?.recordId === item?.id ? this.scheduler.progress : undefined}
          ></outbox-status>
          ${locked
            ? html`<button type="button" class="secondary withdraw" ?disabled=${item?.state === 'sending'} @click=${this.withdraw}>撤回，继续修改</button>`
            : nothing}
          <sync-status id="save-status" .source=${this.draftSync}></sync-status>
          <button class="primary" type="submit" ?disabled=${this.submitting || overAge || locked}>下一步</button>
        </div>
      </form>
      <commitment-dialog
        .party=${{
          name: values.name ?? '',
          idNumber: values.idNumber ?? '',
          mobile: values.mobile ?? '',
          employer: values.enterprise?.name ?? '',
        }}
        .choice=${choice}
        @commitment-change=${this.onCommitment}
      ></commitment-dialog>
    `;
  }

  private renderBlocker() {
    if (this.blocker === 'face') {
      return html`<button type="button" class="secondary" @click=${() => navigate(this, routes.face)}>前往人脸识别</button>`;
    }
    if (this.blocker === 'identity') {
      return html`<button type="button" class="secondary" @click=${() => navigate(this, routes.identity)}>返回</button>`;
    }
    return nothing;
  }

  private renderBody(): TemplateResult | typeof nothing {
    switch (this.phase) {
      case 'loading':
        return html`<p class="muted" role="status">正在加载…</p>`;
      case 'signed-out':
        return html`<div class="card blocker">
          <p role="alert">请先核验身份</p>
          <button class="primary" type="button" @click=${() => navigate(this, routes.identity)}>返回</button>
        </div>`;
      case 'face-required':
        return html`<div class="card blocker">
          <p role="alert">请先完成人脸识别</p>
          <button class="primary" type="button" @click=${() => navigate(this, routes.face)}>前往人脸识别</button>
        </div>`;
      case 'failed':
        return html`<div class="card blocker">
          <p class="error" role="alert">${this.failure}</p>
          <button class="primary" type="button" @click=${() => (this.loaded = this.start())}>重试</button>
        </div>`;
      default:
        return this.renderForm();
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
