import { css, html, LitElement } from 'lit';
import { PASSWORD_RULE } from '../../../shared/password-rules.ts';
import { checkNewPassword } from '../../components/account-field-rules.ts';
import { formFieldStyles, textField } from '../../components/form-field.ts';
import { OnlineFormController } from '../../components/online-form-controller.ts';
import { theme } from '../../styles/theme.ts';
import { signedIn } from '../session-events.ts';
import { type StaffClient, staffClient } from '../staff-client.ts';
import { checkCode, codeField, normalizedCode, SIGN_IN_OFFLINE } from './staff-field-checks.ts';

type Field = 'newPassword' | 'repeated' | 'code';

const LABELS: Record<Field, string> = { newPassword: '新密码', repeated: '再次输入新密码', code: '动态验证码' };

/** 设置新密码: the one-time password is replaced before the first sign-in, which this then completes. */
export class StaffPasswordChange extends LitElement {
  /** The account and its one-time password, as given to 登录. */
  username = '';
  password = '';
  client: StaffClient = staffClient;

  private readonly form: OnlineFormController<Field> = new OnlineFormController<Field>(this, {
    checks: {
      newPassword: (value) => checkNewPassword(value) ?? (value === this.password ? '新密码不能与一次性密码相同' : undefined),
      repeated: (value: string): string | undefined => (value === this.form.fields.value('newPassword') ? undefined : '两次输入的新密码不一致'),
      code: checkCode,
    },
    labels: LABELS,
    offlineMessage: SIGN_IN_OFFLINE,
  });

  static override styles = [
    theme,
    formFieldStyles,
    css`
      :host { display: block; }
    `,
  ];

  override firstUpdated() {
    void this.form.fields.focus('newPassword');
  }

  private async submit(event: Event) {
    event.preventDefault();
    const f = this.form.fields;
    const answer = await this.form.submit(
      () =>
        this.client.changePassword({
          username: this.username,
          password: this.password,
          newPassword: f.value('newPassword'),
          code: normalizedCode(f.value('code')),
        }),
      (failure) => {
        if (failure.status !== 401 && failure.status !== 429 && failure.status !== 423) return false;
        this.form.error = failure.error;
        f.setValue('code', '');
        void f.focus('code');
        return true;
      },
    );
    if (answer?.ok) signedIn(this, answer.data.staff);
  }

  override render() {
    const f = this.form.fields;
    return html`<section class="card" aria-labelledby="change-title">
      <h1 id="change-title">设置新密码</h1>
      <p class="muted">首次登录须将一次性密码改为您自己的密码。</p>
      <form novalidate @submit=${this.submit}>
        ${textField({ ...f.bind('newPassword'), label: LABELS.newPassword, type: 'password', autocomplete: 'new-password', hint: PASSWORD_RULE })}
        ${textField({ ...f.bind('repeated'), label: LABELS.repeated, type: 'password', autocomplete: 'new-password' })}
        ${codeField(f.bind('code'), '请输入身份验证器上当前显示的动态验证码')}
        <div class="form-error" role="alert">${this.form.error}</div>
        ${this.form.submitButton('设置新密码并登录', '正在提交…')}
      </form>
      ${this.form.liveRegion()}
    </section>`;
  }
}

customElements.define('staff-password-change', StaffPasswordChange);

declare global {
  interface HTMLElementTagNameMap {
    'staff-password-change': StaffPasswordChange;
  }
}
