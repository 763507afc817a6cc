import { css, html, LitElement, nothing } from 'lit';
import { type FaceVerificationPass, faceVerificationPassSchema } from '../../shared/api/face-verifications.ts';
import { type ApiAnswer, type NetClient, net, readAnswer } from '../net/api-client.ts';
import { theme } from '../styles/theme.ts';
import { formFieldStyles } from './form-field.ts';

/** What the check sends: the journey's session route, or a password reset's own. */
export type FaceCheckSend = (form: { consent: string; image: File }) => Promise<ApiAnswer<FaceVerificationPass>>;

/** The face check of the signed-in person (the journey, 注销账号): POST /api/face-verifications. */
export const faceCheckOfSession =
  (client: NetClient = net): FaceCheckSend =>
  (form) =>
    readAnswer(client.api['face-verifications'].$post({ form }), faceVerificationPassSchema);

type Step = 'consent' | 'verify';
type CameraState = 'off' | 'starting' | 'live' | 'failed';

export const CONSENT_TEXT =
  '本人同意授权本服务使用人脸信息进行实名身份核验，识别结果仅用于本次申报，不保存人脸图像';
const OFFLINE = '人脸识别需要联网，请在网络恢复后重试。';
const ACCEPTED_TYPES = ['image/jpeg', 'image/png'];
// Enough for a face; keeps uploads small on a weak connection.
const MAX_SIDE = 1280;

/**
 * 勾选授权项, then a camera frame (or a chosen photo) goes out through `send`. Fires `face-passed`
 * (detail: the pass) and `face-unauthorized` (a 401); every other refusal is shown here, in the server's words.
 */
export class FaceCheck extends LitElement {
  static override properties = {
    send: { attribute: false },
    step: { state: true },
    consent: { state: true },
    camera: { state: true },
    cameraMessage: { state: true },
    sending: { state: true },
    error: { state: true },
  };
  declare send: FaceCheckSend | undefined;
  declare step: Step;
  declare consent: boolean;
  declare camera: CameraState;
  declare cameraMessage: string;
  declare sending: boolean;
  declare error: string;

  private stream: MediaStream | undefined;

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
  }

  override disconnectedCallback() {
    this.stopCamera();
    super.disconnectedCallback();
  }

  /** Releases the camera, e.g. once the check has passed or the session is gone. */
  stopCamera() {
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
    await this.sendImage(blob, 'face.jpg');
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
    await this.sendImage(blob ?? file, small ? file.name : 'face.jpg');
  }

  private async sendImage(image: Blob, filename: string) {
    if (!this.send) return;
    this.sending = true;
    this.error = '';
    // A File, so the multipart part carries the file name.
    const answer = await this.send({ consent: 'yes', image: new File([image], filename, { type: image.type }) });
    this.sending = false;
    if (answer.ok) {
      this.stopCamera();
      this.dispatchEvent(new CustomEvent<FaceVerificationPass>('face-passed', { detail: answer.data, bubbles: true, composed: true }));
      return;
    }
    if (answer.status === 401) {
      this.stopCamera();
      this.dispatchEvent(new CustomEvent('face-unauthorized', { bubbles: true, composed: true }));
      return;
    }
    // A face that does not pass is a 422 with the server's words.
    this.error = answer.offline ? OFFLINE : answer.error;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('#capture')?.focus();
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

  override render() {
    return this.step === 'consent' ? this.renderConsent() : this.renderVerify();
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

customElements.define('face-check', FaceCheck);

declare global {
  interface HTMLElementTagNameMap {
    'face-check': FaceCheck;
  }
  interface HTMLElementEventMap {
    'face-passed': CustomEvent<FaceVerificationPass>;
  }
}
