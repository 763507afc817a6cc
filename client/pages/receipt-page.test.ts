import { expect } from 'chai';
import { LocalDb } from '../data/local-db.ts';
import type { ReceiptPublicKey } from '../data/receipt-verification.ts';
import { CHECKED_BY_APP_TEXT, type ReceiptPage } from './receipt-page.ts';
import { memoryStorage, signedReceipt } from '../test-support/signed-receipts.ts';
import { refuseEd25519, removeSubtleCrypto } from '../test-support/webcrypto-refusals.ts';

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

  async function mount(
    fetchPublicKey: () => Promise<ReceiptPublicKey | undefined>,
    storage = memoryStorage(),
    submissionId = 'submission-1',
  ) {
    const el = document.createElement('receipt-page') as ReceiptPage;
    el.submissionId = submissionId;
    el.db = db;
    el.verification = { fetchPublicKeys: async () => ((key) => key && [key])(await fetchPublicKey()), storage };
    document.body.append(el);
    await el.updateComplete;
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
    expect(el.shadowRoot!.querySelector('#receipt-signature-note'), 'nothing missing, nothing said').to.equal(null);
  });

  for (const [missing, take] of [
    ['WebCrypto refusing Ed25519', refuseEd25519],
    ['no crypto.subtle', removeSubtleCrypto],
  ] as const) {
    it(`with ${missing}, verifies and says in one sentence that the page checked it itself`, async () => {
      const { receipt, key } = await signedReceipt();
      await db.receipts.put(receipt);
      const undo = take();
      try {
        const el = await mount(async () => key);
        expect(el.shadowRoot!.querySelector('#receipt-signature')?.textContent).to.equal('回执签名：已验证');
        expect(el.shadowRoot!.querySelector('#receipt-signature-note')?.textContent).to.equal(CHECKED_BY_APP_TEXT);
      } finally {
        undo();
      }
    });
  }

  it('offline with no key yet says it verifies once online', async () => {
    const { receipt } = await signedReceipt();
    await db.receipts.put(receipt);
    const el = await mount(async () => undefined);
    expect(el.shadowRoot!.textContent).to.contain('JL20260105000001');
    expect(el.shadowRoot!.querySelector('#receipt-signature')?.textContent).to.equal('回执签名：联网后验证');
  });

  it('shows the receipt the address names, not the newest one', async () => {
    const { receipt, key } = await signedReceipt();
    await db.receipts.put(receipt);
    await db.receipts.put({
      ...receipt,
      receiptNumber: 'JL20260106000009',
      submissionId: 'submission-2',
      submittedAt: '2026-01-06T01:00:00.000Z',
    });
    const el = await mount(async () => key);
    expect(el.shadowRoot!.textContent).to.contain('JL20260105000001');
    expect(el.shadowRoot!.textContent).to.not.contain('JL20260106000009');

    el.submissionId = 'submission-2';
    await el.updateComplete;
    await el.done;
    await el.updateComplete;
    expect(el.shadowRoot!.textContent).to.contain('JL20260106000009');
    // Its signature covers the other submission's fields: it does not check out.
    expect(el.shadowRoot!.querySelector('#receipt-signature')?.textContent).to.equal('回执签名：验证未通过，此回执可能已被改动');
  });

  it('says so when the device holds no receipt of that submission', async () => {
    const { receipt, key } = await signedReceipt();
    await db.receipts.put(receipt);
    const el = await mount(async () => key, memoryStorage(), 'submission-other');
    expect(el.shadowRoot!.textContent).to.contain('本机没有提交记录。');
    expect(el.shadowRoot!.textContent).to.not.contain('JL20260105000001');
  });
});
