import { expect } from 'chai';
import { waitFor } from '../../test-support/elements.ts';
import { fakeStaffClient, jsonOf } from '../../test-support/fake-staff-client.ts';
import { button, fieldByLabel, mount, settle, type } from '../../test-support/form-controls.ts';
import './staff-sign-in.ts';

const STAFF = { username: 'li.na', role: 'reviewer' };

describe('staff-sign-in', () => {
  afterEach(() => document.body.replaceChildren());

  it('signs in with 用户名, 密码 and 动态验证码 and tells the console who it is', async () => {
    const { client, sent } = fakeStaffClient(() => ({ status: 200, body: { staff: STAFF } }));
    const el = await mount('staff-sign-in', (e) => (e.client = client));
    const root = el.shadowRoot!;
    const signedIn: unknown[] = [];
    el.addEventListener('signed-in', (e) => signedIn.push((e as CustomEvent).detail));
    type(fieldByLabel(root, '用户名'), ' li.na ');
    type(fieldByLabel(root, '密码'), 'secret-pass-1');
    type(fieldByLabel(root, '动态验证码'), '123 456');
    expect(fieldByLabel(root, '动态验证码').autocomplete).to.equal('one-time-code');
    button(root, '登录')!.click();
    await waitFor(() => signedIn.length);
    expect(sent[0]?.method).to.equal('POST');
    expect(sent[0]?.path).to.equal('/api/staff/session');
    expect(jsonOf(sent[0])).to.deep.equal({ username: 'li.na', password: 'secret-pass-1', code: '123456' });
    expect(signedIn).to.deep.equal([STAFF]);
  });

  it('shows the refusal in Chinese and asks for a new code, which works only once', async () => {
    const { client } = fakeStaffClient(() => ({ status: 401, body: { error: '用户名、密码或动态验证码不正确' } }));
    const el = await mount('staff-sign-in', (e) => (e.client = client));
    const root = el.shadowRoot!;
    type(fieldByLabel(root, '用户名'), 'li.na');
    type(fieldByLabel(root, '密码'), 'wrong');
    type(fieldByLabel(root, '动态验证码'), '123456');
    button(root, '登录')!.click();
    await waitFor(() => root.querySelector('[role=alert]')?.textContent?.includes('不正确'));
    expect(fieldByLabel(root, '动态验证码').value).to.equal('');
    expect(root.activeElement).to.equal(fieldByLabel(root, '动态验证码'));
  });

  it('refuses a code that is not six digits before sending', async () => {
    const { client, sent } = fakeStaffClient(() => ({ status: 200, body: { staff: STAFF } }));
    const el = await mount('staff-sign-in', (e) => (e.client = client));
    const root = el.shadowRoot!;
    type(fieldByLabel(root, '用户名'), 'li.na');
    type(fieldByLabel(root, '密码'), 'x');
    type(fieldByLabel(root, '动态验证码'), '12a');
    button(root, '登录')!.click();
    await settle(el);
    expect(sent).to.have.length(0);
    expect(root.textContent).to.contain('动态验证码应为6位数字');
  });

  it('a one-time password leads to 设置新密码, which signs in with the new password', async () => {
    const { client, sent } = fakeStaffClient((request) =>
      request.path === '/api/staff/session'
        ? { status: 403, body: { error: '首次登录须先修改一次性密码', passwordChangeRequired: true } }
        : { status: 200, body: { staff: STAFF } },
    );
    const el = await mount('staff-sign-in', (e) => (e.client = client));
    const signedIn: unknown[] = [];
    el.addEventListener('signed-in', (e) => signedIn.push((e as CustomEvent).detail));
    const root = el.shadowRoot!;
    type(fieldByLabel(root, '用户名'), 'li.na');
    type(fieldByLabel(root, '密码'), 'one-time-Pw1');
    type(fieldByLabel(root, '动态验证码'), '111111');
    button(root, '登录')!.click();
    const change = await waitFor(() => root.querySelector('staff-password-change'));
    await change.updateComplete;
    const inner = change.shadowRoot!;
    expect(inner.querySelector('h1')?.textContent).to.equal('设置新密码');
    // The code just typed at sign-in is still accepted here: ask for the one shown now, not a new one.
    const code = fieldByLabel(inner, '动态验证码');
    const hint = code.getAttribute('aria-describedby')!.split(' ').map((id) => inner.getElementById(id)?.textContent?.trim());
    expect(hint).to.include('请输入身份验证器上当前显示的动态验证码');
    type(fieldByLabel(inner, '新密码'), 'newpass2026');
    type(fieldByLabel(inner, '再次输入新密码'), 'newpass2025');
    type(fieldByLabel(inner, '动态验证码'), '222222');
    button(inner, '设置新密码并登录')!.click();
    await settle(change);
    expect(inner.textContent).to.contain('两次输入的新密码不一致');
    type(fieldByLabel(inner, '再次输入新密码'), 'newpass2026');
    button(inner, '设置新密码并登录')!.click();
    await waitFor(() => signedIn.length);
    expect(sent[1]?.path).to.equal('/api/staff/password');
    expect(jsonOf(sent[1])).to.deep.equal({ username: 'li.na', password: 'one-time-Pw1', newPassword: 'newpass2026', code: '222222' });
  });
});
