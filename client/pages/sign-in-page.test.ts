import { expect } from 'chai';
import { loadPendingIdentity, savePendingIdentity } from '../data/pending-identity.ts';
import './sign-in-page.ts';
import { VALID_ID, button, errorOf, fieldByLabel, settle, type, mount as mountElement } from '../test-support/form-controls.ts';
import { waitFor } from '../test-support/elements.ts';


const mount = () => mountElement('sign-in-page');

describe('sign-in-page', () => {
  afterEach(() => {
    document.body.replaceChildren();
    sessionStorage.clear();
  });

  it('shows the checked identity with the ID number masked, and asks only for the password', async () => {
    savePendingIdentity({ name: '王芳', idNumber: VALID_ID });
    const el = await mount();
    const root = el.shadowRoot!;
    expect(root.querySelector('section h1')?.textContent).to.equal('登录');
    expect(root.textContent).to.contain('王芳');
    expect(root.textContent).to.contain('3701**********1238');
    expect(root.textContent).not.to.contain(VALID_ID.slice(4, 14));
    expect([...root.querySelectorAll('label')].some((l) => l.textContent?.includes('身份证号码'))).to.equal(false);
    const password = fieldByLabel(root, '密码');
    expect(password.type).to.equal('password');
    expect(password.autocomplete).to.equal('current-password');
    expect(button(root, '登录')?.type).to.equal('submit');
  });

  it('asks for the ID number when no identity was carried over', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    const id = fieldByLabel(root, '身份证号码');
    expect(id.autocomplete).to.equal('username');
    fieldByLabel(root, '密码');
  });

  it('lets a person switch to another ID number', async () => {
    savePendingIdentity({ name: '王芳', idNumber: VALID_ID });
    const el = await mount();
    const root = el.shadowRoot!;
    button(root, '不是本人？更换身份证号码')!.click();
    await settle(el);
    const id = fieldByLabel(root, '身份证号码');
    expect(id.value).to.equal('');
    expect(root.activeElement).to.equal(id);
    expect(loadPendingIdentity()).to.equal(undefined);
  });

  it('显示/隐藏 switches the password between hidden and shown', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    const password = fieldByLabel(root, '密码');
    const toggle = button(root, '显示')!;
    expect(toggle.getAttribute('aria-controls')).to.equal(password.id);
    toggle.click();
    await el.updateComplete;
    expect(password.type).to.equal('text');
    expect(toggle.getAttribute('aria-pressed')).to.equal('true');
    toggle.click();
    await el.updateComplete;
    expect(password.type).to.equal('password');
    expect(toggle.getAttribute('aria-pressed')).to.equal('false');
  });

  it('on a failed submit focuses the first field in error and keeps what was typed', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    const id = fieldByLabel(root, '身份证号码');
    const password = fieldByLabel(root, '密码');
    type(id, '3701031997');
    type(password, 'secret123');
    button(root, '登录')!.click();
    await settle(el);
    expect(root.activeElement).to.equal(id);
    expect(errorOf(root, id)).to.contain('身份证号码');
    expect(id.value).to.equal('3701031997');
    expect(password.value).to.equal('secret123');
  });

  it('asks for the password when it is missing', async () => {
    savePendingIdentity({ name: '王芳', idNumber: VALID_ID });
    const el = await mount();
    const root = el.shadowRoot!;
    button(root, '登录')!.click();
    await settle(el);
    const password = fieldByLabel(root, '密码');
    expect(root.activeElement).to.equal(password);
    expect(errorOf(root, password)).to.equal('请填写密码');
    expect(password.getAttribute('aria-invalid')).to.equal('true');
  });

  it("shows the server's answer when the sign-in is not accepted", async () => {
    // No /api in the element tests: the test server's 404 stands for a server that cannot serve it.
    savePendingIdentity({ name: '王芳', idNumber: VALID_ID });
    const el = await mount();
    const root = el.shadowRoot!;
    type(fieldByLabel(root, '密码'), 'secret123');
    button(root, '登录')!.click();
    const alert = root.querySelector('[role="alert"]')!;
    await waitFor(() => alert.textContent?.startsWith('服务暂时不可用'));
    expect(alert.textContent).to.equal('服务暂时不可用（404），请稍后重试');
    expect(loadPendingIdentity(), 'still carried over').to.deep.equal({ name: '王芳', idNumber: VALID_ID });
    expect(button(root, '登录')?.getAttribute('aria-disabled')).to.equal('false');
  });

  it('忘记密码 goes to 找回密码', async () => {
    const el = await mount();
    let target: string | undefined;
    document.body.addEventListener('navigate', (e) => {
      target = (e as CustomEvent<{ to: string }>).detail.to;
    });
    button(el.shadowRoot!, '忘记密码')!.click();
    expect(target).to.equal('/forgot-password');
  });

  it('还没有账号？去注册 goes to 用户注册', async () => {
    const el = await mount();
    let target: string | undefined;
    document.body.addEventListener('navigate', (e) => {
      target = (e as CustomEvent<{ to: string }>).detail.to;
    });
    button(el.shadowRoot!, '还没有账号？去注册')!.click();
    expect(target).to.equal('/register');
  });
});
