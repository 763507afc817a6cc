import { expect } from 'chai';
import { InstallOffer } from '../install-offer.ts';
import { routes } from '../navigation.ts';
import { DECLINE_DAYS, INSTALL_TEXT, type InstallPrompt, shouldOfferInstall } from './install-prompt.ts';
import './install-prompt.ts';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 2, 1);

/** A beforeinstallprompt as Chrome sends it: cancelable, prompt() once, then the person's choice. */
function installEvent(outcome: 'accepted' | 'dismissed') {
  const event = new Event('beforeinstallprompt', { cancelable: true }) as Event & {
    prompt(): Promise<void>;
    userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
    prompted: number;
  };
  event.prompted = 0;
  event.prompt = async () => {
    event.prompted++;
  };
  event.userChoice = Promise.resolve({ outcome });
  return event;
}

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

async function mount(options: { path: string; storage?: MemoryStorage; window?: EventTarget; offer?: InstallOffer }) {
  const windowLike = options.window ?? new EventTarget();
  const storage = options.storage ?? new MemoryStorage();
  const el = document.createElement('install-prompt');
  el.offer = options.offer ?? new InstallOffer(windowLike);
  el.storage = storage;
  el.now = () => NOW;
  el.path = options.path;
  document.body.append(el);
  await el.updateComplete;
  return { el, storage, windowLike };
}

const shown = (el: InstallPrompt) => el.shadowRoot!.querySelector('aside') !== null;
const button = (el: InstallPrompt, name: string) =>
  [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);

describe('shouldOfferInstall', () => {
  const base = { visits: 1, declinedAt: undefined, now: NOW };

  it('never on the first visit to the service page; from the second visit on', () => {
    expect(shouldOfferInstall({ ...base, path: routes.service })).to.equal(false);
    expect(shouldOfferInstall({ ...base, path: routes.service, visits: 2 })).to.equal(true);
  });

  it('after the receipt shows, even on the first visit; never in the middle of the form', () => {
    expect(shouldOfferInstall({ ...base, path: routes.done })).to.equal(true);
    expect(shouldOfferInstall({ ...base, path: routes.form, visits: 5 })).to.equal(false);
    expect(shouldOfferInstall({ ...base, path: routes.identity, visits: 5 })).to.equal(false);
  });

  it(`not within ${DECLINE_DAYS} days of 暂不`, () => {
    const declined = { ...base, path: routes.done, declinedAt: NOW - (DECLINE_DAYS * DAY - 1) };
    expect(shouldOfferInstall(declined)).to.equal(false);
    expect(shouldOfferInstall({ ...declined, declinedAt: NOW - DECLINE_DAYS * DAY })).to.equal(true);
  });
});

describe('install-prompt', () => {
  afterEach(() => {
    document.body.replaceChildren();
  });

  it('keeps Chrome from prompting by itself and offers 安装 / 暂不 after the receipt', async () => {
    const { el, windowLike } = await mount({ path: routes.done });
    expect(shown(el), 'nothing before Chrome says the app can be installed').to.equal(false);
    const event = installEvent('accepted');
    windowLike.dispatchEvent(event);
    await el.updateComplete;
    expect(event.defaultPrevented).to.equal(true);
    expect(el.shadowRoot!.textContent).to.contain(INSTALL_TEXT);
    expect(button(el, '安装')).to.exist;
    expect(button(el, '暂不')).to.exist;
  });

  it('offers a prompt Chrome sent before the element existed (it loads after the first screen)', async () => {
    const windowLike = new EventTarget();
    const offer = new InstallOffer(windowLike);
    const event = installEvent('accepted');
    windowLike.dispatchEvent(event);
    expect(event.defaultPrevented, 'held back by the offer alone').to.equal(true);
    const { el } = await mount({ path: routes.done, window: windowLike, offer });
    expect(shown(el)).to.equal(true);
    button(el, '安装')!.click();
    await new Promise((resolve) => setTimeout(resolve));
    expect(event.prompted).to.equal(1);
  });

  it('counts visits: hidden on the first load of the service page, shown on the second', async () => {
    const storage = new MemoryStorage();
    const first = await mount({ path: routes.service, storage });
    first.windowLike.dispatchEvent(installEvent('accepted'));
    await first.el.updateComplete;
    expect(shown(first.el)).to.equal(false);
    first.el.remove();

    const second = await mount({ path: routes.service, storage });
    second.windowLike.dispatchEvent(installEvent('accepted'));
    await second.el.updateComplete;
    expect(shown(second.el)).to.equal(true);
  });

  it('安装 shows Chrome\'s dialog once; after appinstalled it stays hidden', async () => {
    const { el, windowLike } = await mount({ path: routes.done });
    const event = installEvent('accepted');
    windowLike.dispatchEvent(event);
    await el.updateComplete;
    button(el, '安装')!.click();
    await new Promise((resolve) => setTimeout(resolve));
    expect(event.prompted).to.equal(1);
    windowLike.dispatchEvent(new Event('appinstalled'));
    await el.updateComplete;
    expect(shown(el)).to.equal(false);
  });

  it('暂不 hides it and is remembered for 30 days, on this and later visits', async () => {
    const storage = new MemoryStorage();
    const { el, windowLike } = await mount({ path: routes.done, storage });
    windowLike.dispatchEvent(installEvent('accepted'));
    await el.updateComplete;
    button(el, '暂不')!.click();
    await el.updateComplete;
    expect(shown(el)).to.equal(false);
    expect(storage.getItem('install-prompt-declined-at')).to.equal(String(NOW));
    el.remove();

    const later = await mount({ path: routes.done, storage });
    later.windowLike.dispatchEvent(installEvent('accepted'));
    await later.el.updateComplete;
    expect(shown(later.el)).to.equal(false);
  });

  it('closing Chrome\'s dialog counts as 暂不', async () => {
    const { el, windowLike, storage } = await mount({ path: routes.done });
    windowLike.dispatchEvent(installEvent('dismissed'));
    await el.updateComplete;
    button(el, '安装')!.click();
    await new Promise((resolve) => setTimeout(resolve));
    await el.updateComplete;
    expect(shown(el)).to.equal(false);
    expect(storage.getItem('install-prompt-declined-at')).to.equal(String(NOW));
  });

  it('follows the route: offered on the receipt, gone on the form', async () => {
    const { el, windowLike } = await mount({ path: routes.done });
    windowLike.dispatchEvent(installEvent('accepted'));
    await el.updateComplete;
    expect(shown(el)).to.equal(true);
    el.path = routes.form;
    await el.updateComplete;
    expect(shown(el)).to.equal(false);
  });
});
