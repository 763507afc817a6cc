import { expect } from 'chai';
import './face-page.ts';

async function mount() {
  const el = document.createElement('face-page');
  document.body.append(el);
  await el.updateComplete;
  return el;
}

/** The face check inside the page, where consent and camera live. */
function check(el: HTMLElement) {
  return el.shadowRoot!.querySelector('face-check')!;
}

function checkRoot(el: HTMLElement): ShadowRoot {
  return check(el).shadowRoot!;
}

function button(root: ShadowRoot, name: string) {
  return [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);
}

async function until<T>(probe: () => T | undefined | null, what: string, ms = 4000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('face-page', () => {
  afterEach(() => {
    document.body.replaceChildren();
  });

  it('keeps 下一步 disabled until the 授权 box is ticked', async () => {
    const el = await mount();
    expect(el.shadowRoot!.querySelector('section h1')?.textContent).to.equal('人脸识别');
    const root = checkRoot(el);
    const label = [...root.querySelectorAll('label')].find((l) => l.textContent?.includes('授权'));
    expect(label, '授权 label').to.exist;
    const box = root.getElementById(label!.htmlFor) as HTMLInputElement;
    expect(box.type).to.equal('checkbox');
    const next = button(root, '下一步')!;
    expect(next.disabled).to.equal(true);
    expect(next.hasAttribute('disabled')).to.equal(true);

    box.click();
    await check(el).updateComplete;
    expect(next.disabled).to.equal(false);

    box.click();
    await check(el).updateComplete;
    expect(next.disabled, 'unticking disables it again').to.equal(true);
  });

  it('shows the camera after 下一步 and stops every track when the page goes away', async () => {
    const el = await mount();
    const root = checkRoot(el);
    (root.getElementById('consent') as HTMLInputElement).click();
    await check(el).updateComplete;
    button(root, '下一步')!.click();
    const video = await until(() => {
      const v = root.querySelector('video');
      return v?.srcObject ? v : undefined;
    }, 'the camera preview');
    const stream = video.srcObject as MediaStream;
    const tracks = stream.getTracks();
    expect(tracks.length).to.be.greaterThan(0);
    expect(tracks.every((t) => t.readyState === 'live')).to.equal(true);
    // 开始识别 is enabled only once the preview has a frame to capture.
    const start = await until(() => {
      const b = button(root, '开始识别');
      return b && !b.disabled ? b : undefined;
    }, '开始识别 enabled');
    expect(video.videoWidth).to.be.greaterThan(0);
    expect(start.disabled).to.equal(false);

    el.remove();
    expect(tracks.every((t) => t.readyState === 'ended'), 'camera released').to.equal(true);
  });
});
