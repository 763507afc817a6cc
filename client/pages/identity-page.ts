import { css, html, LitElement } from 'lit';
import { postJson } from '../data/api.ts';
import { loadPendingIdentity, savePendingIdentity } from '../data/pending-identity.ts';
import {
  checkIdNumber,
  checkName,
  normalizedIdNumber,
  normalizedName,
} from '../components/account-field-rules.ts';
import { FieldValidationController } from '../components/field-validation-controller.ts';
import { LiveAnnouncer } from '../components/live-announcer.ts';
import { formFieldStyles, textField } from '../components/form-field.ts';
import { navigate, routes } from '../navigation.ts';
import { theme } from '../styles/theme.ts';

type Field = 'name' | 'idNumber';

const LABELS: Record<Field, string> = { name: '姓名', idNumber: '身份证号码' };
const OFFLINE = '核验身份需要联网，请在网络恢复后重试。已填写的内容不会丢失。';

/** 身份核验: is this person already registered? Registered → 登录; unknown → offer 用户注册. */
export class IdentityPage extends LitElement {
  static override properties = {
    busy: { state: true },
    formError: { state: true },
  };
  declare busy: boolean;
  declare formError: string;

  private readonly fields: FieldValidationController<Field>;
  private readonly announcer = new LiveAnnouncer(this);

  static override styles = [
    theme,
    formFieldStyles,
    css`
      dialog { border: 0; border-radius: 12px; padding: 1.25em; max-width: min(90vw, 24em); box-sizing: border-box; }
      dialog::backdrop { background: rgb(0 0 0 / 45%); }
      dialog p { margin: 0 0 1em; font-size: 1.05em; }
      .dialog-actions { display: flex; gap: 0.75em; }
      .dialog-actions button { flex: 1; }
    `,
  ];

  constructor() {
    super();
    this.busy = false;
    this.formError = '';
    const pending = loadPendingIdentity();
    this.fields = new FieldValidationController<Field>(
      this,
      { name: checkName, idNumber: (value) => checkIdNumber(value, true) },
      pending ?? {},
    );
  }

  private input(field: Field, value: string) {
    const before = this.fields.error(field);
    this.fields.setValue(field, value);
    const after = this.fields.error(field);
    // The age refusal appears while typing: say it out loud, the person may not be looking at it.
    if (field === 'idNumber' && after && after !== before) void this.announcer.say(after);
  }

  private async submit(event: Event) {
    event.preventDefault();
    if (this.busy) return;
    this.formError = '';
    const refusal = await this.fields.refuseInvalid(LABELS);
    if (refusal) {
      void this.announcer.say(refusal);
      return;
    }
    const identity = {
      name: normalizedName(this.fields.value('name')),
      idNumber: normalizedIdNumber(this.fields.value('idNumber')),
    };
    this.busy = true;
    const result = await postJson<{ registered: boolean }>('/identity-checks', identity);
    this.busy = false;
    if (result.ok) {
      if (result.data.registered) {
        savePendingIdentity(identity);
        navigate(this, routes.signIn);
      } else {
        this.renderRoot.querySelector('dialog')?.showModal();
      }
      return;
    }
    if (result.offline) {
      this.formError = OFFLINE;
      return;
    }
    const first = this.fields.applyServerIssues(result.issues);
    if (first) {
      void this.announcer.say(await this.fields.focusError(first, LABELS));
      return;
    }
    this.formError = result.error;
  }

  private cancelRegister() {
    this.renderRoot.querySelector('dialog')?.close();
  }

  private goRegister() {
    this.renderRoot.querySelector('dialog')?.close();
    savePendingIdentity({
      name: normalizedName(this.fields.value('name')),
      idNumber: normalizedIdNumber(this.fields.value('idNumber')),
    });
    navigate(this, routes.register);
  }

  override render() {
    const f = this.fields;
    return html`
      <section class="card" aria-labelledby="title">
        <h1 id="title">身份核验</h1>
        <p class="muted">首次使用需先核验是否为已注册用户，请输入本人的姓名和身份证号码。</p>
        <form novalidate @submit=${this.submit}>
          ${textField({
            ...f.bind('name', (value) => this.input('name', value)),
            label: LABELS.name,
            autocomplete: 'name',
          })}
          ${textField({
            ...f.bind('idNumber', (value) => this.input('idNumber', value)),
            label: LABELS.idNumber,
            hint: '18位，最后一位可能是X',
            autocomplete: 'off',
            spellcheck: false,
            autocapitalize: 'characters',
          })}
          <p class="form-error" role="alert">${this.formError}</p>
          <!-- aria-disabled, not disabled: a disabled button would drop the focus while waiting. -->
          <button class="primary" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>
            ${this.busy ? '正在核验…' : '确定'}
          </button>
        </form>
        <p class="visually-hidden" role="status" aria-live="polite">${this.announcer.text}</p>
      </section>
      <dialog aria-labelledby="not-found">
        <p id="not-found">未查询到该用户，是否前往注册？</p>
        <div class="dialog-actions">
          <button class="secondary" type="button" @click=${this.cancelRegister}>取消</button>
          <button class="primary" type="button" @click=${this.goRegister}>确定</button>
        </div>
      </dialog>
    `;
  }
}

customElements.define('identity-page', IdentityPage);

declare global {
  interface HTMLElementTagNameMap {
    'identity-page': IdentityPage;
  }
}
