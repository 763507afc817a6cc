import { expect } from 'chai';
import { outboxStorage } from '../sync/outbox.ts';
import type { OutboxStatus } from './outbox-status.ts';
import './outbox-status.ts';

async function mount(item: OutboxStatus['item'], progress?: OutboxStatus['progress']) {
  const el = document.createElement('outbox-status');
  el.item = item;
  el.progress = progress;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const text = (el: OutboxStatus) => el.shadowRoot!.textContent?.replace(/\s+/g, ' ').trim() ?? '';

describe('outbox-status', () => {
  afterEach(() => document.body.replaceChildren());

  it('shows nothing without an item', async () => {
    expect(text(await mount(undefined))).to.equal('');
  });

  it('says a queued item is sent by itself when the network returns', async () => {
    const el = await mount({ state: 'queued', attempts: 2, lastError: '网络不可用，恢复后自动提交' });
    expect(el.shadowRoot!.querySelector('[role=status]')).to.exist;
    expect(text(el)).to.contain('等待网络，恢复后自动提交');
    expect(text(el)).to.contain('可以离开或关闭本应用');
  });

  it('says the device storage is full, not the network, while a send failed for want of room', async () => {
    const el = await mount({ state: 'queued', attempts: 1, lastError: '本机存储空间已满' });
    expect(text(el)).to.contain('等待网络');
    outboxStorage.set(true);
    try {
      await el.updateComplete;
      expect(text(el)).to.contain('本机存储空间已满，请清理空间后自动提交');
      expect(text(el)).not.to.contain('等待网络');
      // Claimed but never settled (the store refused the write): no upload runs, the same reason holds.
      el.item = { state: 'sending', attempts: 1 };
      await el.updateComplete;
      expect(text(el)).to.contain('本机存储空间已满');
      // Being sent by this page now: its progress is the truth.
      el.progress = { recordId: 'k', phase: 'uploading', loaded: 0, total: 1024 };
      await el.updateComplete;
      expect(text(el)).to.contain('正在提交…');
      el.progress = undefined;
      el.item = { state: 'rejected', attempts: 1, lastError: '登录已过期' };
      await el.updateComplete;
      expect(text(el)).to.contain('需要修改后重新提交');
    } finally {
      outboxStorage.set(false);
    }
    el.item = { state: 'queued', attempts: 1 };
    await el.updateComplete;
    expect(text(el)).to.contain('等待网络，恢复后自动提交');
  });

  it('shows the upload bytes while sending', async () => {
    const el = await mount(
      { state: 'sending', attempts: 0 },
      { recordId: 'k', phase: 'uploading', loaded: 40 * 1024, total: 100 * 1024 },
    );
    const bar = el.shadowRoot!.querySelector('progress')!;
    expect(text(el)).to.contain('正在提交…');
    expect(bar.max).to.equal(100 * 1024);
    expect(bar.value).to.equal(40 * 1024);
    expect(text(el)).to.contain('40 KB / 100 KB');
  });

  it('says a rejected item needs changes, with the reason', async () => {
    const el = await mount({ state: 'rejected', attempts: 1, lastError: '登录已过期，请重新核验身份后再提交。' });
    expect(el.shadowRoot!.querySelector('[role=alert]')).to.exist;
    expect(text(el)).to.contain('需要修改后重新提交');
    expect(text(el)).to.contain('登录已过期');
  });
});
