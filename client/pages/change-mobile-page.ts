import { css, html, LitElement } from 'lit';
import { FRESH_FACE_REQUIRED_MESSAGE } from '../../shared/api/account-mobile.ts';
import { accountAnswerSchema } from '../../shared/api/accounts.ts';
import { faceVerificationPassSchema } from '../../shared/api/face-verifications.ts';
import { checkMobile, normalizedMobile } from '../components/account-field-rules.ts';
import '../components/face-check.ts';
import type { FaceCheckSend } from '../components/face-check.ts';
import { formFieldStyles, textField } from '../components/form-field.ts';
import { OnlineFormController } from '../components/online-form-controller.ts';
import { api, readAnswer } from '../net/api-client.ts';
import { navigate, routes } from '../navigation.ts';
import { theme } from '../styles/theme.ts';

/** face: 人脸识别; mobile: the new number; done: 已更换; signed-out: no session. */
export type ChangeMobileStep = 'face' | 'mobile' | 'done' | 'signed-out';

const LABELS = { mobile: '新手机号码' };
const OFFLINE = '更换手机号码需要联网，请在网络恢复后重试。已填写的内容不会丢失。';

const sendForSession: FaceCheckSend = (form) => readAnswer(api['face-verifications'].$post({ form }), faceVerificationPassSchema);

/** 更换手机号码: a fresh face check first, then the new number (the server allows 10 minutes between). */
export class ChangeMobilePage extends LitElement {
  static override properties = {
    step: { state: true },
    mobile: { state: true },
  };
  declare step: ChangeMobileStep;
  /** The number now on the account, once changed. */
  declare mobile: string;

  private readonly form = new OnlineFormController<'mobile'>(this, {
    checks: { mobile: checkMobile },
    labels: LABELS,
    offlineMessage: OFFLINE,
  });

  static override styles = [
    theme,
    formFieldStyles,
    css`
      h2 { font-size: 1.1em; margin: 0 0 0.5em; }
      .done { font-size: 1.2em; font-weight: 700; color: #1a7f37; }
    `,
  ];

  constructor() {
    super();
    this.step = 'face';
    this.mobile = '';
  }

  private async submit(event: Event) {
    event.preventDefault();
    const mobile = normalizedMobile(this.form.fields.value('mobile'));
    const answer = await this.form.submit(
      () => readAnswer(api.account.mobile.$put({ json: { mobile } }), accountAnswerSchema),
      (failure) => {
        if (failure.status === 401) {
          this.step = 'signed-out';
          return true;
        }
        if (failure.status !== 403) return false;
        // Too long since the face check: do it again, then the number typed is still here.
        this.form.error = FRESH_FACE_REQUIRED_MESSAGE;
        void this.moveTo('face');
        return true;
      },
    );
    if (!answer?.ok) return;
    this.mobile = answer.data.account.mobile;
    await this.moveTo('done');
  }

  private async moveTo(step: ChangeMobileStep) {
    this.step = step;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h2, [role=status]')?.focus();
  }

  private renderFace() {
    return html`
      <h2 tabindex="-1">第一步：人脸识别</h2>
      <p class="form-error" role="alert">${this.form.error}</p>
      <face-check
        .send=${sendForSession}
        @face-passed=${() => {
          this.form.error = '';
          void this.moveTo('mobile');
        }}
        @face-unauthorized=${() => {
          this.step = 'signed-out';
        }}
      ></face-check>
    `;
  }

  private renderMobile() {
    const f = this.form.fields;
    return html`
      <h2 tabindex="-1">第二步：填写新手机号码</h2>
      <form novalidate @submit=${this.submit}>
        ${textField({ ...f.bind('mobile'), label: LABELS.mobile, type: 'tel', inputmode: 'numeric', autocomplete: 'tel' })}
        <p class="form-error" role="alert">${this.form.error}</p>
        ${this.form.submitButton('确定', '正在更换…')}
      </form>
      ${this.form.liveRegion()}
    `;
  }

  private renderDone() {
    return html`
      <p class="done" role="status" tabindex="-1">手机号码已更换为 ${this.mobile}</p>
      <button class="primary" type="button" @click=${() => navigate(this, routes.applications)}>返回我的申请</button>
    `;
  }

  private renderSignedOut() {
    return html`
      <p class="form-error" role="alert">请先登录</p>
      <button class="primary" type="button" @click=${() => navigate(this, routes.signIn)}>去登录</button>
    `;
  }

  override render() {
    const body = {
      face: () => this.renderFace(),
      mobile: () => this.renderMobile(),
      done: () => this.renderDone(),
      'signed-out': () => this.renderSignedOut(),
    }[this.step]();
    return html`
      <section class="card" aria-labelledby="title">
        <h1 id="title">更换手机号码</h1>
        ${body}
      </section>
    `;
  }
}

customElements.define('change-mobile-page', ChangeMobilePage);

declare global {
  interface HTMLElementTagNameMap {
    'change-mobile-page': ChangeMobilePage;
  }
}
