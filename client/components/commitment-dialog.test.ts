import { expect } from 'chai';
import { COMMITMENT_VERSION } from '../../shared/commitment.ts';
import type { CommitmentChangeDetail } from './commitment-dialog.ts';
import './commitment-dialog.ts';

const party = { name: '李明', idNumber: '110101199001011237', mobile: '13800138000', employer: '示例监理有限公司' };

async function mount() {
  const el = document.createElement('commitment-dialog');
  el.party = party;
  document.body.append(el);
  await el.show();
  return el;
}

function radio(el: HTMLElement, label: string): HTMLInputElement {
  const found = [...el.shadowRoot!.querySelectorAll('label')].find((l) => l.textContent?.trim() === label);
  expect(found, label).to.exist;
  return found!.control as HTMLInputElement;
}

function button(el: HTMLElement, text: string): HTMLButtonElement {
  const found = [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent?.trim() === text);
  expect(found, text).to.exist;
  return found!;
}

describe('commitment-dialog', () => {
  afterEach(() => {
    document.body.replaceChildren();
  });

  it('opens modally with the title, a close button and the 14 clauses filled in', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    const dialog = root.querySelector('dialog')!;
    expect(dialog.open).to.equal(true);
    expect(dialog.matches(':modal')).to.equal(true);
    expect(root.querySelector('h2')?.textContent).to.equal('个人承诺');
    expect(button(el, '×').getAttribute('aria-label')).to.equal('关闭');
    const clauses = [...root.querySelectorAll('ol.clauses li')].map((li) => li.textContent ?? '');
    expect(clauses).to.have.length(14);
    expect(clauses[0]).to.match(/^1、/);
    expect(clauses[13]).to.match(/^14、/);
    expect(clauses[4]).to.contain('本人受聘于示例监理有限公司');
    const personal = root.querySelector('.personal')?.textContent ?? '';
    expect(personal).to.contain('本人姓名：李明');
    expect(personal).to.contain('身份证号：110101199001011237');
    expect(personal).to.contain('手机号：13800138000');
  });

  it('reports decline when 确认 is pressed with 本人不作出上述承诺, and closes', async () => {
    const el = await mount();
    let detail: CommitmentChangeDetail | undefined;
    el.addEventListener('commitment-change', (e) => {
      detail = (e as CustomEvent<CommitmentChangeDetail>).detail;
    });
    radio(el, '本人不作出上述承诺').click();
    button(el, '确认').click();
    expect(detail?.choice).to.equal('decline');
    expect(detail?.version).to.equal(COMMITMENT_VERSION);
    expect(new Date(detail!.acceptedAt).toISOString()).to.equal(detail!.acceptedAt);
    expect(el.open).to.equal(false);
  });

  it('reports accept, and asks for a choice when none is made', async () => {
    const el = await mount();
    const choices: string[] = [];
    el.addEventListener('commitment-change', (e) => choices.push((e as CustomEvent<CommitmentChangeDetail>).detail.choice));
    button(el, '确认').click();
    await el.updateComplete;
    expect(choices).to.deep.equal([]);
    expect(el.shadowRoot!.querySelector('[role=alert]')?.textContent).to.contain('请选择');
    expect(el.open).to.equal(true);
    radio(el, '本人作出上述承诺').click();
    button(el, '确认').click();
    expect(choices).to.deep.equal(['accept']);
  });

  it('closes with × without reporting anything', async () => {
    const el = await mount();
    let fired = false;
    el.addEventListener('commitment-change', () => {
      fired = true;
    });
    button(el, '×').click();
    expect(el.open).to.equal(false);
    expect(fired).to.equal(false);
  });
});
