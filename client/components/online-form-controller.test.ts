import { expect } from 'chai';
import { html, LitElement } from 'lit';
import { type ApiAnswer, type ApiFailure, OFFLINE_MESSAGE } from '../net/api-client.ts';
import { button, errorOf, fieldByLabel, mount, settle, type } from '../test-support/form-controls.ts';
import { formFieldStyles, textField } from './form-field.ts';
import { OnlineFormController } from './online-form-controller.ts';

type Field = 'name' | 'code';
const LABELS: Record<Field, string> = { name: '姓名', code: '编号' };
const OFFLINE = '核验需要联网，请在网络恢复后重试。';

/** A form of two fields on the controller, as the account pages use it. */
class OnlineFormHost extends LitElement {
  static override styles = formFieldStyles;
  /** Whether 编号 is on the form (sign-in hides the carried-over ID number). */
  codeShown = true;
  readonly form = new OnlineFormController<Field>(this, {
    checks: { name: (value) => (value === '' ? '请填写姓名' : undefined), code: () => undefined },
    labels: LABELS,
    offlineMessage: OFFLINE,
    shown: (field) => field !== 'code' || this.codeShown,
  });
  send: () => Promise<ApiAnswer<{ done: true }>> = async () => ({ ok: true, status: 200, data: { done: true } });
  refused: (failure: ApiFailure) => boolean = () => false;
  answers: (ApiAnswer<{ done: true }> | undefined)[] = [];

  private async submit(event: Event) {
    event.preventDefault();
    this.answers.push(await this.form.submit(() => this.send(), (failure) => this.refused(failure)));
  }

  override render() {
    const f = this.form.fields;
    return html`<form novalidate @submit=${this.submit}>
      ${textField({ ...f.bind('name'), label: LABELS.name })}
      ${this.codeShown ? textField({ ...f.bind('code'), label: LABELS.code }) : ''}
      <div class="form-error" role="alert">${this.form.error}</div>
      ${this.form.submitButton('提交', '正在提交…')} ${this.form.liveRegion()}
    </form>`;
  }
}
customElements.define('online-form-host', OnlineFormHost);
declare global {
  interface HTMLElementTagNameMap {
    'online-form-host': OnlineFormHost;
  }
}

const failure = (status: number, error: string, issues: ApiFailure['issues'] = []): ApiFailure => ({
  ok: false,
  status,
  error,
  issues,
  offline: false,
});

async function filledIn(setup?: (el: OnlineFormHost) => void) {
  const el = await mount('online-form-host', setup);
  type(fieldByLabel(el.shadowRoot!, '姓名'), '王芳');
  await el.updateComplete;
  return el;
}

async function submitted(el: OnlineFormHost) {
  const count = el.answers.length;
  button(el.shadowRoot!, '提交')!.click();
  for (let i = 0; i < 100 && el.answers.length === count; i++) await settle(el);
  await settle(el);
}

const alert = (el: OnlineFormHost) => el.shadowRoot!.querySelector('[role="alert"]')!.textContent;
const announced = (el: OnlineFormHost) => el.shadowRoot!.querySelector('[role="status"]')!.textContent;

describe('online-form-controller', () => {
  afterEach(() => {
    document.body.replaceChildren();
  });

  it('refuses invalid fields without sending, focusing and announcing the first', async () => {
    let sent = 0;
    const el = await mount('online-form-host', (e) => {
      e.send = async () => {
        sent++;
        return { ok: true, status: 200, data: { done: true } };
      };
    });
    await submitted(el);
    const name = fieldByLabel(el.shadowRoot!, '姓名');
    expect(sent).to.equal(0);
    expect(el.answers).to.deep.equal([undefined]);
    expect(el.shadowRoot!.activeElement).to.equal(name);
    expect(errorOf(el.shadowRoot!, name)).to.equal('请填写姓名');
    expect(announced(el)).to.equal('有1项需要更正。姓名：请填写姓名');
  });

  it('is busy while the request is under way and sends once however often it is pressed', async () => {
    let sent = 0;
    let answer: (a: ApiAnswer<{ done: true }>) => void = () => {};
    const el = await filledIn((e) => {
      e.send = () => {
        sent++;
        return new Promise((resolve) => {
          answer = resolve;
        });
      };
    });
    const root = el.shadowRoot!;
    button(root, '提交')!.click();
    await settle(el);
    expect(button(root, '正在提交…')?.getAttribute('aria-disabled')).to.equal('true');
    button(root, '正在提交…')!.click();
    await settle(el);
    expect(sent).to.equal(1);
    answer({ ok: true, status: 200, data: { done: true } });
    await settle(el);
    await settle(el);
    expect(button(root, '提交')?.getAttribute('aria-disabled')).to.equal('false');
    expect(el.answers.at(-1)).to.deep.equal({ ok: true, status: 200, data: { done: true } });
    expect(alert(el)).to.equal('');
  });

  it('says what needs the network when there is no answer', async () => {
    const el = await filledIn((e) => {
      e.send = async () => ({ ok: false, status: 0, error: OFFLINE_MESSAGE, issues: [], offline: true });
    });
    await submitted(el);
    expect(alert(el)).to.equal(OFFLINE);
  });

  it("shows the server's field issue under its field, focused and announced", async () => {
    const el = await filledIn((e) => {
      e.send = async () => failure(422, '提交的信息有误', [{ field: 'code', message: '编号不正确' }]);
    });
    await submitted(el);
    const code = fieldByLabel(el.shadowRoot!, '编号');
    expect(errorOf(el.shadowRoot!, code)).to.equal('编号不正确');
    expect(el.shadowRoot!.activeElement).to.equal(code);
    expect(announced(el)).to.equal('编号：编号不正确');
    expect(alert(el)).to.equal('');
  });

  it('shows an issue on a field not on the form, or on none, above the button', async () => {
    const el = await filledIn((e) => {
      e.codeShown = false;
      e.send = async () => failure(422, '提交的信息有误', [{ field: 'code', message: '编号不正确' }]);
    });
    await submitted(el);
    expect(alert(el)).to.equal('编号不正确');
    el.send = async () => failure(503, '服务暂时不可用（503），请稍后重试');
    await submitted(el);
    expect(alert(el)).to.equal('服务暂时不可用（503），请稍后重试');
  });

  it('lets the page handle a failure of its own first', async () => {
    const el = await filledIn((e) => {
      e.send = async () => failure(401, '身份证号码或密码不正确', [{ field: 'name', message: '不显示' }]);
      e.refused = (f) => {
        if (f.status !== 401) return false;
        e.form.error = `已处理：${f.error}`;
        return true;
      };
    });
    await submitted(el);
    expect(alert(el)).to.equal('已处理：身份证号码或密码不正确');
    expect(errorOf(el.shadowRoot!, fieldByLabel(el.shadowRoot!, '姓名'))).to.equal('');
  });
});
