import { css, html, LitElement } from 'lit';
import { sessionAnswerSchema } from '../../shared/api/session.ts';
import { clearPendingIdentity, loadPendingIdentity, type PendingIdentity } from '../data/pending-identity.ts';
import {
  checkGivenPassword,
  checkIdNumber,
  maskIdNumber,
  normalizedIdNumber,
} from '../components/account-field-rules.ts';
import { formFieldStyles, passwordToggle, textField } from '../components/form-field.ts';
import { OnlineFormController } from '../components/online-form-controller.ts';
import { api, readAnswer } from '../net/api-client.ts';
import { navigate, routes } from '../navigation.ts';
import { theme } from '../styles/theme.ts';

type Field = 'idNumber' | 'password';

const LABELS: Record<Field, string> = { idNumber: '身份证号码', password: '密码' };
const OFFLINE = '登录需要联网，请在网络恢复后重试。已填写的内容不会丢失。';

/** 登录 of a registered person: the identity from the check is shown, only the password is asked. */
export class SignInPage extends LitElement {
  static override properties = {
    pending: { state: true },
    passwordShown: { state: true },
  };
  /** Name and ID number carried over from 身份核验; without it the ID number is typed here. */
  declare pending: PendingIdentity | undefined;
  declare passwordShown: boolean;

  private readonly form: OnlineFormController<Field>;

  static override styles = [
    theme,
    formFieldStyles,
    css`
      .who { margin: 0 0 1em; padding: 0.75em; border-radius: 8px; background: #eef3fa; }
      .who dl { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: 0.25em 0.75em; }
      .who dt { color: var(--muted, #5a6573); }
      .who dd { margin: 0; word-break: break-all; }
      .register { text-align: center; margin: 1em 0 0; }
    `,
  ];

  constructor() {
    super();
    this.pending = loadPendingIdentity();
    this.passwordShown = false;
    this.form = new OnlineFormController<Field>(this, {
      checks: {
        // With a carried-over identity the ID number is not shown, so it cannot be in error here.
        idNumber: (value) => (this.pending ? undefined : checkIdNumber(value, false)),
        password: checkGivenPassword,
      },
      initial: { idNumber: this.pending?.idNumber ?? '' },
      labels: LABELS,
      offlineMessage: OFFLINE,
      shown: (field) => field !== 'idNumber' || !this.pending,
    });
  }

  /** "Not me": type another ID number instead of the carried-over one. */
  private changeIdentity() {
    clearPendingIdentity();
    this.pending = undefined;
    this.form.fields.setValue('idNumber', '');
    void this.form.fields.focus('idNumber');
  }

  private async submit(event: Event) {
    event.preventDefault();
    const f = this.form.fields;
    const answer = await this.form.submit(
      () =>
        readAnswer(
          api.session.$post({ json: { idNumber: normalizedIdNumber(f.value('idNumber')), password: f.value('password') } }),
          sessionAnswerSchema,
        ),
      (failure) => {
        if (failure.status !== 401) return false;
        this.form.error = failure.error;
        // Selected, so typing again replaces the wrong password.
        void f.focus('password', true);
        return true;
      },
    );
    if (!answer?.ok) return;
    clearPendingIdentity();
    navigate(this, routes.face, true);
  }

  private goRegister() {
    navigate(this, routes.register);
  }

  private renderIdentity() {
    const f = this.form.fields;
    if (this.pending) {
      return html`<div class="who">
        <dl>
          <dt>姓名</dt><dd>${this.pending.name}</dd>
          <dt>身份证号码</dt><dd>${maskIdNumber(this.pending.idNumber)}</dd>
        </dl>
        <button class="link" type="button" @click=${this.changeIdentity}>不是本人？更换身份证号码</button>
        <!-- Not shown: tells a password manager which account the password belongs to. -->
        <input type="text" hidden autocomplete="username" name="username" .value=${this.pending.idNumber} />
      </div>`;
    }
    return textField({
      ...f.bind('idNumber'),
      label: LABELS.idNumber,
      autocomplete: 'username',
      spellcheck: false,
      autocapitalize: 'characters',
    });
  }

  override render() {
    const f = this.form.fields;
    return html`
      <section class="card" aria-labelledby="title">
        <h1 id="title">登录</h1>
        <p class="muted">${this.pending ? '您已注册，请输入密码登录。' : '请输入身份证号码和密码登录。'}</p>
        <form novalidate @submit=${this.submit}>
          ${this.renderIdentity()}
          ${textField({
            ...f.bind('password'),
            label: LABELS.password,
            type: this.passwordShown ? 'text' : 'password',
            autocomplete: 'current-password',
            spellcheck: false,
            autocapitalize: 'off',
            trailing: passwordToggle('password', this.passwordShown, () => {
              this.passwordShown = !this.passwordShown;
            }),
          })}
          <div class="form-error" role="alert">${this.form.error}</div>
          ${this.form.submitButton('登录', '正在登录…')}
        </form>
        <p class="register">
          <button class="link" type="button" @click=${() => navigate(this, routes.forgotPassword)}>忘记密码</button>
        </p>
        <p class="register">
          <button class="link" type="button" @click=${this.goRegister}>还没有账号？去注册</button>
        </p>
        ${this.form.liveRegion()}
      </section>
    `;
  }
}

customElements.define('sign-in-page', SignInPage);

declare global {
  interface HTMLElementTagNameMap {
    'sign-in-page': SignInPage;
  }
}
