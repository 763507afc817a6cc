import { expect } from '@esm-bundle/chai';
import { LocalDb } from '../data/local-db.ts';
import type { ReceiptPublicKey } from '../data/receipt-verification.ts';
import type { ReceiptPage } from './receipt-page.ts';
import './receipt-page.ts';
import { memoryStorage, signedReceipt } from '../test-support/signed-receipts.ts';

describe('receipt-page', () => {
  let name: string;
  let db: LocalDb;

  beforeEach(() => {
    name = `receipt-page-test-${crypto.randomUUID()}`;
    db = new LocalDb(name);
  });

  afterEach(async () => {
    document.body.replaceChildren();
    db.close();
    await new LocalDb(name).delete();
  });

  async function mount(fetchPublicKey: () => Promise<ReceiptPublicKey | undefined>, storage = memoryStorage()) {
    const el = document.createElement('receipt-page') as ReceiptPage;
    el.db = db;
    el.verification = { fetchPublicKey, storage };
    document.body.append(el);
    await el.done;
    await el.updateComplete;
    return el;
  }

  it('shows the receipt kept on the device and that its signature is verified', async () => {
    const { receipt, key } = await signedReceipt();
    await db.receipts.put(receipt);
    const el = await mount(async () => key);
    const text = el.shadowRoot!.textContent ?? '';
    expect(text).to.contain('您所申请的事项已经提交成功！');
    expect(text).to.contain('JL20260105000001');
    expect(text).to.contain('示例工程监理有限公司');
    expect(el.shadowRoot!.querySelector('#receipt-signature')?.textContent).to.equal('回执签名：已验证');
  });

  it('offline with no key yet says it verifies once online', async () => {
    const { receipt } = await signedReceipt();
    await db.receipts.put(receipt);
    const el = await mount(async () => undefined);
    expect(el.shadowRoot!.textContent).to.contain('JL20260105000001');
    expect(el.shadowRoot!.querySelector('#receipt-signature')?.textContent).to.equal('回执签名：联网后验证');
  });
});
