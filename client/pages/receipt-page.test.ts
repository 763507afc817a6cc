import { expect } from '@esm-bundle/chai';
import { receiptSigningPayload } from '../../shared/receipt-signature.ts';
import { LocalDb, type ReceiptRecord } from '../data/local-db.ts';
import type { ReceiptPublicKey } from '../data/receipt-verification.ts';
import type { ReceiptPage } from './receipt-page.ts';
import './receipt-page.ts';

const base64url = (bytes: ArrayBuffer) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');

async function signed(): Promise<{ receipt: ReceiptRecord; key: ReceiptPublicKey }> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const fields = {
    receiptNumber: 'JL20260105000001',
    submissionId: 'submission-1',
    submittedAt: '2026-01-05T01:00:00.000Z',
    bodySha256: 'ab'.repeat(32),
    keyId: '0123456789abcdef',
  };
  const signature = await crypto.subtle.sign('Ed25519', pair.privateKey, new TextEncoder().encode(receiptSigningPayload(fields)));
  return {
    receipt: {
      ...fields,
      accountId: 'a',
      status: 'submitted',
      summary: { name: '李明', enterpriseName: '示例工程监理有限公司', specialty1: '01', specialty2: '02' },
      signature: base64url(signature),
    },
    key: { keyId: fields.keyId, algorithm: 'Ed25519', publicKey: base64url(await crypto.subtle.exportKey('raw', pair.publicKey)) },
  };
}

function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (k) => map.get(k) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (k) => void map.delete(k),
    setItem: (k, v) => void map.set(k, String(v)),
  };
}

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
    const { receipt, key } = await signed();
    await db.receipts.put(receipt);
    const el = await mount(async () => key);
    const text = el.shadowRoot!.textContent ?? '';
    expect(text).to.contain('您所申请的事项已经提交成功！');
    expect(text).to.contain('JL20260105000001');
    expect(text).to.contain('示例工程监理有限公司');
    expect(el.shadowRoot!.querySelector('#receipt-signature')?.textContent).to.equal('回执签名：已验证');
  });

  it('offline with no key yet says it verifies once online', async () => {
    const { receipt } = await signed();
    await db.receipts.put(receipt);
    const el = await mount(async () => undefined);
    expect(el.shadowRoot!.textContent).to.contain('JL20260105000001');
    expect(el.shadowRoot!.querySelector('#receipt-signature')?.textContent).to.equal('回执签名：联网后验证');
  });
});
