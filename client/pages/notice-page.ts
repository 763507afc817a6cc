import { css, html, LitElement } from 'lit';
import '../components/step-indicator.ts';
import { navigate, routes } from '../navigation.ts';
import { theme } from '../styles/theme.ts';

/** The rules a person must read and accept before filling in the application (step 1 of 3). */
const NOTICES = [
  '申请人应已取得中华人民共和国监理工程师职业资格证书。',
  '申请人应受聘于一家已在“注册监理工程师管理系统”完成注册和认证的单位，且只能受聘于这一家单位。',
  '可申请一至两个注册专业，两个专业不能相同。',
  '申请之日年龄超过65周岁的，不予注册。',
  '有下列情形之一的，不予注册：不具有完全民事行为能力；因刑事处罚尚未执行完毕，或因从事工程监理及相关业务受到刑事处罚，自执行完毕之日起至申请之日不满2年；近2年内被吊销注册证书；受聘于两个及以上单位。',
  '提交后，由受聘单位确认，再由住房和城乡建设部受理；材料不齐全的，自收到申请之日起5日内一次性告知需补正的全部内容。受理后审查20个工作日，公示10个工作日，然后作出准予注册或不予注册的决定。办理进度可在“我的申请”中查看。',
  '申请人应如实填写信息、提交真实材料，并对其真实性负责；提供虚假材料的，将依法记入信用记录。',
] as const;

const MATERIALS = [
  '一寸白底免冠照片（jpg、jpeg、png 格式）：可在本页面直接拍照或选择照片，自动裁剪为 295×413 像素并检查背景颜色。',
  '本人手写签名（jpg、jpeg、png 格式）：可上传签名图片，也可在手机屏幕上直接书写。',
  '个人承诺书：在线阅读并确认，无需打印。',
] as const;

export class NoticePage extends LitElement {
  static override properties = { ticked: { state: true } };
  declare ticked: boolean[];

  static override styles = [
    theme,
    css`
      h1 { font-size: 1.25em; margin: 12px 0 0; }
      h2 { font-size: 1.1em; margin: 0 0 8px; }
      ol { margin: 0; padding-left: 0; list-style: none; }
      li { margin: 8px 0; }
      label { display: flex; gap: 10px; align-items: flex-start; cursor: pointer; }
      input[type='checkbox'] { width: 1.3em; height: 1.3em; min-height: 0; margin: 0.2em 0 0; flex: none; }
      .all { border-top: 1px solid var(--border, #d7dde5); padding-top: 12px; margin-top: 12px; font-weight: 600; min-height: var(--target, 44px); align-items: center; }
      .all input { margin: 0; }
      ul { margin: 0; padding-left: 1.2em; }
      .hint { font-size: 0.9em; }
    `,
  ];

  constructor() {
    super();
    this.ticked = NOTICES.map(() => false);
  }

  private get allTicked() {
    return this.ticked.every(Boolean);
  }

  private toggle(index: number, checked: boolean) {
    this.ticked = this.ticked.map((value, i) => (i === index ? checked : value));
  }

  private toggleAll(checked: boolean) {
    this.ticked = this.ticked.map(() => checked);
  }

  override render() {
    const some = this.ticked.some(Boolean);
    return html`
      <h1>监理工程师执业资格认定（初始注册）</h1>
      <step-indicator current="1"></step-indicator>
      <section class="card" aria-labelledby="rules">
        <h2 id="rules">注册须知</h2>
        <ol>
          ${NOTICES.map(
            (text, i) => html`<li>
              <label><input type="checkbox" .checked=${this.ticked[i] ?? false}
                @change=${(e: Event) => this.toggle(i, (e.target as HTMLInputElement).checked)} /><span>${i + 1}. ${text}</span></label>
            </li>`,
          )}
        </ol>
        <label class="all"><input id="all" type="checkbox" .checked=${this.allTicked} .indeterminate=${some && !this.allTicked}
          @change=${(e: Event) => this.toggleAll((e.target as HTMLInputElement).checked)} />全选</label>
      </section>
      <section class="card" aria-labelledby="materials">
        <h2 id="materials">收取材料</h2>
        <ul>${MATERIALS.map((text) => html`<li>${text}</li>`)}</ul>
      </section>
      <p class="hint muted" id="next-hint">${this.allTicked ? '' : '请阅读注册须知并勾选“全选”后继续。'}</p>
      <button class="primary" type="button" ?disabled=${!this.allTicked} aria-describedby="next-hint"
        @click=${() => navigate(this, routes.form)}>下一步</button>
    `;
  }
}

customElements.define('notice-page', NoticePage);

declare global {
  interface HTMLElementTagNameMap {
    'notice-page': NoticePage;
  }
}
