import { expect } from 'chai';
import { SKIP_WAITING_MESSAGE } from '../../sw/worker-protocol.ts';
import { routes } from '../navigation.ts';
import { SETTLE_MS, UPDATE_ON_FORM_TEXT, UPDATE_TEXT, type UpdateBanner, type UpdateSource } from './update-banner.ts';
import './update-banner.ts';

/** Stands in for workbox-window's Workbox: events are dispatched by the test, messages recorded. */
class FakeWorkbox extends EventTarget implements UpdateSource {
  readonly posted: unknown[] = [];
  messageSkipWaiting() {
    this.posted.push({ type: SKIP_WAITING_MESSAGE });
  }
}

interface Mounted {
  el: UpdateBanner;
  workbox: FakeWorkbox;
  reloads: number[];
  /** Each settle() call; resolve them to let the update go on. */
  settles: { ms: number; resolve: () => void }[];
}

async function mount(path: string = routes.service): Promise<Mounted> {
  const workbox = new FakeWorkbox();
  const el = document.createElement('update-banner');
  const mounted: Mounted = { el, workbox, reloads: [], settles: [] };
  el.source = workbox;
  el.path = path;
  el.settle = (ms) => new Promise((resolve) => mounted.settles.push({ ms, resolve }));
  el.reload = () => mounted.reloads.push(1);
  document.body.append(el);
  await el.updateComplete;
  return mounted;
}

const text = (el: UpdateBanner) => el.shadowRoot!.textContent?.replace(/\s+/g, '') ?? '';
const buttons = (el: UpdateBanner) => [...el.shadowRoot!.querySelectorAll('button')];

async function waiting(m: Mounted) {
  m.workbox.dispatchEvent(new Event('waiting'));
  await m.el.updateComplete;
}

describe('update-banner', () => {
  afterEach(() => {
    document.body.replaceChildren();
  });

  it('shows nothing until a new version is waiting, then offers 有新版本，刷新 as a button', async () => {
    const m = await mount();
    expect(buttons(m.el)).to.have.length(0);
    expect(m.el.shadowRoot!.querySelector('[role=status]'), 'live region present before').to.exist;
    await waiting(m);
    const [button] = buttons(m.el);
    expect(button?.textContent?.trim()).to.equal(UPDATE_TEXT);
    expect(m.el.shadowRoot!.querySelector('aside')?.getAttribute('aria-label')).to.equal('新版本');
    // Only shown: nothing is swapped in on its own.
    expect(m.workbox.posted).to.deep.equal([]);
    expect(m.reloads).to.have.length(0);
  });

  it('on the application form asks to submit or leave first, and still offers the button', async () => {
    const m = await mount(routes.form);
    await waiting(m);
    expect(text(m.el)).to.contain(UPDATE_ON_FORM_TEXT);
    expect(buttons(m.el).map((b) => b.textContent?.trim())).to.deep.equal(['立即刷新']);
    m.el.path = routes.done;
    await m.el.updateComplete;
    expect(text(m.el)).not.to.contain(UPDATE_ON_FORM_TEXT);
    expect(buttons(m.el)[0]?.textContent?.trim()).to.equal(UPDATE_TEXT);
  });

  it('when pressed, lets pending saves settle, posts SKIP_WAITING, and reloads once the new version controls', async () => {
    const m = await mount(routes.form);
    await waiting(m);
    buttons(m.el)[0]!.click();
    await m.el.updateComplete;
    expect(m.settles.map((s) => s.ms)).to.deep.equal([SETTLE_MS]);
    expect(buttons(m.el)[0]?.disabled).to.equal(true);
    expect(m.workbox.posted, 'nothing posted before the settle time').to.deep.equal([]);

    m.settles[0]!.resolve();
    await new Promise((resolve) => setTimeout(resolve));
    expect(m.workbox.posted).to.deep.equal([{ type: 'SKIP_WAITING' }]);
    expect(m.reloads).to.have.length(0);

    m.workbox.dispatchEvent(new Event('controlling'));
    expect(m.reloads).to.have.length(1);
  });

  it('a second press while updating posts nothing more', async () => {
    const m = await mount();
    await waiting(m);
    buttons(m.el)[0]!.click();
    buttons(m.el)[0]!.click();
    expect(m.settles).to.have.length(1);
  });

  it('a `controlling` without a press (first install, another tab) does not reload', async () => {
    const m = await mount();
    await waiting(m);
    m.workbox.dispatchEvent(new Event('controlling'));
    expect(m.reloads).to.have.length(0);
  });

  it('stops listening when removed', async () => {
    const m = await mount();
    m.el.remove();
    m.workbox.dispatchEvent(new Event('waiting'));
    document.body.append(m.el);
    await m.el.updateComplete;
    expect(buttons(m.el)).to.have.length(0);
  });
});
