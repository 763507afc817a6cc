import { css, html, LitElement } from 'lit';
import { checkGivenPassword } from '../../components/account-field-rules.ts';
import { formFieldStyles, textField } from '../../components/form-field.ts';
import { OnlineFormController } from '../../components/online-form-controller.ts';
import { theme } from '../../styles/theme.ts';
import { signedIn } from '../session-events.ts';
import { type StaffClient, staffClient } from '../staff-client.ts';
import './staff-password-change.ts';
import { checkCode, checkUsername, codeField, normalizedCode, SIGN_IN_OFFLINE } from './staff-field-checks.ts';

type Field = 'username' | 'password' | 'code';

const LABELS: Record<Field, string> = { username: '用户名', password: '密码', code: '动态验证码' };

/**
 * 登录 of staff and employers: 用户名, 密码 and the authenticator's 动态验证码. A one-time password
 * (a new account, a reset) leads to 设置新密码 instead, which signs in once done.
 */
export class StaffSignIn extends LitElement {
  static override properties = { changing: { state: true } };
  /** Set once the server said the password must be changed: the name and one-time password given. */
  declare changing: { username: string; password: string } | undefined;
  client: StaffClient = staffClient;

  private readonly form = new OnlineFormController<Field>(this, {
    checks: { username: checkUsername, password: checkGivenPassword, code: checkCode },
    labels: LABELS,
    offlineMessage: SIGN_IN_OFFLINE,
  });

  static override styles = [
    theme,
    formFieldStyles,
    css`
      :host { max-width: 420px; margin: 48px auto 0; }
    `,
  ];

  constructor() {
    super();
    this.changing = undefined;
  }

  private async submit(event: Event) {
    event.preventDefault();
    const f = this.form.fields;
    const username = f.value('username').trim();
    const password = f.value('password');
    const answer = await this.form.submit(
      () => this.client.signIn({ username, password, code: normalizedCode(f.value('code')) }),
      (failure) => {
        if ('passwordChangeRequired' in failure) {
          this.changing = { username, password };
          return true;
        }
        if (failure.status !== 401 && failure.status !== 429 && failure.status !== 423) return false;
        // Wrong, replayed or locked: the server's words; each code works once, so a new one is needed.
        this.form.error = failure.error;
        f.setValue('code', '');
        void f.focus('code');
        return true;
      },
    );
    if (answer?.ok) signedIn(this, answer.data.staff);
  }

  override render() {
    if (this.changing) {
      return html`<staff-password-change
        .client=${this.client}
        .username=${this.changing.username}
        .password=${this.changing.password}
      ></staff-password-change>`;
    }
    const f = this.form.fields;
    return html`<section class="card" aria-labelledby="title">
      <h1 id="title">工作人员登录</h1>
      <form novalidate @submit=${this.submit}>
        ${textField({ ...f.bind('username'), label: LABELS.username, autocomplete: 'username', spellcheck: false, autocapitalize: 'off' })}
        ${textField({ ...f.bind('password'), label: LABELS.password, type: 'password', autocomplete: 'current-password' })}
        ${codeField(f.bind('code'), '身份验证器应用中显示的6位数字')}
        <div class="form-error" role="alert">${this.form.error}</div>
        ${this.form.submitButton('登录', '正在登录…')}
      </form>
      ${this.form.liveRegion()}
    </section>`;
  }
}

customElements.define('staff-sign-in', StaffSignIn);

declare global {
  interface HTMLElementTagNameMap {
    'staff-sign-in': StaffSignIn;
  }
}
