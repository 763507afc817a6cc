import { expect } from 'chai';
import {
  type BrowserCapabilities,
  type BrowserLimitsNotice,
  IN_WECHAT_TEXT,
  NO_OFFLINE_TEXT,
  NO_STORAGE_TEXT,
} from './browser-limits-notice.ts';
import './browser-limits-notice.ts';

const CHROME = 'Mozilla/5.0 (Linux; Android 10) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/87.0.4280.141 Mobile Safari/537.36';
const WECHAT = `${CHROME} XWEB/1160117 MMWEBSDK/20231202 MMWEBID/2247 MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 Weixin`;

async function mount(capabilities: BrowserCapabilities): Promise<BrowserLimitsNotice> {
  const el = document.createElement('browser-limits-notice');
  el.detect = false;
  el.capabilities = capabilities;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const texts = (el: BrowserLimitsNotice) => [...el.shadowRoot!.querySelectorAll('p')].map((p) => p.textContent);

describe('browser-limits-notice', () => {
  afterEach(() => {
    for (const el of document.querySelectorAll('browser-limits-notice')) el.remove();
  });

  it('says nothing where the browser can do everything', async () => {
    const el = await mount({ serviceWorker: true, userAgent: CHROME, storage: 'device' });
    expect(el.shadowRoot!.querySelector('[role="note"]')).to.equal(null);
  });

  it('without a service worker: opening with no network needs the installed app or another browser', async () => {
    const el = await mount({ serviceWorker: false, userAgent: CHROME, storage: 'device' });
    expect(texts(el)).to.deep.equal([NO_OFFLINE_TEXT]);
    expect(NO_OFFLINE_TEXT).to.contain('安装到手机桌面').and.contain('换用其他浏览器');
  });

  it("in WeChat's browser: how to open the page in the phone's own browser", async () => {
    const el = await mount({ serviceWorker: false, userAgent: WECHAT, storage: 'device' });
    expect(texts(el)).to.deep.equal([IN_WECHAT_TEXT]);
    expect(IN_WECHAT_TEXT).to.contain('右上角「…」→「在浏览器打开」');
  });

  it('with the database in memory: nothing is kept, closing the page loses what is typed', async () => {
    const el = await mount({ serviceWorker: true, userAgent: CHROME, storage: undefined });
    expect(texts(el), 'nothing while not known').to.deep.equal([]);
    el.capabilities = { ...el.capabilities, storage: 'memory' };
    await el.updateComplete;
    expect(texts(el)).to.deep.equal([NO_STORAGE_TEXT]);
    expect(NO_STORAGE_TEXT).to.contain('不会保存在本设备上').and.contain('关闭页面会丢失已填写的内容');
  });

  it('finds out by itself: in this Chromium the device keeps data, so no storage sentence', async () => {
    const el = document.createElement('browser-limits-notice');
    document.body.append(el);
    for (let i = 0; i < 100 && el.capabilities.storage === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(el.capabilities.storage).to.equal('device');
    expect(texts(el)).to.not.include(NO_STORAGE_TEXT);
  });
});
