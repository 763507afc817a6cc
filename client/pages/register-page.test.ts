import { expect } from 'chai';
import { AGE_LIMIT_MESSAGE } from '../../shared/age.ts';
import { MOBILE_MESSAGE } from '../../shared/mobile.ts';
import { savePendingIdentity } from '../data/pending-identity.ts';
import './register-page.ts';
import { OVER_65_ID, VALID_ID, button, errorOf, fieldByLabel, leave, settle, type, mount as mountElement } from '../test-support/form-controls.ts';
import { waitFor } from '../test-support/elements.ts';


const mount = () => mountElement('register-page');

describe('register-page', () => {
  afterEach(() => {
    document.body.replaceChildren();
    sessionStorage.clear();
  });

  it('has the heading, the four labelled fields and 注册', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    expect(root.querySelector('section h1')?.textContent).to.equal('用户注册');
    fieldByLabel(root, '姓名');
    fieldByLabel(root, '身份证号码');
    const mobile = fieldByLabel(root, '手机号码');
    expect(mobile.type).to.equal('tel');
    expect(mobile.inputMode).to.equal('numeric');
    expect(mobile.autocomplete).to.equal('tel');
    const password = fieldByLabel(root, '设置密码');
    expect(password.type).to.equal('password');
    expect(password.autocomplete).to.equal('new-password');
    expect(root.querySelectorAll('input[type="password"]').length, 'one password field').to.equal(1);
    expect(root.textContent).to.contain('密码至少8位，需同时包含字母和数字');
    expect(button(root, '注册')?.type).to.equal('submit');
    expect(button(root, '去登录'), 'only after a duplicate').to.equal(undefined);
  });

  it('carries over the identity from the check, editable', async () => {
    savePendingIdentity({ name: '王芳', idNumber: VALID_ID });
    const el = await mount();
    const root = el.shadowRoot!;
    const name = fieldByLabel(root, '姓名');
    expect(name.value).to.equal('王芳');
    expect(name.readOnly).to.equal(false);
    expect(fieldByLabel(root, '身份证号码').value).to.equal(VALID_ID);
  });

  it('tells a bad mobile number after the field is left', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    const mobile = fieldByLabel(root, '手机号码');
    type(mobile, '1234567890');
    leave(mobile);
    await el.updateComplete;
    expect(errorOf(root, mobile)).to.equal(MOBILE_MESSAGE);
    expect(mobile.getAttribute('aria-invalid')).to.equal('true');
    type(mobile, '138 0013 8000');
    await el.updateComplete;
    expect(errorOf(root, mobile)).to.equal('');
  });

  it('updates the strength hint as the password is typed', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    const password = fieldByLabel(root, '设置密码');
    const strength = () => root.getElementById('password-strength')?.textContent?.trim();
    expect(strength(), 'nothing before typing').to.equal(undefined);
    type(password, 'abc');
    await el.updateComplete;
    expect(strength()).to.equal('密码强度：弱');
    expect(password.getAttribute('aria-describedby')).to.contain('password-strength');
    type(password, 'abcd1234');
    await el.updateComplete;
    expect(strength()).to.equal('密码强度：中');
    type(password, 'Abcd1234!xyz');
    await el.updateComplete;
    expect(strength()).to.equal('密码强度：强');
  });

  it('shows a weak password against the rule after leaving the field', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    const password = fieldByLabel(root, '设置密码');
    type(password, 'abcdefgh');
    leave(password);
    await el.updateComplete;
    expect(errorOf(root, password)).to.equal('密码至少8位，需同时包含字母和数字');
  });

  it('显示/隐藏 switches the password between hidden and shown', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    const password = fieldByLabel(root, '设置密码');
    type(password, 'abcd1234');
    const toggle = button(root, '显示')!;
    expect(toggle.getAttribute('aria-controls')).to.equal(password.id);
    expect(toggle.getAttribute('aria-pressed')).to.equal('false');
    toggle.click();
    await el.updateComplete;
    expect(password.type).to.equal('text');
    expect(toggle.getAttribute('aria-pressed')).to.equal('true');
    expect(toggle.textContent?.trim()).to.equal('隐藏');
    expect(password.value, 'value kept').to.equal('abcd1234');
    toggle.click();
    await el.updateComplete;
    expect(password.type).to.equal('password');
    expect(toggle.getAttribute('aria-pressed')).to.equal('false');
  });

  it('refuses a person over 65 as soon as the ID number is complete', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    const id = fieldByLabel(root, '身份证号码');
    type(id, OVER_65_ID);
    await settle(el);
    expect(errorOf(root, id)).to.equal(AGE_LIMIT_MESSAGE);
  });

  it("shows the server's answer when the account cannot be made", async () => {
    // No /api in the element tests: the test server's 404 stands for a server that cannot serve it.
    const el = await mount();
    const root = el.shadowRoot!;
    type(fieldByLabel(root, '姓名'), '李明');
    type(fieldByLabel(root, '身份证号码'), VALID_ID);
    type(fieldByLabel(root, '手机号码'), '13800138000');
    type(fieldByLabel(root, '设置密码'), 'abcd1234');
    button(root, '注册')!.click();
    const alert = root.querySelector('[role="alert"]')!;
    await waitFor(() => alert.textContent?.startsWith('服务暂时不可用'));
    expect(alert.textContent).to.equal('服务暂时不可用（404），请稍后重试');
    expect(button(root, '去登录'), 'only after a duplicate').to.equal(undefined);
    expect(button(root, '注册')?.getAttribute('aria-disabled')).to.equal('false');
  });

  it('on a failed submit focuses the first field in error and keeps every value', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    const name = fieldByLabel(root, '姓名');
    const id = fieldByLabel(root, '身份证号码');
    const mobile = fieldByLabel(root, '手机号码');
    const password = fieldByLabel(root, '设置密码');
    type(name, '李明');
    type(id, VALID_ID);
    type(mobile, '1380013');
    type(password, 'short');
    button(root, '注册')!.click();
    await settle(el);
    expect(root.activeElement).to.equal(mobile);
    expect(errorOf(root, mobile)).to.equal(MOBILE_MESSAGE);
    expect(errorOf(root, password), 'every error shows on submit').to.contain('密码至少8位');
    expect(root.querySelector('[role="status"]')?.textContent).to.contain('手机号码');
    expect([name.value, id.value, mobile.value, password.value]).to.deep.equal(['李明', VALID_ID, '1380013', 'short']);
  });
});
