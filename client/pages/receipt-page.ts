import { css, html, LitElement, nothing } from 'lit';
import { codeLists, nameOf } from '../../shared/code-lists.ts';
import { submissionStatusLabel } from '../../shared/submission-status.ts';
import '../components/step-indicator.ts';
import { type LocalDb, localDb, type ReceiptRecord } from '../data/local-db.ts';
import { receiptFor } from '../data/receipts.ts';
import {
  checkReceiptSignature,
  RECEIPT_SIGNATURE_TEXT,
  type ReceiptSignatureState,
  type ReceiptVerificationDeps,
  webCryptoVerifiesEd25519,
} from '../data/receipt-verification.ts';
import { formatChinaTime } from '../../shared/china-time.ts';
import { navigate, routes } from '../navigation.ts';
import { theme } from '../styles/theme.ts';

/** Said under 回执签名：已验证 where the browser's own check is missing and the app's own one was used. */
export const CHECKED_BY_APP_TEXT = '此浏览器缺少自带的签名核验功能，已由本页自行核验，结果同样可靠。';

/**
 * 申报告知 (step 3): the receipt of the submission the address names (`/apply/done?submission=<id>`),
 * kept on the device so it shows even with no network, and whether the server's signature on it checks
 * out (the public key is kept on the device too).
 */
export class ReceiptPage extends LitElement {
  static override properties = {
    submissionId: { attribute: false },
    db: { attribute: false },
    verification: { attribute: false },
    receipt: { state: true },
    loaded: { state: true },
    signatureState: { state: true },
    checkedByApp: { state: true },
  };
  /** Whose receipt to show (see receiptRoute in client/navigation.ts). */
  declare submissionId: string | undefined;
  /** The device database (tests give their own). */
  declare db: LocalDb | undefined;
  /** How the signature is checked (tests give their own key source). */
  declare verification: ReceiptVerificationDeps;
  declare receipt: ReceiptRecord | undefined;
  declare loaded: boolean;
  declare signatureState: ReceiptSignatureState | undefined;
  /** Verified without the browser's WebCrypto (Ed25519 refused, or no crypto.subtle). */
  declare checkedByApp: boolean;
  /** Resolves once the receipt and its signature state are known. */
  done: Promise<void> = Promise.resolve();

  static override styles = [
    theme,
    css`
      h1 { font-size: 1.25em; margin: 12px 0 0; }
      .success { text-align: center; padding: 24px 16px; }
      .success p { font-size: 1.2em; font-weight: 600; color: #0f7b3f; margin: 0; }
      dl { display: grid; grid-template-columns: fit-content(50%) minmax(0, 1fr); gap: 8px 12px; margin: 0; }
      dt { color: var(--muted, #5a6573); }
      dd { margin: 0; word-break: break-all; }
      .receipt-number { font-size: 1.05em; font-weight: 700; font-variant-numeric: tabular-nums; word-break: normal; overflow-wrap: anywhere; }
      .actions { display: grid; gap: 10px; }
      .signature { margin: 0.75em 0 0; font-weight: 600; }
      .signature.verified { color: #0f7b3f; }
      .signature.invalid { color: var(--danger, #b42318); }
      @media print {
        step-indicator, .actions { display: none; }
        .card { box-shadow: none; border: 1px solid #999; }
      }
    `,
  ];

  constructor() {
    super();
    this.submissionId = undefined;
    this.db = undefined;
    this.verification = {};
    this.receipt = undefined;
    this.loaded = false;
    this.signatureState = undefined;
    this.checkedByApp = false;
  }

  override willUpdate(changed: Map<PropertyKey, unknown>) {
    // Not in connectedCallback: a value set before this module loaded (the shell imports pages lazily)
    // reaches the property only at the first update. Later, another receipt's address while shown.
    if (!this.hasUpdated || changed.has('submissionId')) this.done = this.load(this.submissionId);
  }

  private async load(submissionId: string | undefined) {
    const receipt = submissionId ? await receiptFor(this.db ?? localDb(), submissionId) : undefined;
    // Another address meanwhile: its own load shows its receipt.
    if (submissionId !== this.submissionId) return;
    this.receipt = receipt;
    this.signatureState = undefined;
    this.checkedByApp = false;
    this.loaded = true;
    if (receipt) {
      const state = await checkReceiptSignature(receipt, this.verification);
      const checkedByApp = state === 'verified' && !(await webCryptoVerifiesEd25519());
      if (this.receipt !== receipt) return;
      this.signatureState = state;
      this.checkedByApp = checkedByApp;
    }
  }

  override render() {
    return html`
      <h1>监理工程师执业资格认定（初始注册）</h1>
      <step-indicator current="3"></step-indicator>
      ${this.loaded ? (this.receipt ? this.renderReceipt(this.receipt) : this.renderNone()) : html`<p role="status">正在读取回执…</p>`}
    `;
  }

  private renderNone() {
    return html`<section class="card">
      <p>本机没有提交记录。</p>
      <button class="secondary" type="button" @click=${() => navigate(this, routes.service)}>返回首页</button>
    </section>`;
  }

  private renderReceipt(receipt: ReceiptRecord) {
    const { summary } = receipt;
    const specialties = [summary.specialty1, summary.specialty2]
      .map((code) => nameOf(codeLists.specialties, code) ?? code)
      .join('、');
    return html`
      <section class="card success" role="status">
        <p>您所申请的事项已经提交成功！</p>
      </section>
      <section class="card" aria-labelledby="summary-title">
        <h2 id="summary-title">申报回执</h2>
        <dl>
          <dt>申请编号</dt><dd class="receipt-number">${receipt.receiptNumber}</dd>
          <dt>提交时间</dt><dd>${formatChinaTime(receipt.submittedAt)}</dd>
          <dt>办理状态</dt><dd>${submissionStatusLabel(receipt.status)}</dd>
          <dt>申请人</dt><dd>${summary.name}</dd>
          <dt>受聘企业</dt><dd>${summary.enterpriseName}</dd>
          <dt>申请注册专业</dt><dd>${specialties}</dd>
        </dl>
        ${this.signatureState
          ? html`<p class="signature ${this.signatureState}" id="receipt-signature">${RECEIPT_SIGNATURE_TEXT[this.signatureState]}</p>`
          : nothing}
        ${this.checkedByApp ? html`<p class="muted" id="receipt-signature-note">${CHECKED_BY_APP_TEXT}</p>` : nothing}
        <p class="muted">请牢记申请编号，可在“我的申请”中查看办理进度。</p>
      </section>
      <div class="actions">
        <button class="primary" type="button" @click=${() => window.print()}>打印回执</button>
        <button class="secondary" type="button" @click=${() => navigate(this, routes.applications)}>我的申请</button>
      </div>
    `;
  }
}

customElements.define('receipt-page', ReceiptPage);

declare global {
  interface HTMLElementTagNameMap {
    'receipt-page': ReceiptPage;
  }
}
