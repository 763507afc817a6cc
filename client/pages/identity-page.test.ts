import { expect } from '@esm-bundle/chai';
import { AGE_LIMIT_MESSAGE } from '../../shared/age.ts';
import { loadPendingIdentity, savePendingIdentity } from '../data/pending-identity.ts';
import './identity-page.ts';

const VALID_ID = '370103199710061238';
const BAD_CHECKSUM_ID = '370103199710061234';
const OVER_65_ID = '110101195001010017';

async function mount() {
  const el = document.createElement('identity-page');
  document.body.append(el);
  await el.updateComplete;
  return el;
}

/** The input a visible label names, found through the label's `for`. */
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

function leave(input: HTMLInputElement) {
  input.dispatchEvent(new Event('blur'));
}

/** The error text linked to the input by aria-describedby, or '' when none. */
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

  it('starts from the identity remembered in this tab', async () => {
    savePendingIdentity({ name: '王芳', idNumber: VALID_ID });
    const el = await mount();
    const root = el.shadowRoot!;
    expect(fieldByLabel(root, '姓名').value).to.equal('王芳');
    expect(fieldByLabel(root, '身份证号码').value).to.equal(VALID_ID);
  });
});
