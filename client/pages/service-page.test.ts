import { expect } from 'chai';
import { SERVICE_ITEM_CODE } from '../../shared/service.ts';
import { deviceStorage } from '../data/device-storage.ts';
import { waitFor } from '../test-support/elements.ts';
import { KEPT_ON_DEVICE_TEXT } from './service-page.ts';

async function mount() {
  const el = document.createElement('service-page');
  document.body.append(el);
  await el.updateComplete;
  return el;
}

describe('service-page', () => {
  afterEach(() => {
    document.body.replaceChildren();
  });

  it('shows the title and the service item code', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    expect(root.querySelector('h1')?.textContent).to.equal('监理工程师执业资格认定（初始注册）');
    expect(root.textContent).to.contain(`事项编码：${SERVICE_ITEM_CODE}`);
  });

  it('keeps the service item code on one line on a narrow screen, breaking only before it', async () => {
    const el = await mount();
    // The card's text width on a 320 px screen: 320 less the page's and the card's padding.
    el.style.display = 'block';
    el.style.width = '288px';
    const line = el.shadowRoot!.querySelector('.code')!;
    const code = el.shadowRoot!.querySelector('.code-value')!;
    expect(code.textContent).to.equal(SERVICE_ITEM_CODE);
    expect(code.getClientRects()).to.have.length(1);
    expect(code.getBoundingClientRect().right, 'within the card').to.be.at.most(line.getBoundingClientRect().right);
    expect(line.getClientRects()[0]!.height).to.be.above(code.getBoundingClientRect().height * 1.5, 'broken before the code');
  });

  it('says what is typed is kept on the device, where this browser keeps it', async () => {
    const el = await mount();
    expect(await deviceStorage()).to.equal('device');
    // The answer comes with its module, which the page loads after the first paint.
    await waitFor(() => el.shadowRoot!.textContent?.includes(KEPT_ON_DEVICE_TEXT));
    expect(el.shadowRoot!.textContent).to.contain(KEPT_ON_DEVICE_TEXT);
  });

  it('asks to navigate to the identity check when 在线办理 is pressed', async () => {
    const el = await mount();
    const button = [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent?.trim() === '在线办理');
    expect(button, '在线办理 button').to.exist;
    let target: string | undefined;
    document.body.addEventListener('navigate', (e) => {
      target = (e as CustomEvent<{ to: string }>).detail.to;
    });
    button!.click();
    expect(target).to.equal('/identity');
  });
});
