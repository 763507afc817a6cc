import { expect } from 'chai';
import './forgot-password-page.ts';
import { PASSWORD_RULE } from '../../shared/password-rules.ts';
import { waitFor } from '../test-support/elements.ts';
import { button, errorOf, fieldByLabel, mount as mountElement, settle, type, VALID_ID } from '../test-support/form-controls.ts';

const mount = () => mountElement('forgot-password-page');

describe('forgot-password-page', () => {
  afterEach(() => {
    document.body.replaceChildren();
  });

  it('starts with 姓名 and 身份证号码 under 找回密码', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    expect(root.querySelector('section h1')?.textContent).to.equal('找回密码');
    expect(root.querySelector('h2')?.textContent).to.equal('第一步：核对身份');
    expect(fieldByLabel(root, '姓名').autocomplete).to.equal('name');
    expect(fieldByLabel(root, '身份证号码').autocomplete).to.equal('username');
    expect(button(root, '下一步')?.type).to.equal('submit');
  });

  it('checks the fields before asking the server, focusing the first in error', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    const id = fieldByLabel(root, '身份证号码');
    type(fieldByLabel(root, '姓名'), '王芳');
    type(id, '3701031997');
    button(root, '下一步')!.click();
    await settle(el);
    expect(root.activeElement).to.equal(id);
    expect(errorOf(root, id)).to.contain('身份证号码');
    expect(el.step).to.equal('identity');
  });

  it("stays on the first step with the server's answer when it cannot start", async () => {
    // No /api in the element tests: the test server's 404 stands for a server that cannot serve it.
    const el = await mount();
    const root = el.shadowRoot!;
    type(fieldByLabel(root, '姓名'), '王芳');
    type(fieldByLabel(root, '身份证号码'), VALID_ID);
    button(root, '下一步')!.click();
    const alert = root.querySelector('[role="alert"]')!;
    await waitFor(() => alert.textContent?.startsWith('服务暂时不可用'));
    expect(el.step).to.equal('identity');
    expect(fieldByLabel(root, '身份证号码').value).to.equal(VALID_ID);
  });

  it('shows the face check, then asks for the new password under the shared rule', async () => {
    const el = await mount();
    el.step = 'face';
    await el.updateComplete;
    const root = el.shadowRoot!;
    expect(root.querySelector('h2')?.textContent).to.equal('第二步：人脸识别');
    expect(root.querySelector('face-check')).to.exist;
    root.querySelector('face-check')!.dispatchEvent(new CustomEvent('face-passed', { detail: {}, bubbles: true, composed: true }));
    await waitFor(() => el.step === 'password');
    await el.updateComplete;
    expect(root.activeElement, 'the new heading has the focus').to.equal(root.querySelector('h2'));
    const password = fieldByLabel(root, '新密码');
    expect(password.autocomplete).to.equal('new-password');
    expect(root.textContent).to.contain(PASSWORD_RULE);
    type(password, 'abcdefgh');
    button(root, '确定')!.click();
    await settle(el);
    expect(errorOf(root, password)).to.equal(PASSWORD_RULE);
  });

  it('重新开始 goes back to the first step; 返回登录 to 登录', async () => {
    const el = await mount();
    let target: string | undefined;
    document.body.addEventListener('navigate', (e) => {
      target = (e as CustomEvent<{ to: string }>).detail.to;
    });
    el.step = 'password';
    await el.updateComplete;
    button(el.shadowRoot!, '重新开始')!.click();
    await waitFor(() => el.step === 'identity');
    await el.updateComplete;
    button(el.shadowRoot!, '返回登录')!.click();
    expect(target).to.equal('/sign-in');
  });
});
