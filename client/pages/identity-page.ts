import { css, html, LitElement } from 'lit';
import { identityCheckAnswerSchema } from '../../shared/api/identity-checks.ts';
import { loadPendingIdentity, savePendingIdentity } from '../data/pending-identity.ts';
import { checkIdNumber, checkName, normalizedIdentity } from '../components/account-field-rules.ts';
import { formFieldStyles, textField } from '../components/form-field.ts';
import { OnlineFormController } from '../components/online-form-controller.ts';
import { api, readAnswer } from '../net/api-client.ts';
import { navigate, routes } from '../navigation.ts';
import { theme } from '../styles/theme.ts';

type Field = 'name' | 'idNumber';

const LABELS: Record<Field, string> = { name: '姓名', idNumber: '身份证号码' };
const OFFLINE = '核验身份需要联网，请在网络恢复后重试。已填写的内容不会丢失。';

/** 身份核验: is this person already registered? Registered → 登录; unknown → offer 用户注册. */
export class IdentityPage extends LitElement {
  private readonly form = new OnlineFormController<Field>(this, {
    checks: { name: checkName, idNumber: (value) => checkIdNumber(value, true) },
    initial: loadPendingIdentity() ?? {},
    labels: LABELS,
    offlineMessage: OFFLINE,
  });

  static override styles = [
    theme,
    formFieldStyles,
    css`
      dialog { border: 0; border-radius: 12px; padding: 1.25em; max-width: min(90vw, 24em); box-sizing: border-box; }
      dialog::backdrop { background: rgb(0 0 0 / 45%); }
      dialog p { margin: 0 0 1em; font-size: 1.05em; }
      .dialog-actions { display: flex; gap: 0.75em; }
      .dialog-actions button { flex: 1; }
    `,
  ];

  private identity() {
    return normalizedIdentity(this.form.fields.value('name'), this.form.fields.value('idNumber'));
  }

  private async submit(event: Event) {
    event.preventDefault();
    const identity = this.identity();
    const answer = await this.form.submit(() =>
      readAnswer(api['identity-checks'].$post({ json: identity }), identityCheckAnswerSchema),
    );
    if (!answer?.ok) return;
    if (answer.data.registered) {
      savePendingIdentity(identity);
      navigate(this, routes.signIn);
    } else {
      this.renderRoot.querySelector('dialog')?.showModal();
    }
  }

  private cancelRegister() {
    this.renderRoot.querySelector('dialog')?.close();
  }

  private goRegister() {
    this.renderRoot.querySelector('dialog')?.close();
    savePendingIdentity(this.identity());
    navigate(this, routes.register);
  }

  override render() {
    const f = this.form.fields;
    return html`
      <section class="card" aria-labelledby="title">
        <h1 id="title">身份核验</h1>
        <p class="muted">首次使用需先核验是否为已注册用户，请输入本人的姓名和身份证号码。</p>
        <form novalidate @submit=${this.submit}>
          ${textField({
            ...f.bind('name'),
            label: LABELS.name,
            autocomplete: 'name',
          })}
          ${textField({
            ...f.bind('idNumber', (value) => this.form.input('idNumber', value, true)),
            label: LABELS.idNumber,
            hint: '18位，最后一位可能是X',
            autocomplete: 'off',
            spellcheck: false,
            autocapitalize: 'characters',
          })}
          <p class="form-error" role="alert">${this.form.error}</p>
          ${this.form.submitButton('确定', '正在核验…')}
        </form>
        ${this.form.liveRegion()}
      </section>
      <dialog aria-labelledby="not-found">
        <p id="not-found">未查询到该用户，是否前往注册？</p>
        <div class="dialog-actions">
          <button class="secondary" type="button" @click=${this.cancelRegister}>取消</button>
          <button class="primary" type="button" @click=${this.goRegister}>确定</button>
        </div>
      </dialog>
    `;
  }
}

customElements.define('identity-page', IdentityPage);

declare global {
  interface HTMLElementTagNameMap {
    'identity-page': IdentityPage;
  }
}
