import { expect } from 'chai';
import { LocalDb, type OutboxRecord } from '../data/local-db.ts';
import { receiptRecord } from '../test-support/receipt-fixtures.ts';
import { NetClient } from '../net/api-client.ts';
import { fakeTransport } from '../test-support/fake-transport.ts';
import type { MyApplicationsPage } from './my-applications-page.ts';
import './my-applications-page.ts';

async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function item(state: OutboxRecord['state'], enterprise: string, createdAt: number): OutboxRecord {
  return {
    id: crypto.randomUUID(),
    accountId: 'a',
    draftId: crypto.randomUUID(),
    body: { enterprise: { name: enterprise }, specialty1: '01', specialty2: '02' },
    attachments: [],
    state,
    attempts: 1,
    nextAttemptAt: createdAt,
    createdAt,
    ...(state === 'rejected' ? { lastError: '申请内容有误，请修改标红的项目后重新提交' } : {}),
  };
}

const NOTES = [
  { field: 'photo', note: '照片背景不是白色，请重新上传' },
  { field: 'enterprise.uscc', note: '请核对统一社会信用代码' },
];

describe('my-applications-page', () => {
  let name: string;
  let db: LocalDb;

  beforeEach(() => {
    name = `applications-test-${crypto.randomUUID()}`;
    db = new LocalDb(name);
  });

  afterEach(async () => {
    document.body.replaceChildren();
    db.close();
    await new LocalDb(name).delete();
  });

  it('lists submissions still on the device: waiting ones, and rejected ones with the way to the form', async () => {
    await db.outbox.bulkPut([item('queued', '甲监理公司', 1), item('rejected', '乙监理公司', 2)]);
    const el = document.createElement('my-applications-page') as MyApplicationsPage;
    el.db = db;
    document.body.append(el);
    await until(() => el.shadowRoot!.querySelectorAll('.outbox-item').length === 2);
    await el.updateComplete;
    const [queued, rejected] = [...el.shadowRoot!.querySelectorAll('.outbox-item')];
    const statusOf = (li: Element | undefined) => li?.querySelector('outbox-status')?.shadowRoot?.textContent ?? '';
    expect(queued?.textContent).to.contain('甲监理公司');
    expect(queued?.textContent).to.contain('房屋建筑工程');
    expect(statusOf(queued)).to.contain('等待网络，恢复后自动提交');
    expect(queued?.querySelector('button')).to.equal(null);
    expect(statusOf(rejected)).to.contain('需要修改后重新提交');
    let target: string | undefined;
    el.addEventListener('navigate', (e) => (target = (e as CustomEvent<{ to: string }>).detail.to));
    rejected!.querySelector('button')!.click();
    expect(target).to.equal('/apply/form');

    // Sent meanwhile (elsewhere): it leaves the list by itself.
    await db.outbox.clear();
    await until(() => el.shadowRoot!.querySelectorAll('.outbox-item').length === 0);
  });

  const correctionAsked = {
    id: 'sub-1',
    receiptNumber: 'JL20260105000001',
    submittedAt: '2026-01-05T01:00:00.000Z',
    status: 'correction_requested',
    statusLabel: '需补正',
    version: 1,
    corrections: NOTES,
  };

  const mount = (answer: () => { status: number; body: unknown }) => {
    const el = document.createElement('my-applications-page') as MyApplicationsPage;
    el.db = db;
    el.net = new NetClient(fakeTransport((request) => (request.path === '/api/submissions' ? answer() : { status: 404, body: null })));
    document.body.append(el);
    return el;
  };

  it('shows the status from the server; for 需补正 the notes and 补正, which reopens the form on that submission', async () => {
    await db.receipts.bulkPut([receiptRecord('sub-1', 'JL20260105000001', 'submitted'), receiptRecord('sub-2', 'JL20260105000002', 'submitted')]);
    const accepted = { ...correctionAsked, id: 'sub-2', receiptNumber: 'JL20260105000002', status: 'accepted', statusLabel: '已受理' };
    const { corrections: _none, ...acceptedLine } = accepted;
    const el = mount(() => ({ status: 200, body: { submissions: [correctionAsked, acceptedLine] } }));
    await until(() => el.shadowRoot!.querySelectorAll('li.card').length === 2);
    await el.updateComplete;
    const [asked, other] = [...el.shadowRoot!.querySelectorAll('li.card')];
    expect(asked?.querySelector('.status')?.textContent).to.equal('需补正');
    expect(asked?.textContent).to.contain('一寸免冠照片：照片背景不是白色，请重新上传');
    expect(asked?.textContent).to.contain('统一社会信用代码：请核对统一社会信用代码');
    expect(other?.querySelector('.status')?.textContent).to.equal('已受理');
    expect(other?.querySelector('button')).to.equal(null);

    let target: string | undefined;
    el.addEventListener('navigate', (e) => (target = (e as CustomEvent<{ to: string }>).detail.to));
    const button = asked!.querySelector('button')!;
    expect(button.textContent?.trim()).to.equal('补正');
    button.click();
    expect(target).to.equal('/apply/form?correction=sub-1');

    // The device's receipts learnt each status, and the notes, for when there is no network.
    const kept = await db.receipts.toArray();
    const byId = Object.fromEntries(kept.map((r) => [r.submissionId, r]));
    expect(byId['sub-1']?.status).to.equal('correction_requested');
    expect(byId['sub-1']?.corrections).to.deep.equal(NOTES);
    expect(byId['sub-2']?.status).to.equal('accepted');
    expect(byId['sub-2']?.corrections).to.equal(undefined);
  });

  it('offline, shows 需补正 and the notes kept on the device', async () => {
    await db.receipts.put({ ...receiptRecord('sub-1', 'JL20260105000001', 'correction_requested'), corrections: NOTES });
    const el = mount(() => ({ status: 0, body: null }));
    await until(() => (el.shadowRoot!.textContent ?? '').includes('照片背景不是白色'));
    const text = el.shadowRoot!.textContent ?? '';
    expect(text).to.contain('当前无网络');
    expect(el.shadowRoot!.querySelector('li.card .status')?.textContent).to.equal('需补正');
    expect([...el.shadowRoot!.querySelectorAll('button')].map((b) => b.textContent?.trim())).to.include('补正');
  });
});
