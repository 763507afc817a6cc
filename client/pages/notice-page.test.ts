import { expect } from 'chai';
import { routes } from '../navigation.ts';
import './notice-page.ts';

async function mount() {
  const el = document.createElement('notice-page');
  document.body.append(el);
  await el.updateComplete;
  return el;
}

function byLabel(el: HTMLElement, text: string) {
  const label = [...el.shadowRoot!.querySelectorAll('label')].find((l) => l.textContent?.trim() === text);
  return label?.querySelector('input') ?? null;
}

function nextButton(el: HTMLElement) {
  return [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent?.trim() === '下一步')!;
}

describe('notice-page', () => {
  afterEach(() => document.body.replaceChildren());

  it('shows the stepper on 申报须知 and both sections', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    const stepper = root.querySelector('step-indicator')!;
    await stepper.updateComplete;
    expect(stepper.shadowRoot!.querySelector('[aria-current="step"]')?.textContent).to.contain('申报须知');
    const headings = [...root.querySelectorAll('h2')].map((h) => h.textContent);
    expect(headings).to.deep.equal(['注册须知', '收取材料']);
  });

  it('enables 下一步 only once 全选 is ticked, and 全选 ticks every item', async () => {
    const el = await mount();
    expect(nextButton(el).disabled).to.equal(true);
    const all = byLabel(el, '全选')!;
    all.click();
    await el.updateComplete;
    const items = [...el.shadowRoot!.querySelectorAll('ol input[type=checkbox]')] as HTMLInputElement[];
    expect(items.length).to.be.greaterThan(3);
    expect(items.every((box) => box.checked)).to.equal(true);
    expect(nextButton(el).disabled).to.equal(false);

    items[0]!.click();
    await el.updateComplete;
    expect(all.checked).to.equal(false);
    expect(all.indeterminate).to.equal(true);
    expect(nextButton(el).disabled).to.equal(true);
  });

  it('goes on to 申报信息', async () => {
    const el = await mount();
    byLabel(el, '全选')!.click();
    await el.updateComplete;
    let target = '';
    el.addEventListener('navigate', (e) => {
      target = (e as CustomEvent<{ to: string }>).detail.to;
    });
    nextButton(el).click();
    expect(target).to.equal(routes.form);
  });
});
