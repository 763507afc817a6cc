import { css, html, LitElement, nothing } from 'lit';
import { type FaceVerificationPass, faceVerificationPassSchema } from '../../shared/api/face-verifications.ts';
import { sessionAnswerSchema } from '../../shared/api/session.ts';
import { formFieldStyles } from '../components/form-field.ts';
import { api, readAnswer } from '../net/api-client.ts';
import { navigate, routes } from '../navigation.ts';
import { theme } from '../styles/theme.ts';

/** consent: 勾选授权项; verify: camera or photo; passed: 已通过; signed-out: no session. */
export type FaceStep = 'consent' | 'verify' | 'passed' | 'signed-out';
type CameraState = 'off' | 'starting' | 'live' | 'failed';

export const CONSENT_TEXT =
  '本人同意授权本服务使用人脸信息进行实名身份核验，识别结果仅用于本次申报，不保存人脸图像';
const OFFLINE = '人脸识别需要联网，请在网络恢复后重试。';
const ACCEPTED_TYPES = ['image/jpeg', 'image/png'];
// Enough for a face; keeps uploads small on a weak connection.
const MAX_SIDE = 1280;
const AUTO_NEXT_MS = 1500;

/** 人脸识别: authorise, then a camera frame (or a chosen photo) goes to the verifier; 已通过 moves on. */
export class FacePage extends LitElement {
  static override properties = {
    step: { state: true },
    consent: { state: true },
    camera: { state: true },
    cameraMessage: { state: true },
    sending: { state: true },
    error: { state: true },
    provider: { state: true },
  };
  declare step: FaceStep;
  declare consent: boolean;
  declare camera: CameraState;
  declare cameraMessage: string;
  declare sending: boolean;
  declare error: string;
  /** Who verified, from the server ('development' = simulated). */
  declare provider: string;

  private stream: MediaStream | undefined;
  private nextTimer: ReturnType<typeof setTimeout> | undefined;

  static override styles = [
    theme,
    formFieldStyles,
    css`
      h2 { font-size: 1.1em; margin: 0 0 0.5em; }
      .consent { display: flex; gap: 0.75em; align-items: flex-start; margin: 0 0 1em; }
      .consent input { flex: none; width: 1.5em; height: 1.5em; min-height: 0; margin: 0.1em 0 0; }
      .consent label { cursor: pointer; }
      .preview {
        width: 100%;
        max-height: 50vh;
        aspect-ratio: 3 / 4;
        object-fit: cover;
        border-radius: 12px;
        background: #1c2430;
        /* Mirror the preview like a looking glass; the frame sent is not mirrored. */
        transform: scaleX(-1);
      }
      .photo { margin: 1em 0; }
      .photo label { display: block; font-weight: 600; margin: 0 0 0.25em; }
      .photo input { width: 100%; min-height: var(--target, 44px); }
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
    this.step = 'consent';
    this.consent = false;
    this.camera = 'off';
    this.cameraMessage = '';
    this.sending = false;
    this.error = '';
    this.provider = '';
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.checkSession();
  }

  override disconnectedCallback() {
    this.stopCamera();
    clearTimeout(this.nextTimer);
    super.disconnectedCallback();
  }

  /**
   * Only a definite "not signed in" stops the page; offline or a server hiccup lets the person read
   * and authorise, and the upload itself then says what is wrong.
   */
  private async checkSession() {
    const answer = await readAnswer(api.session.$get(), sessionAnswerSchema);
    if (!answer.ok && answer.status === 401) this.signedOut();
  }

  private signedOut() {
    this.stopCamera();
    this.step = 'signed-out';
  }

  private stopCamera() {
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = undefined;
    const video = this.renderRoot?.querySelector('video');
    if (video) video.srcObject = null;
    if (this.camera !== 'failed') this.camera = 'off';
  }

  private async next() {
    if (!this.consent) return;
    this.step = 'verify';
    this.error = '';
    await this.startCamera();
  }

  private async startCamera() {
    this.camera = 'starting';
    this.cameraMessage = '';
    if (!navigator.mediaDevices?.getUserMedia) {
      this.cameraFailed('当前浏览器无法使用摄像头。');
      return;
    }
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user' } });
    } catch (err) {
      const name = err instanceof DOMException ? err.name : '';
      this.cameraFailed(
        name === 'NotAllowedError' || name === 'SecurityError'
          ? '未获得摄像头使用权限。可在浏览器设置中允许本网站使用摄像头后点击“重新打开摄像头”。'
          : '未检测到可用的摄像头，或摄像头正被其他应用使用。',
      );
      return;
    }
    // The person may have left (or lost the session) while the browser asked for permission.
    if (!this.isConnected || this.step !== 'verify') {
      for (const track of stream.getTracks()) track.stop();
      return;
    }
    this.stream = stream;
    await this.updateComplete;
    const video = this.renderRoot.querySelector('video');
    if (video) {
      video.srcObject = stream;
      await video.play().catch(() => undefined);
      // 开始识别 is offered only once a frame can be captured, not merely once the stream exists.
      if (video.videoWidth === 0) await new Promise((resolve) => video.addEventListener('loadeddata', resolve, { once: true }));
    }
    if (this.stream === stream) this.camera = 'live';
  }

  private cameraFailed(reason: string) {
    this.camera = 'failed';
    this.cameraMessage = `${reason}您也可以选择一张本人近期的正面免冠照片进行识别。`;
  }

  private async captureFrame() {
    if (this.sending) return;
    const video = this.renderRoot.querySelector('video');
    if (!video || video.videoWidth === 0) {
      this.error = '摄像头画面尚未就绪，请稍候再试。';
      return;
    }
    const blob = await encodeJpeg(video, video.videoWidth, video.videoHeight);
    if (!blob) {
      this.error = '无法读取摄像头画面，请重试或选择照片。';
      return;
    }
    await this.send(blob, 'face.jpg');
  }

  private async photoChosen(event: Event) {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared so choosing the same file again fires change again.
    input.value = '';
    if (!file || this.sending) return;
    if (!ACCEPTED_TYPES.includes(file.type)) {
      this.error = '请选择 JPG 或 PNG 格式的照片。';
      return;
    }
    let image: ImageBitmap;
    try {
      image = await createImageBitmap(file);
    } catch {
      this.error = '无法读取这张照片，请换一张 JPG 或 PNG 照片。';
      return;
    }
    const small = image.width <= MAX_SIDE && image.height <= MAX_SIDE;
    const blob = small ? file : await encodeJpeg(image, image.width, image.height);
    image.close();
    await this.send(blob ?? file, small ? file.name : 'face.jpg');
  }

  private async send(image: Blob, filename: string) {
    this.sending = true;
    this.error = '';
    // A File, so the multipart part carries the file name.
    const form = { consent: 'yes', image: new File([image], filename, { type: image.type }) };
    const answer = await readAnswer(api['face-verifications'].$post({ form }), faceVerificationPassSchema);
    this.sending = false;
    if (answer.ok) {
      await this.passed(answer.data);
      return;
    }
    // A face that does not pass is a 422 with the server's words.
    if (answer.offline) this.error = OFFLINE;
    else if (answer.status === 401) this.signedOut();
    else this.error = answer.error;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('#capture')?.focus();
  }

  private async passed(verification: FaceVerificationPass) {
    this.stopCamera();
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

  private renderConsent() {
    return html`
      <h2>第一步：勾选授权项</h2>
      <p>为确认是本人办理，需要进行人脸识别。识别时仅上传一帧画面用于核验，核验后不保存人脸图像。</p>
      <div class="consent">
        <input
          id="consent"
          type="checkbox"
          .checked=${this.consent}
          @change=${(e: Event) => {
            this.consent = (e.target as HTMLInputElement).checked;
          }}
        />
        <label for="consent">${CONSENT_TEXT}</label>
      </div>
      <p id="consent-needed" class="muted" ?hidden=${this.consent}>请先勾选授权项。</p>
      <button
        class="primary"
        type="button"
        ?disabled=${!this.consent}
        aria-describedby=${this.consent ? nothing : 'consent-needed'}
        @click=${this.next}
      >下一步</button>
    `;
  }

  private renderVerify() {
    return html`
      <h2>第二步：人脸识别</h2>
      ${
        this.camera === 'failed'
          ? html`
              <p class="form-error" role="alert">${this.cameraMessage}</p>
              <div class="photo">
                <label for="photo">选择照片</label>
                <input
                  id="photo"
                  type="file"
                  accept="image/jpeg,image/png"
                  aria-describedby="photo-hint"
                  ?disabled=${this.sending}
                  @change=${this.photoChosen}
                />
                <p id="photo-hint" class="hint">JPG 或 PNG 格式，本人近期正面免冠照片，五官清晰。</p>
              </div>
              <button class="secondary" type="button" ?disabled=${this.sending} @click=${this.startCamera}>
                重新打开摄像头
              </button>
            `
          : html`
              <p>请正对摄像头，保持光线充足，让面部完整出现在画面中，然后点击“开始识别”。</p>
              <video class="preview" autoplay muted playsinline aria-label="摄像头画面"></video>
              <p class="muted" role="status">${this.camera === 'starting' ? '正在打开摄像头…' : ''}</p>
              <button
                id="capture"
                class="primary"
                type="button"
                ?disabled=${this.sending || this.camera !== 'live'}
                @click=${this.captureFrame}
              >${this.sending ? '正在识别…' : '开始识别'}</button>
            `
      }
      ${this.sending && this.camera === 'failed' ? html`<p role="status">正在识别…</p>` : nothing}
      <div class="form-error" role="alert">${this.error}</div>
    `;
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
      consent: () => this.renderConsent(),
      verify: () => this.renderVerify(),
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

/** Draws the source (scaled to at most MAX_SIDE) and encodes it as JPEG, as the verifier expects. */
function encodeJpeg(source: CanvasImageSource, width: number, height: number): Promise<Blob | null> {
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const context = canvas.getContext('2d');
  if (!context) return Promise.resolve(null);
  context.drawImage(source, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.8));
}

customElements.define('face-page', FacePage);

declare global {
  interface HTMLElementTagNameMap {
    'face-page': FacePage;
  }
}
