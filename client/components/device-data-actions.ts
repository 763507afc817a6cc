import { css, html, LitElement, nothing } from 'lit';
import { clearDeviceData, endServerSession, signOutAndClear } from '../data/device-data.ts';
import { type LocalDb, localDb } from '../data/local-db.ts';
import { unsentCount } from '../sync/outbox.ts';
import { theme } from '../styles/theme.ts';

type Action = 'clear' | 'sign-out';

export const DEVICE_DATA_TEXT = {
  cleared: '本机数据已清除。',
  signedOut: '已退出登录，本机数据已清除。',
  signedOutOffline: '已在本机退出登录并清除数据。网络恢复后将自动结束服务器上的登录。',
  failed: '未能清除本机数据，请关闭本应用的其他页面后重试。',
} as const;

/**
 * 清除本机数据 and 退出登录: both remove everything the app keeps on this device, after a confirmation
 * that says what goes, and warns when submissions have not reached the server yet.
 */
export class DeviceDataActions extends LitElement {
  static override properties = {
    db: { attribute: false },
    endSession: { attribute: false },
    action: { state: true },
    unsent: { state: true },
    busy: { state: true },
    message: { state: true },
  };

  /** The device database (tests give their own). */
  declare db: LocalDb | undefined;
  /** DELETE /api/session; resolves whether the server has ended it (tests give their own). */
  declare endSession: () => Promise<boolean>;
  declare private action: Action | undefined;
  declare private unsent: number;
  declare private busy: boolean;
  declare private message: string;

  static override styles = [
    theme,
    css`
      h2 { font-size: 1.05em; margin: 0 0 0.5em; }
      p { margin: 0.5em 0; }
      .actions { display: flex; flex-wrap: wrap; gap: 0.75em; }
      dialog { border: 0; border-radius: 10px; padding: 1em; width: min(32em, calc(100vw - 1.5em)); color: inherit; font-size: inherit; }
      dialog::backdrop { background: rgb(0 0 0 / 45%); }
      dialog ul { margin: 0.25em 0; padding-left: 1.4em; }
      .warning { color: var(--danger, #b42318); background: #fdecea; border-radius: 8px; padding: 0.5em 0.75em; font-weight: 600; }
      .buttons { display: flex; gap: 0.75em; justify-content: flex-end; margin-top: 1em; }
      button.danger { border: 0; border-radius: 8px; background: var(--danger, #b42318); color: #fff; padding: 0 16px; }
      button.danger:disabled { opacity: 0.6; cursor: not-allowed; }
    `,
  ];

  constructor() {
    super();
    this.db = undefined;
    this.endSession = endServerSession;
    this.action = undefined;
    this.unsent = 0;
    this.busy = false;
    this.message = '';
  }

  private get database(): LocalDb {
    return this.db ?? localDb();
  }

  private get dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  /** Opens the confirmation for an action; counts first what would be lost. */
  async ask(action: Action): Promise<void> {
    this.message = '';
    this.unsent = await unsentCount(this.database).catch(() => 0);
    this.action = action;
    await this.updateComplete;
    const dialog = this.dialog;
    if (dialog && !dialog.open) dialog.showModal();
  }

  private cancel() {
    this.dialog?.close();
    this.action = undefined;
  }

  private async confirm() {
    const action = this.action;
    if (!action || this.busy) return;
    this.busy = true;
    try {
      if (action === 'clear') {
        await clearDeviceData(this.database);
        this.message = DEVICE_DATA_TEXT.cleared;
      } else {
        const { serverSignedOut } = await signOutAndClear(this.database, this.endSession);
        this.message = serverSignedOut ? DEVICE_DATA_TEXT.signedOut : DEVICE_DATA_TEXT.signedOutOffline;
      }
      this.dispatchEvent(new CustomEvent('device-cleared', { detail: { action }, bubbles: true, composed: true }));
    } catch (error) {
      console.error('[device] clearing failed', error);
      this.message = DEVICE_DATA_TEXT.failed;
    } finally {
      this.busy = false;
      this.cancel();
    }
  }

  private renderDialog() {
    const action = this.action;
    const signOut = action === 'sign-out';
    return html`<dialog aria-labelledby="device-dialog-title" aria-describedby="device-dialog-text" @close=${() => (this.action = undefined)}>
      <h2 id="device-dialog-title">${signOut ? '退出登录' : '清除本机数据'}</h2>
      <div id="device-dialog-text">
        ${signOut ? html`<p>将结束登录，并从本设备删除以下内容：</p>` : html`<p>将从本设备删除以下内容：</p>`}
        <ul>
          <li>未提交的申请草稿，包括身份证号码、照片和签名</li>
          <li>等待提交的申请</li>
          <li>本机保存的申报回执</li>
          <li>企业名称的搜索记录</li>
        </ul>
        ${this.unsent > 0
          ? html`<p class="warning">还有 ${this.unsent} 份申请尚未提交成功，删除后将无法恢复，需要重新填写。</p>`
          : nothing}
        <p>已提交成功的申请保存在服务器上，不受影响，核验身份后可在“我的申请”中查看。</p>
      </div>
      <div class="buttons">
        <button type="button" class="secondary" @click=${this.cancel}>取消</button>
        <button type="button" class="danger" ?disabled=${this.busy} @click=${this.confirm}>
          ${signOut ? '退出并清除' : '确认清除'}
        </button>
      </div>
    </dialog>`;
  }

  override render() {
    return html`
      <section class="card" aria-labelledby="device-title">
        <h2 id="device-title">本机数据</h2>
        <p class="muted">填写的内容、照片、签名和回执保存在本设备上，以便没有网络时也能使用。在他人的设备上办理后，请退出登录。</p>
        <div class="actions">
          <button type="button" class="secondary" aria-haspopup="dialog" @click=${() => this.ask('clear')}>清除本机数据</button>
          <button type="button" class="secondary" aria-haspopup="dialog" @click=${() => this.ask('sign-out')}>退出登录</button>
        </div>
        <p role="status">${this.message}</p>
      </section>
      ${this.renderDialog()}
    `;
  }
}

customElements.define('device-data-actions', DeviceDataActions);

declare global {
  interface HTMLElementTagNameMap {
    'device-data-actions': DeviceDataActions;
  }
}
