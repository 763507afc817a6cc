import { css, html, LitElement, nothing } from 'lit';
import type { FaceVerificationPass } from '../../shared/api/face-verifications.ts';
import { sessionAnswerSchema } from '../../shared/api/session.ts';
import '../components/face-check.ts';
import { faceCheckOfSession } from '../components/face-check.ts';
import { formFieldStyles } from '../components/form-field.ts';
import { api, readAnswer } from '../net/api-client.ts';
import { navigate, routes } from '../navigation.ts';
import { theme } from '../styles/theme.ts';

/** check: 授权 and the face check; passed: 已通过; signed-out: no session. */
export type FaceStep = 'check' | 'passed' | 'signed-out';

const AUTO_NEXT_MS = 1500;

/** The journey's face check goes to the signed-in person's own verifications. */
const sendForSession = faceCheckOfSession();

/** 人脸识别 of the journey: the check, then 已通过 moves on to 注册须知. */
export class FacePage extends LitElement {
  static override properties = {
    step: { state: true },
    provider: { state: true },
  };
  declare step: FaceStep;
  /** Who verified, from the server ('development' = simulated). */
  declare provider: string;

  private nextTimer: ReturnType<typeof setTimeout> | undefined;

  static override styles = [
    theme,
    formFieldStyles,
    css`
      .passed { font-size: 1.6em; font-weight: 700; color: #1a7f37; text-align: center; margin: 0.5em 0; }
      .badge {
        display: inline-block;
        padding: 0 0.5em;
        border-radius: 0.3em;
        background: #fff4d6;
        color: #7a4b00;
        border: 1px solid #e0b44c;
        font-size: 0.85em;
        font-weight: 600;
      }
      .dev { text-align: center; font-size: 0.9em; }
    `,
  ];

  constructor() {
    super();
    this.step = 'check';
    this.provider = '';
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.checkSession();
  }

  override disconnectedCallback() {
    clearTimeout(this.nextTimer);
    super.disconnectedCallback();
  }

  /**
   * Only a definite "not signed in" stops the page; offline or a server hiccup lets the person read
   * and authorise, and the upload itself then says what is wrong.
   */
  private async checkSession() {
    const answer = await readAnswer(api.session.$get(), sessionAnswerSchema);
    if (!answer.ok && answer.status === 401) this.step = 'signed-out';
  }

  private async passed(verification: FaceVerificationPass) {
    this.provider = verification.provider;
    this.step = 'passed';
    this.nextTimer = setTimeout(() => this.goNotice(), AUTO_NEXT_MS);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('#go-notice')?.focus();
  }

  private goNotice() {
    clearTimeout(this.nextTimer);
    if (this.isConnected) navigate(this, routes.notice, true);
  }

  private renderPassed() {
    const development = this.provider === 'development';
    return html`
      <p class="passed" role="status">已通过</p>
      ${
        development
          ? html`<p class="dev">
              <span class="badge">开发模式</span>
              当前为开发环境，身份核验为模拟结果，并未与权威数据比对。
            </p>`
          : nothing
      }
      <p class="muted">即将进入申报须知…</p>
      <button id="go-notice" class="primary" type="button" @click=${this.goNotice}>下一步</button>
    `;
  }

  private renderSignedOut() {
    return html`
      <p class="form-error" role="alert">请先核验身份</p>
      <button class="primary" type="button" @click=${() => navigate(this, routes.identity)}>返回</button>
    `;
  }

  override render() {
    const body = {
      check: () =>
        html`<face-check
          .send=${sendForSession}
          @face-passed=${(e: CustomEvent<FaceVerificationPass>) => this.passed(e.detail)}
          @face-unauthorized=${() => {
            this.step = 'signed-out';
          }}
        ></face-check>`,
      passed: () => this.renderPassed(),
      'signed-out': () => this.renderSignedOut(),
    }[this.step]();
    return html`
      <section class="card" aria-labelledby="title">
        <h1 id="title">人脸识别</h1>
        ${body}
      </section>
    `;
  }
}

customElements.define('face-page', FacePage);

declare global {
  interface HTMLElementTagNameMap {
    'face-page': FacePage;
  }
}
