import { css, html, LitElement, nothing } from 'lit';
import { postJson } from '../data/api.ts';
import { clearPendingIdentity, loadPendingIdentity, savePendingIdentity } from '../data/pending-identity.ts';
import {
  checkIdNumber,
  checkMobile,
  checkName,
  checkNewPassword,
  normalizedIdNumber,
  normalizedMobile,
  normalizedName,
  PASSWORD_RULE,
  passwordStrength,
} from '../components/account-field-rules.ts';
import { FieldValidationController } from '../components/field-validation-controller.ts';
import { LiveAnnouncer } from '../components/live-announcer.ts';
import { formFieldStyles, passwordToggle, textField } from '../components/form-field.ts';
import { navigate, routes } from '../navigation.ts';
import { theme } from '../styles/theme.ts';

type Field = 'name' | 'idNumber' | 'mobile' | 'password';

const LABELS: Record<Field, string> = { name: '姓名', idNumber: '身份证号码', mobile: '手机号码', password: '设置密码' };
const OFFLINE = '注册需要联网，请在网络恢复后重试。已填写的内容不会丢失。';

/** 用户注册: creates the account (which signs the person in), then on to 人脸识别. */
export class RegisterPage extends LitElement {
  static override properties = {
    busy: { state: true },
    formError: { state: true },
    duplicate: { state: true },
    passwordShown: { state: true },
  };
  declare busy: boolean;
  declare formError: string;
  /** The server said this ID number already has an account: offer 去登录. */
  declare duplicate: boolean;
  declare passwordShown: boolean;

  private readonly fields: FieldValidationController<Field>;
  private readonly announcer = new LiveAnnouncer(this);

  static override styles = [
    theme,
    formFieldStyles,
    css`
      .strength { margin: 0.25em 0 0; font-size: 0.95em; display: flex; align-items: center; gap: 0.5em; }
      .meter { display: inline-flex; gap: 0.2em; }
      .meter span { width: 1.6em; height: 0.4em; border-radius: 0.2em; background: #d5dbe3; }
      .level-弱 .meter span:nth-child(-n + 1) { background: var(--danger, #b42318); }
      .level-中 .meter span:nth-child(-n + 2) { background: #b76e00; }
      .level-强 .meter span { background: #1a7f37; }
    `,
  ];

  constructor() {
    super();
    this.busy = false;
    this.formError = '';
    this.duplicate = false;
    this.passwordShown = false;
    this.fields = new FieldValidationController<Field>(
      this,
      {
        name: checkName,
        idNumber: (value) => checkIdNumber(value, true),
        mobile: checkMobile,
        password: checkNewPassword,
      },
      loadPendingIdentity() ?? {},
    );
  }

  private input(field: Field, value: string) {
    const before = this.fields.error(field);
    this.fields.setValue(field, value);
    if (field === 'name' || field === 'idNumber') this.duplicate = false;
    const after = this.fields.error(field);
    if (field === 'idNumber' && after && after !== before) void this.announcer.say(after);
  }

  private identity() {
    return {
      name: normalizedName(this.fields.value('name')),
      idNumber: normalizedIdNumber(this.fields.value('idNumber')),
    };
  }

  private async submit(event: Event) {
    event.preventDefault();
    if (this.busy) return;
    this.formError = '';
    this.duplicate = false;
    const refusal = await this.fields.refuseInvalid(LABELS);
    if (refusal) {
      void this.announcer.say(refusal);
      return;
    }
    this.busy = true;
    const result = await postJson<{ account: unknown }>('/accounts', {
      ...this.identity(),
      mobile: normalizedMobile(this.fields.value('mobile')),
      password: this.fields.value('password'),
    });
    this.busy = false;
    if (result.ok) {
      // The account now holds name and ID; the tab need not keep them any longer.
      clearPendingIdentity();
      navigate(this, routes.face, true);
      return;
    }
    if (result.offline) {
      this.formError = OFFLINE;
      return;
    }
    if (result.status === 409) {
      this.formError = result.error;
      this.duplicate = true;
      return;
    }
    const first = this.fields.applyServerIssues(result.issues);
    if (first) {
      void this.announcer.say(await this.fields.focusError(first, LABELS));
      return;
    }
    this.formError = result.error;
  }

  private goSignIn() {
    savePendingIdentity(this.identity());
    navigate(this, routes.signIn);
  }

  private renderStrength() {
    const password = this.fields.value('password');
    if (password === '') return nothing;
    const level = passwordStrength(password);
    return html`<p class=${`strength level-${level}`}>
      <span id="password-strength" aria-live="polite">密码强度：${level}</span>
      <span class="meter" aria-hidden="true"><span></span><span></span><span></span></span>
    </p>`;
  }

  override render() {
    const f = this.fields;
    return html`
      <section class="card" aria-labelledby="title">
        <h1 id="title">用户注册</h1>
        <p class="muted">请填写本人信息。注册后可用身份证号码和密码登录。</p>
        <form novalidate @submit=${this.submit}>
          ${textField({
            ...f.bind('name', (value) => this.input('name', value)),
            label: LABELS.name,
            autocomplete: 'name',
          })}
          ${textField({
            ...f.bind('idNumber', (value) => this.input('idNumber', value)),
            label: LABELS.idNumber,
            hint: '18位，最后一位可能是X；登录时使用',
            // The ID number is the account's user name: lets a password manager pair it with the password.
            autocomplete: 'username',
            spellcheck: false,
            autocapitalize: 'characters',
          })}
          ${textField({
            ...f.bind('mobile', (value) => this.input('mobile', value)),
            label: LABELS.mobile,
            type: 'tel',
            inputmode: 'numeric',
            autocomplete: 'tel',
          })}
          ${textField({
            ...f.bind('password', (value) => this.input('password', value)),
            label: LABELS.password,
            type: this.passwordShown ? 'text' : 'password',
            autocomplete: 'new-password',
            spellcheck: false,
            autocapitalize: 'off',
            hint: PASSWORD_RULE,
            describedBy: f.value('password') ? ['password-strength'] : [],
            trailing: passwordToggle('password', this.passwordShown, () => {
              this.passwordShown = !this.passwordShown;
            }),
            below: this.renderStrength(),
          })}
          <div class="form-error" role="alert">${this.formError}</div>
          <div class="actions">
            ${
              this.duplicate
                ? html`<button class="secondary" type="button" @click=${this.goSignIn}>去登录</button>`
                : nothing
            }
            <button class="primary" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>
              ${this.busy ? '正在注册…' : '注册'}
            </button>
          </div>
        </form>
        <p class="visually-hidden" role="status" aria-live="polite">${this.announcer.text}</p>
      </section>
    `;
  }
}

customElements.define('register-page', RegisterPage);

declare global {
  interface HTMLElementTagNameMap {
    'register-page': RegisterPage;
  }
}
