import { expect } from 'chai';
import { AGE_LIMIT_MESSAGE } from '../../shared/age.ts';
import { loadPendingIdentity, savePendingIdentity } from '../data/pending-identity.ts';
import './identity-page.ts';
import { OVER_65_ID, VALID_ID, button, errorOf, fieldByLabel, leave, settle, type, mount as mountElement } from '../test-support/form-controls.ts';
import { waitFor } from '../test-support/elements.ts';

const BAD_CHECKSUM_ID = '370103199710061234';

const mount = () => mountElement('identity-page');

describe('identity-page', () => {
  afterEach(() => {
    document.body.replaceChildren();
    sessionStorage.clear();
  });

  it('has the heading, labelled fields and the 确定 button', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    expect(root.querySelector('section h1')?.textContent).to.equal('身份核验');
    expect(fieldByLabel(root, '姓名').autocomplete).to.equal('name');
    expect(fieldByLabel(root, '身份证号码').required).to.equal(true);
    expect(button(root, '确定')?.type).to.equal('submit');
    expect(root.querySelector('[role="alert"]'), 'alert region present before any error').to.exist;
  });

  it('shows a bad checksum only after the field is left, then as the person types', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    const id = fieldByLabel(root, '身份证号码');
    type(id, BAD_CHECKSUM_ID);
    await el.updateComplete;
    expect(errorOf(root, id), 'no error while first typing').to.equal('');
    expect(id.getAttribute('aria-invalid')).to.equal('false');

    leave(id);
    await el.updateComplete;
    expect(errorOf(root, id)).to.contain('身份证号码');
    expect(errorOf(root, id)).to.contain('校验位');
    expect(id.getAttribute('aria-invalid')).to.equal('true');

    type(id, VALID_ID);
    await el.updateComplete;
    expect(errorOf(root, id), 'fixed while typing').to.equal('');
    expect(id.getAttribute('aria-invalid')).to.equal('false');
  });

  it('refuses a person over 65 as soon as the ID number is complete', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    const id = fieldByLabel(root, '身份证号码');
    type(id, OVER_65_ID);
    await settle(el);
    expect(errorOf(root, id)).to.equal(AGE_LIMIT_MESSAGE);
    expect(root.querySelector('[role="status"]')?.textContent).to.contain(AGE_LIMIT_MESSAGE);
  });

  it('moves focus to the first field in error on submit and keeps what was typed', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    const name = fieldByLabel(root, '姓名');
    const id = fieldByLabel(root, '身份证号码');
    type(name, '李明');
    type(id, BAD_CHECKSUM_ID);
    button(root, '确定')!.click();
    await settle(el);
    expect(root.activeElement).to.equal(id);
    expect(errorOf(root, id)).to.contain('身份证号码');
    expect(root.querySelector('[role="status"]')?.textContent).to.contain('身份证号码');
    expect(name.value).to.equal('李明');
    expect(id.value).to.equal(BAD_CHECKSUM_ID);

    type(name, '');
    button(root, '确定')!.click();
    await settle(el);
    expect(root.activeElement, 'name is first in the form').to.equal(name);
    expect(errorOf(root, name)).to.equal('请填写姓名');
  });

  it('does not submit the age-refused ID number', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    type(fieldByLabel(root, '姓名'), '李明');
    const id = fieldByLabel(root, '身份证号码');
    type(id, OVER_65_ID);
    button(root, '确定')!.click();
    await settle(el);
    expect(root.activeElement).to.equal(id);
    expect(button(root, '确定')?.getAttribute('aria-disabled'), 'no request started').to.equal('false');
    expect(root.querySelector('dialog')?.open).to.equal(false);
  });

  it('the not-found dialog offers 取消 and 确定; 确定 carries the identity to 用户注册', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    type(fieldByLabel(root, '姓名'), ' 李明 ');
    type(fieldByLabel(root, '身份证号码'), VALID_ID.toLowerCase());
    // Opened here as the page does on `registered: false`; the request itself is an end-to-end matter.
    const dialog = root.querySelector('dialog')!;
    dialog.showModal();
    expect(dialog.textContent).to.contain('未查询到该用户，是否前往注册？');
    const inDialog = (name: string) => [...dialog.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);
    inDialog('取消')!.click();
    expect(dialog.open).to.equal(false);
    expect(sessionStorage.length, 'cancel remembers nothing').to.equal(0);

    let target: string | undefined;
    document.body.addEventListener('navigate', (e) => {
      target = (e as CustomEvent<{ to: string }>).detail.to;
    });
    dialog.showModal();
    inDialog('确定')!.click();
    expect(dialog.open).to.equal(false);
    expect(target).to.equal('/register');
    expect(loadPendingIdentity()).to.deep.equal({ name: '李明', idNumber: VALID_ID });
  });

  it("shows the server's answer when the check cannot be made", async () => {
    // No /api in the element tests: the test server's 404 stands for a server that cannot serve it.
    const el = await mount();
    const root = el.shadowRoot!;
    type(fieldByLabel(root, '姓名'), '李明');
    type(fieldByLabel(root, '身份证号码'), VALID_ID);
    button(root, '确定')!.click();
    const alert = root.querySelector('[role="alert"]')!;
    await waitFor(() => alert.textContent?.startsWith('服务暂时不可用'));
    expect(alert.textContent).to.equal('服务暂时不可用（404），请稍后重试');
    expect(root.querySelector('dialog')?.open).to.equal(false);
    expect(button(root, '确定')?.getAttribute('aria-disabled')).to.equal('false');
  });

  it('starts from the identity remembered in this tab', async () => {
    savePendingIdentity({ name: '王芳', idNumber: VALID_ID });
    const el = await mount();
    const root = el.shadowRoot!;
    expect(fieldByLabel(root, '姓名').value).to.equal('王芳');
    expect(fieldByLabel(root, '身份证号码').value).to.equal(VALID_ID);
  });
});
