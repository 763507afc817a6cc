import { expect } from 'chai';
import { SERVICE_ITEM_CODE } from '../../shared/service.ts';
import './service-page.ts';

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
