import { expect } from 'chai';
import './change-mobile-page.ts';
import { waitFor } from '../test-support/elements.ts';
import { button, errorOf, fieldByLabel, mount as mountElement, settle, type } from '../test-support/form-controls.ts';

const mount = () => mountElement('change-mobile-page');

describe('change-mobile-page', () => {
  afterEach(() => {
    document.body.replaceChildren();
  });

  it('asks for a face check first', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    expect(root.querySelector('section h1')?.textContent).to.equal('更换手机号码');
    expect(root.querySelector('h2')?.textContent).to.equal('第一步：人脸识别');
    expect(root.querySelector('face-check')).to.exist;
  });

  it('after the face check, checks the new number before sending it', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    root.querySelector('face-check')!.dispatchEvent(new CustomEvent('face-passed', { detail: {}, bubbles: true, composed: true }));
    await waitFor(() => el.step === 'mobile');
    await el.updateComplete;
    const mobile = fieldByLabel(root, '新手机号码');
    expect(mobile.type).to.equal('tel');
    type(mobile, '1234');
    button(root, '确定')!.click();
    await settle(el);
    expect(root.activeElement).to.equal(mobile);
    expect(errorOf(root, mobile)).to.contain('手机号码');
  });

  it('a 401 from the face check says to sign in first', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    root.querySelector('face-check')!.dispatchEvent(new CustomEvent('face-unauthorized', { bubbles: true, composed: true }));
    await waitFor(() => el.step === 'signed-out');
    await el.updateComplete;
    expect(root.querySelector('[role="alert"]')?.textContent).to.equal('请先登录');
  });
});
