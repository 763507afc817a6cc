import { expect } from 'chai';
import Dexie from 'dexie';
import { finishPendingSignOut, PENDING_SIGN_OUT_KEY } from '../data/device-data.ts';
import { LocalDb } from '../data/local-db.ts';
import { type DeviceDataActions, DEVICE_DATA_TEXT } from './device-data-actions.ts';
import './device-data-actions.ts';

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 2000): Promise<void> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function button(root: ShadowRoot, text: string): HTMLButtonElement {
  const found = [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === text);
  expect(found, text).to.exist;
  return found!;
}

describe('device-data-actions', () => {
  let name: string;
  const opened: LocalDb[] = [];

  function database(): LocalDb {
    const db = new LocalDb(name);
    opened.push(db);
    return db;
  }

  /** Everything the app keeps, one of each. */
  async function fill(db: LocalDb, withOutbox: boolean) {
    await db.drafts.put({
      id: 'draft-1',
      accountId: 'a',
      values: { idNumber: '110101199001011237' },
      photo: new Blob([new Uint8Array([1, 2, 3])], { type: 'image/jpeg' }),
      fieldUpdatedAt: {},
      updatedAt: 1,
    });
    await db.receipts.put({
      receiptNumber: 'JL1',
      accountId: 'a',
      submissionId: 's',
      submittedAt: '2026-01-05T01:00:00.000Z',
      status: 'submitted',
      bodySha256: 'ab',
      summary: { name: '李明', enterpriseName: '示例', specialty1: '01', specialty2: '02' },
    });
    await db.enterpriseCache.put({ keyword: '示例', enterprises: [], savedAt: 1 });
    if (withOutbox) {
      await db.outbox.put({
        id: crypto.randomUUID(),
        accountId: 'a',
        draftId: 'draft-1',
        body: {},
        attachments: [],
        state: 'queued',
        attempts: 0,
        nextAttemptAt: 1,
        createdAt: 1,
      });
    }
    localStorage.setItem('jl.receipt-public-key', '{}');
    localStorage.setItem('large-text', '1');
    sessionStorage.setItem('jl.pending-identity', '{"name":"李明"}');
  }

  async function mount(db: LocalDb, endSession?: () => Promise<boolean>) {
    const el = document.createElement('device-data-actions') as DeviceDataActions;
    el.db = db;
    if (endSession) el.endSession = endSession;
    document.body.append(el);
    await el.updateComplete;
    return el;
  }

  beforeEach(() => {
    name = `device-data-test-${crypto.randomUUID()}`;
  });

  afterEach(async () => {
    document.body.replaceChildren();
    for (const db of opened.splice(0)) db.close();
    await Dexie.delete(name);
    localStorage.removeItem('large-text');
    localStorage.removeItem(PENDING_SIGN_OUT_KEY);
  });

  it('清除本机数据 asks first, warns about unsent applications, then deletes everything', async () => {
    const db = database();
    await fill(db, true);
    const el = await mount(db);
    const root = el.shadowRoot!;
    button(root, '清除本机数据').click();
    const dialog = root.querySelector('dialog')!;
    await until(() => dialog.open);
    const text = dialog.textContent ?? '';
    expect(text).to.contain('身份证号码、照片和签名');
    expect(text).to.contain('本机保存的申报回执');
    expect(dialog.querySelector('.warning')?.textContent).to.contain('还有 1 份申请尚未提交成功');
    expect(await db.drafts.count(), 'nothing is deleted before 确认').to.equal(1);

    let cleared = false;
    el.addEventListener('device-cleared', () => (cleared = true));
    button(root, '确认清除').click();
    await until(() => cleared);
    await el.updateComplete;
    expect(dialog.open).to.equal(false);
    expect(root.querySelector('[role=status]')?.textContent).to.equal(DEVICE_DATA_TEXT.cleared);
    expect(await Dexie.exists(name)).to.equal(false);
    expect(localStorage.getItem('jl.receipt-public-key')).to.equal(null);
    expect(sessionStorage.getItem('jl.pending-identity')).to.equal(null);
    expect(localStorage.getItem('large-text'), 'a display preference stays').to.equal('1');
    // The app's connection opens again, empty.
    expect(await db.drafts.count()).to.equal(0);
    expect(await db.receipts.count()).to.equal(0);
    expect(await db.outbox.count()).to.equal(0);
    expect(await db.enterpriseCache.count()).to.equal(0);
  });

  it('gives no warning when nothing waits to be sent, and 取消 keeps everything', async () => {
    const db = database();
    await fill(db, false);
    const el = await mount(db);
    const root = el.shadowRoot!;
    button(root, '清除本机数据').click();
    const dialog = root.querySelector('dialog')!;
    await until(() => dialog.open);
    expect(dialog.querySelector('.warning')).to.equal(null);
    button(root, '取消').click();
    expect(dialog.open).to.equal(false);
    expect(await db.drafts.count()).to.equal(1);
    expect(await db.receipts.count()).to.equal(1);
  });

  it('退出登录 ends the session and clears the device; offline it clears anyway and ends it later', async () => {
    const db = database();
    await fill(db, true);
    let calls = 0;
    let online = false;
    const endSession = async () => {
      calls += 1;
      return online;
    };
    const el = await mount(db, endSession);
    const root = el.shadowRoot!;
    button(root, '退出登录').click();
    const dialog = root.querySelector('dialog')!;
    await until(() => dialog.open);
    expect(dialog.querySelector('h2')?.textContent).to.equal('退出登录');
    expect(dialog.querySelector('.warning')?.textContent).to.contain('尚未提交成功');
    button(root, '退出并清除').click();
    await until(() => root.querySelector('[role=status]')?.textContent === DEVICE_DATA_TEXT.signedOutOffline);
    expect(calls).to.equal(1);
    expect(await db.drafts.count()).to.equal(0);
    expect(localStorage.getItem(PENDING_SIGN_OUT_KEY)).to.equal('1');

    online = true;
    await finishPendingSignOut(endSession);
    expect(calls).to.equal(2);
    expect(localStorage.getItem(PENDING_SIGN_OUT_KEY)).to.equal(null);
    await finishPendingSignOut(endSession);
    expect(calls, 'nothing left to finish').to.equal(2);
  });
});
