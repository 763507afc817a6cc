import { css, html, LitElement } from 'lit';
import { postJson } from '../data/api.ts';
import { clearPendingIdentity, loadPendingIdentity, type PendingIdentity } from '../data/pending-identity.ts';
import {
  checkGivenPassword,
  checkIdNumber,
  maskIdNumber,
  normalizedIdNumber,
} from '../components/account-field-rules.ts';
import { FieldValidationController } from '../components/field-validation-controller.ts';
import { LiveAnnouncer } from '../components/live-announcer.ts';
import { formFieldStyles, passwordToggle, textField } from '../components/form-field.ts';
import { navigate, routes } from '../navigation.ts';
import { theme } from '../styles/theme.ts';

type Field = 'idNumber' | 'password';

const LABELS: Record<Field, string> = { idNumber: '身份证号码', password: '密码' };
const OFFLINE = '登录需要联网，请在网络恢复后重试。已填写的内容不会丢失。';

/** 登录 of a registered person: the identity from the check is shown, only the password is asked. */
export class SignInPage extends LitElement {
  static override properties = {
    pending: { state: true },
    busy: { state: true },
    formError: { state: true },
    passwordShown: { state: true },
  };
  /** Name and ID number carried over from 身份核验; without it the ID number is typed here. */
  declare pending: PendingIdentity | undefined;
  declare busy: boolean;
  declare formError: string;
  declare passwordShown: boolean;

  private readonly fields: FieldValidationController<Field>;
  private readonly announcer = new LiveAnnouncer(this);

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
    this.busy = false;
    this.formError = '';
    this.passwordShown = false;
    this.fields = new FieldValidationController<Field>(
      this,
      {
        // With a carried-over identity the ID number is not shown, so it cannot be in error here.
        idNumber: (value) => (this.pending ? undefined : checkIdNumber(value, false)),
        password: checkGivenPassword,
      },
      { idNumber: this.pending?.idNumber ?? '' },
    );
  }

  /** "Not me": type another ID number instead of the carried-over one. */
  private changeIdentity() {
    clearPendingIdentity();
    this.pending = undefined;
    this.fields.setValue('idNumber', '');
    void this.fields.focus('idNumber');
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
    this.busy = true;
    const result = await postJson<{ account: unknown }>('/session', {
      idNumber: normalizedIdNumber(this.fields.value('idNumber')),
      password: this.fields.value('password'),
    });
    this.busy = false;
    if (result.ok) {
      clearPendingIdentity();
      navigate(this, routes.face, true);
      return;
    }
    if (result.offline) {
      this.formError = OFFLINE;
      return;
    }
    if (result.status === 401) {
      this.formError = result.error;
      await this.updateComplete;
      // Selected, so typing again replaces the wrong password.
      void this.fields.focus('password', true);
      return;
    }
    const first = this.fields.applyServerIssues(result.issues);
    if (first && !(first === 'idNumber' && this.pending)) {
      void this.announcer.say(await this.fields.focusError(first, LABELS));
      return;
    }
    this.formError = result.issues[0]?.message ?? result.error;
  }

  private goRegister() {
    navigate(this, routes.register);
  }

  private renderIdentity() {
    const f = this.fields;
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
    const f = this.fields;
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
          <div class="form-error" role="alert">${this.formError}</div>
          <button class="primary" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>
            ${this.busy ? '正在登录…' : '登录'}
          </button>
        </form>
        <p class="register">
          <button class="link" type="button" @click=${this.goRegister}>还没有账号？去注册</button>
        </p>
        <p class="visually-hidden" role="status" aria-live="polite">${this.announcer.text}</p>
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
