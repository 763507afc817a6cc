import { expect } from 'chai';
import { LocalDb, type OutboxRecord } from '../data/local-db.ts';
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
});
