import { css, html, LitElement } from 'lit';
import { sessionAnswerSchema } from '../../shared/api/session.ts';
import { faceVerificationPassSchema } from '../../shared/api/face-verifications.ts';
import { passwordResetStartedSchema } from '../../shared/api/password-resets.ts';
import {
  checkIdNumber,
  checkName,
  checkNewPassword,
  normalizedIdentity,
  PASSWORD_RULE,
} from '../components/account-field-rules.ts';
import '../components/face-check.ts';
import type { FaceCheckSend } from '../components/face-check.ts';
import { formFieldStyles, passwordToggle, textField } from '../components/form-field.ts';
import { OnlineFormController } from '../components/online-form-controller.ts';
import { api, readAnswer } from '../net/api-client.ts';
import { navigate, routes } from '../navigation.ts';
import { theme } from '../styles/theme.ts';

/** identity: 姓名 + 身份证号码; face: 人脸识别; password: 设置新密码. */
export type ForgotPasswordStep = 'identity' | 'face' | 'password';

type IdentityField = 'name' | 'idNumber';

const IDENTITY_LABELS: Record<IdentityField, string> = { name: '姓名', idNumber: '身份证号码' };
const PASSWORD_LABELS = { password: '新密码' };
const OFFLINE = '找回密码需要联网，请在网络恢复后重试。已填写的内容不会丢失。';
/** The server's 404 for a reset that expired, was used, or ran out of face attempts. */
const GONE_STATUS = 404;

/**
 * 忘记密码: 姓名 + 身份证号码, then the journey's face check on the reset, then a new password, which
 * signs the person in. The reset id lives in this page only: leaving it means starting again.
 */
export class ForgotPasswordPage extends LitElement {
  static override properties = {
    step: { state: true },
    gone: { state: true },
    passwordShown: { state: true },
  };
  declare step: ForgotPasswordStep;
  /** The reset can no longer be used: only 重新开始 helps. */
  declare gone: string;
  declare passwordShown: boolean;

  private resetId = '';

  private readonly identityForm = new OnlineFormController<IdentityField>(this, {
    checks: { name: checkName, idNumber: (value) => checkIdNumber(value, false) },
    labels: IDENTITY_LABELS,
    offlineMessage: OFFLINE,
  });

  private readonly passwordForm = new OnlineFormController<'password'>(this, {
    checks: { password: checkNewPassword },
    labels: PASSWORD_LABELS,
    offlineMessage: OFFLINE,
  });

  static override styles = [
    theme,
    formFieldStyles,
    css`
      h2 { font-size: 1.1em; margin: 0 0 0.5em; }
      .restart { text-align: center; margin: 1em 0 0; }
    `,
  ];

  constructor() {
    super();
    this.step = 'identity';
    this.gone = '';
    this.passwordShown = false;
  }

  private async startReset(event: Event) {
    event.preventDefault();
    const f = this.identityForm.fields;
    const identity = normalizedIdentity(f.value('name'), f.value('idNumber'));
    const answer = await this.identityForm.submit(() =>
      readAnswer(api['password-resets'].$post({ json: identity }), passwordResetStartedSchema),
    );
    if (!answer?.ok) return;
    this.resetId = answer.data.resetId;
    await this.moveTo('face');
  }

  private readonly sendFace: FaceCheckSend = async (form) => {
    const answer = await readAnswer(
      api['password-resets'][':id']['face-verification'].$post({ param: { id: this.resetId }, form }),
      faceVerificationPassSchema,
    );
    if (!answer.ok && answer.status === GONE_STATUS) this.gone = answer.error;
    return answer;
  };

  private async setPassword(event: Event) {
    event.preventDefault();
    const password = this.passwordForm.fields.value('password');
    const answer = await this.passwordForm.submit(
      () => readAnswer(api['password-resets'][':id'].password.$put({ param: { id: this.resetId }, json: { password } }), sessionAnswerSchema),
      (failure) => {
        if (failure.status !== GONE_STATUS) return false;
        this.gone = failure.error;
        return true;
      },
    );
    if (answer?.ok) navigate(this, routes.applications, true);
  }

  private async restart() {
    this.resetId = '';
    this.gone = '';
    this.passwordForm.fields.setValue('password', '');
    await this.moveTo('identity');
  }

  /** Each step starts with its heading focused, so a screen reader hears where it now is. */
  private async moveTo(step: ForgotPasswordStep) {
    this.step = step;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  private renderIdentity() {
    const f = this.identityForm.fields;
    return html`
      <h2 tabindex="-1">第一步：核对身份</h2>
      <p class="muted">请输入注册时使用的姓名和身份证号码，然后通过人脸识别确认是本人。</p>
      <form novalidate @submit=${this.startReset}>
        ${textField({ ...f.bind('name'), label: IDENTITY_LABELS.name, autocomplete: 'name' })}
        ${textField({
          ...f.bind('idNumber'),
          label: IDENTITY_LABELS.idNumber,
          hint: '18位，最后一位可能是X',
          autocomplete: 'username',
          spellcheck: false,
          autocapitalize: 'characters',
        })}
        <p class="form-error" role="alert">${this.identityForm.error}</p>
        ${this.identityForm.submitButton('下一步', '正在核对…')}
      </form>
      ${this.identityForm.liveRegion()}
    `;
  }

  private renderFace() {
    return html`
      <h2 tabindex="-1">第二步：人脸识别</h2>
      <face-check .send=${this.sendFace} @face-passed=${() => this.moveTo('password')}></face-check>
    `;
  }

  private renderPassword() {
    const f = this.passwordForm.fields;
    return html`
      <h2 tabindex="-1">第三步：设置新密码</h2>
      <p class="muted">人脸识别已通过。设置新密码后将直接登录，其他设备上的登录会退出。</p>
      <form novalidate @submit=${this.setPassword}>
        ${textField({
          ...f.bind('password'),
          label: PASSWORD_LABELS.password,
          hint: PASSWORD_RULE,
          type: this.passwordShown ? 'text' : 'password',
          autocomplete: 'new-password',
          spellcheck: false,
          autocapitalize: 'off',
          trailing: passwordToggle('password', this.passwordShown, () => {
            this.passwordShown = !this.passwordShown;
          }),
        })}
        <p class="form-error" role="alert">${this.passwordForm.error}</p>
        ${this.passwordForm.submitButton('确定', '正在设置…')}
      </form>
      ${this.passwordForm.liveRegion()}
    `;
  }

  private renderGone() {
    return html`<p class="form-error" role="alert">${this.gone}</p>`;
  }

  override render() {
    const body = { identity: () => this.renderIdentity(), face: () => this.renderFace(), password: () => this.renderPassword() }[this.step]();
    return html`
      <section class="card" aria-labelledby="title">
        <h1 id="title">找回密码</h1>
        ${this.gone ? this.renderGone() : body}
        ${
          this.step === 'identity'
            ? html`<p class="restart"><button class="link" type="button" @click=${() => navigate(this, routes.signIn)}>返回登录</button></p>`
            : html`<p class="restart"><button class="link" type="button" @click=${this.restart}>重新开始</button></p>`
        }
      </section>
    `;
  }
}

customElements.define('forgot-password-page', ForgotPasswordPage);

declare global {
  interface HTMLElementTagNameMap {
    'forgot-password-page': ForgotPasswordPage;
  }
}
