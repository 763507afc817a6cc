import { css, html, LitElement, nothing } from 'lit';
import {
  type AccessEntry,
  closureAnswerSchema,
  KEPT_AFTER_CLOSING,
  type MyApplication,
  type MyData,
  myDataMessages,
  myDataSchema,
  noticeStateLabels,
} from '../../shared/api/my-data.ts';
import { isoDateOf } from '../../shared/calendar-date.ts';
import { formatChinaTime } from '../../shared/china-time.ts';
import { FINAL_STATUSES } from '../../shared/review/workflow.ts';
import type { SubmissionStatus } from '../../shared/submission-status.ts';
import '../components/face-check.ts';
import { faceCheckOfSession } from '../components/face-check.ts';
import { clearDeviceData } from '../data/device-data.ts';
import type { LocalDb } from '../data/local-db.ts';
import { type NetClient, net, readAnswer } from '../net/api-client.ts';
import { navigate, routes } from '../navigation.ts';
import { theme } from '../styles/theme.ts';

type View =
  | { kind: 'loading' }
  | { kind: 'data'; data: MyData }
  | { kind: 'signed-out' }
  | { kind: 'error'; message: string }
  | { kind: 'closed'; kept: string };

/** idle: 注销账号 offered; confirm: what it does, asked once more; face: a fresh face check first. */
type Closing = 'idle' | 'confirm' | 'face' | 'sending';

/** `我的数据-2025-03-01.json`: the China date of the answer. */
export function downloadName(exportedAt: string): string {
  return `我的数据-${isoDateOf(new Date(exportedAt))}.json`;
}

/** The applications that keep the account open (not in a final status of the workflow). */
export function inProgressOf(applications: readonly MyApplication[]): MyApplication[] {
  return applications.filter((application) => !FINAL_STATUSES.includes(application.status as SubmissionStatus));
}

/**
 * 我的信息: everything the service keeps about the person, 谁查看了我的申请, 下载我的数据 (the answer
 * itself, saved on the device), and 注销账号 after a fresh face check, which also clears this device.
 */
export class MyDataPage extends LitElement {
  static override properties = {
    db: { attribute: false },
    net: { attribute: false },
    view: { state: true },
    closing: { state: true },
    closeError: { state: true },
  };
  /** The device database to clear on closing (tests give their own). */
  declare db: LocalDb | undefined;
  /** The network (tests give one over a fake server). */
  declare net: NetClient;
  declare view: View;
  declare closing: Closing;
  declare closeError: string;

  static override styles = [
    theme,
    css`
      h1 { font-size: 1.25em; margin: 12px 0; }
      h2 { font-size: 1.05em; margin: 0 0 0.5em; }
      h3 { font-size: 1em; margin: 0.75em 0 0.25em; }
      dl { margin: 0; display: grid; grid-template-columns: fit-content(50%) minmax(0, 1fr); gap: 4px 12px; }
      dt { color: var(--muted, #56606d); }
      dd { margin: 0; word-break: break-all; }
      ul { margin: 0; padding-left: 1.2em; }
      li { margin: 0.25em 0; }
      .number { font-weight: 700; word-break: break-all; }
      .muted { color: var(--muted, #56606d); }
      .actions { display: grid; gap: 10px; margin-top: 0.75em; }
      button.danger { border: 0; border-radius: 8px; background: var(--danger, #b42318); color: #fff; padding: 0 16px; }
      button.danger:disabled { opacity: 0.6; cursor: not-allowed; }
    `,
  ];

  constructor() {
    super();
    this.db = undefined;
    this.net = net;
    this.view = { kind: 'loading' };
    this.closing = 'idle';
    this.closeError = '';
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    const answer = await readAnswer(this.net.api.me.data.$get(), myDataSchema);
    if (answer.ok) this.view = { kind: 'data', data: answer.data };
    else if (answer.status === 401) this.view = { kind: 'signed-out' };
    else this.view = { kind: 'error', message: answer.error };
  }

  /** 下载我的数据: the answer as it came, one JSON file, made here on the device. */
  download(data: MyData): void {
    const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = downloadName(data.exportedAt);
    link.hidden = true;
    this.renderRoot.appendChild(link);
    link.click();
    link.remove();
    // Revoked well after the browser has started saving it, not at once: that could cut the download off.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  private get sendFace() {
    return faceCheckOfSession(this.net);
  }

  private async close() {
    if (this.closing === 'sending') return;
    this.closing = 'sending';
    this.closeError = '';
    const answer = await readAnswer(this.net.api.me.closure.$post(), closureAnswerSchema);
    if (answer.ok) {
      // The device's copies go too: drafts, outbox, receipts and web storage.
      await clearDeviceData(this.db).catch((error: unknown) => console.error('[my-data] device not cleared', error));
      this.closing = 'idle';
      this.view = { kind: 'closed', kept: answer.data.kept };
      await this.focusOn('#closed-title');
      return;
    }
    if (answer.status === 403) {
      this.closing = 'face';
      this.closeError = answer.error;
      return;
    }
    if (answer.status === 401) {
      this.view = { kind: 'signed-out' };
      return;
    }
    this.closing = 'idle';
    this.closeError = answer.error;
    await this.focusOn('#close-error');
  }

  private async ask() {
    this.closeError = '';
    this.closing = 'confirm';
    await this.focusOn('#confirm-close');
  }

  private async focusOn(selector: string) {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  override render() {
    return html`<h1>我的信息</h1>${this.renderView()}`;
  }

  private renderView() {
    switch (this.view.kind) {
      case 'loading':
        return html`<p role="status">正在查询…</p>`;
      case 'signed-out':
        return html`<section class="card">
          <p>请先核验身份后查看您的信息。</p>
          <button class="primary" type="button" @click=${() => navigate(this, routes.identity)}>核验身份</button>
        </section>`;
      case 'error':
        return html`<p class="error" role="alert">${this.view.message}</p>`;
      case 'closed':
        return html`<section class="card" aria-labelledby="closed-title">
          <h2 id="closed-title" tabindex="-1">账号已注销</h2>
          <p>您已退出登录，本设备上的草稿、回执等数据已清除。</p>
          <p>${this.view.kept}</p>
          <button class="primary" type="button" @click=${() => navigate(this, routes.service)}>返回首页</button>
        </section>`;
      case 'data':
        return this.renderData(this.view.data);
    }
  }

  private renderData(data: MyData) {
    return html`
      <p class="muted">以下是本服务保存的有关您的全部信息（${formatChinaTime(data.exportedAt)} 查询）。</p>
      ${this.renderAccount(data)} ${this.renderApplications(data.applications)} ${this.renderAccessLog(data.accessLog)}
      ${this.renderFaceChecks(data)} ${this.renderNotices(data)}
      <section class="card" aria-labelledby="download-title">
        <h2 id="download-title">下载我的数据</h2>
        <p>以上全部信息（含每份申请各版本所提交的内容）保存为一个 JSON 文件。</p>
        <button class="secondary" type="button" @click=${() => this.download(data)}>下载我的数据</button>
      </section>
      ${this.renderClosing(data)}
      <button class="secondary" type="button" @click=${() => navigate(this, routes.service)}>返回首页</button>
    `;
  }

  private renderAccount({ account }: MyData) {
    return html`<section class="card" aria-labelledby="account-title">
      <h2 id="account-title">账号</h2>
      <dl>
        <dt>姓名</dt><dd>${account.name}</dd>
        <dt>身份证号码</dt><dd>${account.idNumber}</dd>
        <dt>手机号码</dt><dd>${account.mobile}</dd>
        <dt>注册时间</dt><dd>${formatChinaTime(account.createdAt)}</dd>
      </dl>
      <button class="secondary" type="button" @click=${() => navigate(this, routes.changeMobile)}>更换手机号码</button>
    </section>`;
  }

  private renderApplications(applications: readonly MyApplication[]) {
    return html`<section class="card" aria-labelledby="applications-title">
      <h2 id="applications-title">我的申请</h2>
      ${applications.length === 0
        ? html`<p>暂无申请记录。</p>`
        : applications.map(
            (application) => html`<div class="application">
              <h3 class="number">申请编号：${application.receiptNumber}</h3>
              <p>办理状态：${application.statusLabel}；首次提交：${formatChinaTime(application.submittedAt)}</p>
              <ul aria-label=${`申请 ${application.receiptNumber} 的各版本`}>
                ${application.versions.map((version) => html`<li>第 ${version.version} 版，${formatChinaTime(version.submittedAt)} 提交</li>`)}
              </ul>
              <ul aria-label=${`申请 ${application.receiptNumber} 的办理记录`}>
                ${application.history.map(
                  (step) => html`<li>${formatChinaTime(step.at)}：${step.statusLabel}${step.reason ? html`（${step.reason}）` : nothing}</li>`,
                )}
              </ul>
            </div>`,
          )}
    </section>`;
  }

  private renderAccessLog(entries: readonly AccessEntry[]) {
    return html`<section class="card" aria-labelledby="access-title">
      <h2 id="access-title">谁查看了我的申请</h2>
      <p class="muted">工作人员、受聘单位或对接系统每次查看或办理您的申请，都会记录在这里（只显示身份和单位，不显示工作人员姓名）。</p>
      ${entries.length === 0
        ? html`<p>暂无记录。</p>`
        : html`<ul class="access-log">
            ${entries.map(
              (entry) => html`<li>
                ${formatChinaTime(entry.at)}，${entry.roleLabel}${entry.organisation ? html`（${entry.organisation}）` : nothing}
                ${entry.actionLabel}（申请编号 ${entry.receiptNumber}）
              </li>`,
            )}
          </ul>`}
    </section>`;
  }

  private renderFaceChecks({ faceChecks }: MyData) {
    return html`<section class="card" aria-labelledby="face-title">
      <h2 id="face-title">人脸识别记录</h2>
      <p class="muted">只保存识别结果和时间，不保存人脸图像。</p>
      ${faceChecks.length === 0
        ? html`<p>暂无记录。</p>`
        : html`<ul>
            ${faceChecks.map((check) => html`<li>${formatChinaTime(check.at)}：${check.result === 'pass' ? '通过' : '未通过'}</li>`)}
          </ul>`}
    </section>`;
  }

  private renderNotices({ notices }: MyData) {
    return html`<section class="card" aria-labelledby="notices-title">
      <h2 id="notices-title">短信通知</h2>
      ${notices.length === 0
        ? html`<p>暂无通知。</p>`
        : html`<ul>
            ${notices.map(
              (notice) =>
                html`<li>${formatChinaTime(notice.sentAt ?? notice.createdAt)}（${noticeStateLabels[notice.state] ?? notice.state}）：${notice.text}</li>`,
            )}
          </ul>`}
    </section>`;
  }

  private renderClosing(data: MyData) {
    const inProgress = inProgressOf(data.applications);
    return html`<section class="card" aria-labelledby="close-title">
      <h2 id="close-title">注销账号</h2>
      <p id="close-kept">${KEPT_AFTER_CLOSING}</p>
      ${inProgress.length > 0 ? html`<p id="close-blocked" class="error">${myDataMessages.inProgress(inProgress)}</p>` : nothing}
      <p id="close-error" class="error" role="alert" tabindex="-1">${this.closeError}</p>
      ${this.renderClosingStep(inProgress.length > 0)}
    </section>`;
  }

  private renderClosingStep(blocked: boolean) {
    switch (this.closing) {
      case 'idle':
        return html`<button class="secondary" type="button" aria-describedby=${blocked ? 'close-blocked' : 'close-kept'} @click=${this.ask}>
          注销账号
        </button>`;
      case 'confirm':
      case 'sending':
        return html`<p><strong>注销后账号不能再登录，本设备上的数据也将清除。确定注销吗？</strong></p>
          <div class="actions">
            <button id="confirm-close" class="danger" type="button" ?disabled=${this.closing === 'sending'} @click=${this.close}>
              ${this.closing === 'sending' ? '正在注销…' : '确认注销'}
            </button>
            <button class="secondary" type="button" @click=${() => (this.closing = 'idle')}>取消</button>
          </div>`;
      case 'face':
        return html`<face-check
            .send=${this.sendFace}
            @face-passed=${this.close}
            @face-unauthorized=${() => (this.view = { kind: 'signed-out' })}
          ></face-check>
          <button class="secondary" type="button" @click=${() => (this.closing = 'idle')}>取消</button>`;
    }
  }
}

customElements.define('my-data-page', MyDataPage);

declare global {
  interface HTMLElementTagNameMap {
    'my-data-page': MyDataPage;
  }
}
