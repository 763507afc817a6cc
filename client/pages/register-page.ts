import { css, html, LitElement, nothing } from 'lit';
import { accountAnswerSchema } from '../../shared/api/accounts.ts';
import { clearPendingIdentity, loadPendingIdentity, savePendingIdentity } from '../data/pending-identity.ts';
import {
  checkIdNumber,
  checkMobile,
  checkName,
  checkNewPassword,
  normalizedIdentity,
  normalizedMobile,
  PASSWORD_RULE,
  passwordStrength,
} from '../components/account-field-rules.ts';
import { formFieldStyles, passwordToggle, textField } from '../components/form-field.ts';
import { OnlineFormController } from '../components/online-form-controller.ts';
import { api, readAnswer } from '../net/api-client.ts';
import { navigate, routes } from '../navigation.ts';
import { theme } from '../styles/theme.ts';

type Field = 'name' | 'idNumber' | 'mobile' | 'password';

const LABELS: Record<Field, string> = { name: '姓名', idNumber: '身份证号码', mobile: '手机号码', password: '设置密码' };
const OFFLINE = '注册需要联网，请在网络恢复后重试。已填写的内容不会丢失。';

/** 用户注册: creates the account (which signs the person in), then on to 人脸识别. */
export class RegisterPage extends LitElement {
  static override properties = {
    duplicate: { state: true },
    passwordShown: { state: true },
  };
  /** The server said this ID number already has an account: offer 去登录. */
  declare duplicate: boolean;
  declare passwordShown: boolean;

  private readonly form: OnlineFormController<Field>;

  static override styles = [
    theme,
    formFieldStyles,
    css`
      .strength { margin: 0.25em 0 0; font-size: 0.95em; display: flex; flex-wrap: wrap; align-items: center; gap: 0.5em; }
      .meter { display: inline-flex; gap: 0.2em; }
      .meter span { width: 1.6em; height: 0.4em; border-radius: 0.2em; background: #d5dbe3; }
      .level-弱 .meter span:nth-child(-n + 1) { background: var(--danger, #b42318); }
      .level-中 .meter span:nth-child(-n + 2) { background: #b76e00; }
      .level-强 .meter span { background: #1a7f37; }
    `,
  ];

  constructor() {
    super();
    this.duplicate = false;
    this.passwordShown = false;
    this.form = new OnlineFormController<Field>(this, {
      checks: {
        name: checkName,
        idNumber: (value) => checkIdNumber(value, true),
        mobile: checkMobile,
        password: checkNewPassword,
      },
      initial: loadPendingIdentity() ?? {},
      labels: LABELS,
      offlineMessage: OFFLINE,
    });
  }

  /** Another name or ID number is another account: the duplicate found before no longer applies. */
  private identityInput(field: 'name' | 'idNumber', value: string) {
    this.duplicate = false;
    this.form.input(field, value, field === 'idNumber');
  }

  private identity() {
    return normalizedIdentity(this.form.fields.value('name'), this.form.fields.value('idNumber'));
  }

  private async submit(event: Event) {
    event.preventDefault();
    this.duplicate = false;
    const f = this.form.fields;
    const answer = await this.form.submit(
      () =>
        readAnswer(
          api.accounts.$post({
            json: { ...this.identity(), mobile: normalizedMobile(f.value('mobile')), password: f.value('password') },
          }),
          accountAnswerSchema,
        ),
      (failure) => {
        if (failure.status !== 409) return false;
        this.form.error = failure.error;
        this.duplicate = true;
        return true;
      },
    );
    if (!answer?.ok) return;
    // The account now holds name and ID; the tab need not keep them any longer.
    clearPendingIdentity();
    navigate(this, routes.face, true);
  }

  private goSignIn() {
    savePendingIdentity(this.identity());
    navigate(this, routes.signIn);
  }

  private renderStrength() {
    const password = this.form.fields.value('password');
    if (password === '') return nothing;
    const level = passwordStrength(password);
    return html`<p class=${`strength level-${level}`}>
      <span id="password-strength" aria-live="polite">密码强度：${level}</span>
      <span class="meter" aria-hidden="true"><span></span><span></span><span></span></span>
    </p>`;
  }

  override render() {
    const f = this.form.fields;
    return html`
      <section class="card" aria-labelledby="title">
        <h1 id="title">用户注册</h1>
        <p class="muted">请填写本人信息。注册后可用身份证号码和密码登录。</p>
        <form novalidate @submit=${this.submit}>
          ${textField({
            ...f.bind('name', (value) => this.identityInput('name', value)),
            label: LABELS.name,
            autocomplete: 'name',
          })}
          ${textField({
            ...f.bind('idNumber', (value) => this.identityInput('idNumber', value)),
            label: LABELS.idNumber,
            hint: '18位，最后一位可能是X；登录时使用',
            // The ID number is the account's user name: lets a password manager pair it with the password.
            autocomplete: 'username',
            spellcheck: false,
            autocapitalize: 'characters',
          })}
          ${textField({
            ...f.bind('mobile'),
            label: LABELS.mobile,
            type: 'tel',
            inputmode: 'numeric',
            autocomplete: 'tel',
          })}
          ${textField({
            ...f.bind('password'),
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
          <div class="form-error" role="alert">${this.form.error}</div>
          <div class="actions">
            ${
              this.duplicate
                ? html`<button class="secondary" type="button" @click=${this.goSignIn}>去登录</button>`
                : nothing
            }
            ${this.form.submitButton('注册', '正在注册…')}
          </div>
        </form>
        ${this.form.liveRegion()}
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
