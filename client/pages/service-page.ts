import { css, html, LitElement, nothing } from 'lit';
import { SERVICE_ITEM_CODE, SERVICE_TITLE } from '../../shared/service.ts';
import { afterFirstScreen } from '../after-first-screen.ts';
import type { DeviceStorage } from '../data/device-storage.ts';
import { navigate, routes } from '../navigation.ts';
import { theme } from '../styles/theme.ts';

/** Promised only where the browser keeps data (elsewhere the browser-limits notice says it does not). */
export const KEPT_ON_DEVICE_TEXT = '填写的内容随时保存在本机，网络中断也不会丢失。';

/** The entry screen: what the service is, and `在线办理` to start. */
export class ServicePage extends LitElement {
  static override properties = { storage: { state: true } };

  declare private storage: DeviceStorage | undefined;

  static override styles = [
    theme,
    css`
      h1 { font-size: 1.35em; line-height: 1.4; margin: 0 0 8px; }
      .code { color: var(--muted); font-size: 0.9em; margin: 0; container-type: inline-size; }
      /*
       * One piece: a line may break before the code, never inside it (a lone 0 on a line of its own).
       * Its 31 characters are about 20 em wide: smaller on a narrow screen, so it still fits the card.
       */
      .code-value { white-space: nowrap; font-size: min(1em, 4.7cqi); }
      /* Without container units (Chromium before 105, Safari before 16) the code wraps rather than overflows. */
      @supports not (font-size: 1cqi) { .code-value { white-space: normal; word-break: break-all; } }
      dl { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: 6px 12px; }
      dt { color: var(--muted); }
      dd { margin: 0; }
      h2 { font-size: 1.05em; margin: 0 0 8px; }
      ol { margin: 0; padding-left: 1.4em; }
      .actions { display: grid; gap: 10px; }
    `,
  ];

  override connectedCallback() {
    super.connectedCallback();
    // Loaded after the first paint: it needs IndexedDB (Dexie), the rest of this screen does not.
    void afterFirstScreen(() => import('../components/device-data-actions.ts'));
    // Also after the first paint: the service worker's database code shares this module, so in the
    // entry it would be a chunk of its own, a third request before the first screen.
    void afterFirstScreen(() => import('../data/device-storage.ts')).then(async ({ deviceStorage }) => {
      const storage = await deviceStorage();
      this.storage = storage;
    });
  }

  private start() {
    navigate(this, routes.identity);
  }

  override render() {
    return html`
      <section class="card" aria-labelledby="title">
        <h1 id="title">${SERVICE_TITLE}</h1>
        <p class="code">事项编码：<span class="code-value">${SERVICE_ITEM_CODE}</span></p>
      </section>
      <section class="card" aria-labelledby="about">
        <h2 id="about">事项说明</h2>
        <p>
          已取得监理工程师职业资格证书的人员，受聘于一家已在注册监理工程师管理系统完成注册和认证的单位，可申请一至两个专业的初始注册。${this.storage === 'device' ? KEPT_ON_DEVICE_TEXT : nothing}
        </p>
        <dl>
          <dt>办理对象</dt><dd>自然人</dd>
          <dt>办理流程</dt><dd>单位确认、受理、审查（20个工作日）、公示（10个工作日）、决定</dd>
          <dt>年龄要求</dt><dd>申请之日未超过65周岁</dd>
        </dl>
      </section>
      <section class="card" aria-labelledby="steps">
        <h2 id="steps">办理步骤</h2>
        <ol>
          <li>核验身份（姓名、身份证号码），首次使用需注册</li>
          <li>人脸识别</li>
          <li>阅读申报须知，填写申报信息，上传照片和签名，确认承诺书</li>
          <li>提交后获得申请编号</li>
        </ol>
      </section>
      <div class="actions">
        <button class="primary" type="button" @click=${this.start}>在线办理</button>
        <button class="secondary" type="button" @click=${() => navigate(this, routes.applications)}>我的申请</button>
        <button class="secondary" type="button" @click=${() => navigate(this, routes.myData)}>我的信息</button>
      </div>
      <device-data-actions></device-data-actions>
    `;
  }
}

customElements.define('service-page', ServicePage);

declare global {
  interface HTMLElementTagNameMap {
    'service-page': ServicePage;
  }
}
