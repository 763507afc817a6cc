import { expect } from 'chai';
import type { SaveState } from '../data/draft-store.ts';
import type { SyncState } from '../sync/draft-sync.ts';
import { type SyncStatus, type SyncStatusSource, mergeNotice } from './sync-status.ts';
import './sync-status.ts';

/** Stands in for DraftSync: the test sets the states and says when they changed. */
class FakeSource extends EventTarget implements SyncStatusSource {
  state: SyncState = 'saved-local';
  saveState: SaveState = 'saved';
  mergedFields: string[] = [];
  dismissed = 0;

  dismissMerge(): void {
    this.dismissed++;
    this.mergedFields = [];
    this.dispatchEvent(new Event('statechange'));
  }

  async set(element: SyncStatus, change: Partial<Pick<FakeSource, 'state' | 'saveState' | 'mergedFields'>>) {
    Object.assign(this, change);
    this.dispatchEvent(new Event('statechange'));
    await element.updateComplete;
  }
}

async function mount(source: FakeSource) {
  const el = document.createElement('sync-status');
  el.source = source;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const text = (el: SyncStatus) => el.shadowRoot!.querySelector('#text')?.textContent?.replace(/\s+/g, '') ?? '';
const announced = (el: SyncStatus) => el.shadowRoot!.querySelector('#announcement')?.textContent ?? '';

describe('sync-status', () => {
  afterEach(() => document.body.replaceChildren());

  it('shows where the draft is, in the words of the issue', async () => {
    const source = new FakeSource();
    const el = await mount(source);
    expect(text(el)).to.equal('已保存到本机');
    await source.set(el, { saveState: 'pending' });
    expect(text(el)).to.equal('正在保存…');
    await source.set(el, { saveState: 'saved', state: 'syncing' });
    expect(text(el)).to.equal('同步中');
    await source.set(el, { state: 'synced' });
    expect(text(el)).to.equal('已同步');
    await source.set(el, { state: 'waiting-network' });
    expect(text(el)).to.equal('等待网络内容已安全保存在本机，联网后自动同步');
    await source.set(el, { saveState: 'error' });
    expect(text(el)).to.equal('未能保存到本机，请检查浏览器的存储空间');
  });

  it('announces waiting for the network and the sync after it, not every save', async () => {
    const source = new FakeSource();
    const el = await mount(source);
    const region = el.shadowRoot!.querySelector('#announcement')!;
    expect(region.getAttribute('role')).to.equal('status');
    const heard: string[] = [];
    const observer = new MutationObserver(() => {
      if (region.textContent) heard.push(region.textContent);
    });
    observer.observe(region, { childList: true, characterData: true, subtree: true });
    for (const state of ['syncing', 'synced', 'saved-local', 'syncing', 'synced'] as const) {
      await source.set(el, { saveState: 'pending' });
      await source.set(el, { saveState: 'saved', state });
    }
    expect(announced(el)).to.equal('');
    await source.set(el, { state: 'waiting-network' });
    expect(announced(el)).to.contain('等待网络');
    await source.set(el, { saveState: 'pending' });
    await source.set(el, { saveState: 'saved', state: 'syncing' });
    await source.set(el, { state: 'synced' });
    expect(announced(el)).to.equal('已同步');
    await new Promise((resolve) => setTimeout(resolve));
    observer.disconnect();
    expect(heard).to.deep.equal(['等待网络：内容已安全保存在本机，联网后自动同步', '已同步']);
  });

  it('names the fields merged from another device until dismissed', async () => {
    const source = new FakeSource();
    const el = await mount(source);
    const notice = () => el.shadowRoot!.querySelector('.notice')!;
    expect(notice().textContent?.trim()).to.equal('');
    await source.set(el, { mergedFields: ['school', 'enterprise', 'photo'] });
    expect(notice().getAttribute('role')).to.equal('status');
    expect(notice().querySelector('p')?.textContent).to.equal('已合并您在其他设备上的修改：毕业院校、企业信息、一寸免冠照片');
    expect(mergeNotice(['specialty2'])).to.equal('已合并您在其他设备上的修改：申请注册专业2');
    notice().querySelector('button')!.click();
    await el.updateComplete;
    expect(source.dismissed).to.equal(1);
    expect(notice().textContent?.trim()).to.equal('');
  });

  it('stops listening once removed', async () => {
    const source = new FakeSource();
    const el = await mount(source);
    el.remove();
    await source.set(el, { state: 'waiting-network' });
    expect(text(el)).to.equal('已保存到本机');
  });
});
