import { expect } from '@esm-bundle/chai';
import { loadPendingIdentity, savePendingIdentity } from '../data/pending-identity.ts';
import './sign-in-page.ts';

const VALID_ID = '370103199710061238';

async function mount() {
  const el = document.createElement('sign-in-page');
  document.body.append(el);
  await el.updateComplete;
  return el;
}

function fieldByLabel(root: ShadowRoot, text: string): HTMLInputElement {
  const label = [...root.querySelectorAll('label')].find((l) => l.textContent?.replace('*', '').trim() === text);
  expect(label, `label ${text}`).to.exist;
  const input = root.getElementById(label!.htmlFor);
  expect(input, `input for ${text}`).to.be.instanceOf(HTMLInputElement);
  return input as HTMLInputElement;
}

function type(input: HTMLInputElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

function errorOf(root: ShadowRoot, input: HTMLInputElement): string {
  const ids = (input.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  return ids
    .map((id) => root.getElementById(id))
    .filter((node) => node?.classList.contains('field-error'))
    .map((node) => node!.textContent!.trim())
    .join(' ');
}

async function settle(el: HTMLElement & { updateComplete: Promise<boolean> }) {
  await new Promise((resolve) => setTimeout(resolve, 0));
  await el.updateComplete;
}

function button(root: ShadowRoot, name: string) {
  return [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);
}

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
