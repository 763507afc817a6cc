import { expect } from 'chai';
import type { MyData } from '../../shared/api/my-data.ts';
import { LocalDb } from '../data/local-db.ts';
import { NetClient } from '../net/api-client.ts';
import { type FakeAnswer, fakeTransport, type RecordedRequest } from '../test-support/fake-transport.ts';
import { downloadName, type MyDataPage } from './my-data-page.ts';
import './my-data-page.ts';

async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function myData(status = 'approved', statusLabel = '准予注册'): MyData {
  return {
    exportedAt: '2026-03-01T17:30:00.000Z',
    account: { name: '李明', idNumber: '110101199003077777', mobile: '13800138000', createdAt: '2026-01-04T02:00:00.000Z' },
    applications: [
      {
        id: 's1',
        receiptNumber: 'JL20260105000001',
        status,
        statusLabel,
        submittedAt: '2026-01-05T01:00:00.000Z',
        versions: [{ version: 1, submittedAt: '2026-01-05T01:00:00.000Z', bodySha256: 'ab'.repeat(32), application: { name: '李明', specialty1: '01' } }],
        history: [{ status: 'submitted', statusLabel: '已提交，待单位确认', at: '2026-01-05T01:00:00.000Z', version: 1 }],
      },
    ],
    faceChecks: [
      { result: 'pass', at: '2026-01-05T00:50:00.000Z' },
      { result: 'fail', at: '2026-01-05T00:45:00.000Z' },
    ],
    notices: [
      {
        submissionId: 's1',
        event: 'received',
        text: '【住建部政务服务】您的申请JL20260105000001已收到。',
        state: 'sent',
        createdAt: '2026-01-05T01:00:00.000Z',
        sentAt: '2026-01-05T01:00:05.000Z',
      },
    ],
    accessLog: [
      {
        at: '2026-01-06T02:00:00.000Z',
        role: 'reviewer',
        roleLabel: '审查人员',
        organisation: null,
        action: 'submission.read',
        actionLabel: '查看了申请',
        submissionId: 's1',
        receiptNumber: 'JL20260105000001',
      },
      {
        at: '2026-01-05T03:00:00.000Z',
        role: 'employer',
        roleLabel: '受聘单位',
        organisation: '91370100000000008X',
        action: 'submission.confirmation.confirm',
        actionLabel: '确认了聘用关系',
        submissionId: 's1',
        receiptNumber: 'JL20260105000001',
      },
    ],
  };
}

describe('my-data-page', () => {
  let name: string;
  let db: LocalDb;
  let sent: RecordedRequest[];

  beforeEach(() => {
    name = `my-data-test-${crypto.randomUUID()}`;
    db = new LocalDb(name);
    sent = [];
  });

  afterEach(async () => {
    document.body.replaceChildren();
    db.close();
    await new LocalDb(name).delete();
  });

  async function page(handle: (request: RecordedRequest) => FakeAnswer): Promise<MyDataPage> {
    const el = document.createElement('my-data-page') as MyDataPage;
    el.db = db;
    el.net = new NetClient(
      fakeTransport((request) => {
        sent.push(request);
        return handle(request);
      }),
    );
    document.body.append(el);
    await until(() => el.view.kind !== 'loading');
    await el.updateComplete;
    return el;
  }

  const text = (el: MyDataPage) => el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
  const button = (el: MyDataPage, label: string) =>
    [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent?.trim() === label);

  it('shows the account, the applications, who read them, the face checks and the notices, in Chinese', async () => {
    const el = await page(() => ({ status: 200, body: myData() }));
    expect(sent.map((r) => `${r.method} ${r.path}`)).to.deep.equal(['GET /api/me/data']);
    const shown = text(el);
    for (const expected of ['李明', '110101199003077777', '13800138000', '申请编号：JL20260105000001', '准予注册', '第 1 版', '通过', '未通过', '已发送']) {
      expect(shown).to.contain(expected);
    }
    const access = [...el.shadowRoot!.querySelectorAll('.access-log li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    expect(access).to.have.length(2);
    expect(access[0]).to.match(/审查人员 查看了申请（申请编号 JL20260105000001）/);
    expect(access[1]).to.match(/受聘单位（91370100000000008X） 确认了聘用关系/);
    expect(el.shadowRoot!.querySelector('#access-title')?.textContent).to.equal('谁查看了我的申请');
    expect(shown).to.contain('依照法律法规的要求继续保存');
  });

  it('leads on to 更换手机号码 from the account', async () => {
    const el = await page(() => ({ status: 200, body: myData() }));
    let to = '';
    el.addEventListener('navigate', (event) => {
      to = (event as CustomEvent<{ to: string }>).detail.to;
    });
    button(el, '更换手机号码')!.click();
    expect(to).to.equal('/account/mobile');
  });

  it('asks to sign in first when there is no session', async () => {
    const el = await page(() => ({ status: 401, body: { error: '请先登录' } }));
    expect(text(el)).to.contain('请先核验身份后查看您的信息');
  });

  it('下载我的数据 saves the answer itself as one JSON file named with the China date', async () => {
    expect(downloadName('2026-03-01T17:30:00.000Z')).to.equal('我的数据-2026-03-02.json');
    const el = await page(() => ({ status: 200, body: myData() }));
    let saved: Promise<{ name: string; body: unknown }> | undefined;
    el.shadowRoot!.addEventListener(
      'click',
      (event) => {
        const link = event.target;
        if (!(link instanceof HTMLAnchorElement)) return;
        event.preventDefault();
        saved = fetch(link.href).then(async (response) => ({ name: link.download, body: await response.json() }));
      },
      { capture: true },
    );
    button(el, '下载我的数据')!.click();
    expect(saved, 'a link was clicked').to.not.equal(undefined);
    const file = await saved!;
    expect(file.name).to.equal('我的数据-2026-03-02.json');
    expect(file.body).to.deep.equal(myData());
  });

  it('names the application in progress, and shows the server’s refusal (409) when 注销账号 is confirmed', async () => {
    const refusal = '申请 JL20260105000001（审查中） 正在办理中，办结或撤回后才能注销账号';
    const el = await page((request) =>
      request.path === '/api/me/closure' ? { status: 409, body: { error: refusal } } : { status: 200, body: myData('under_review', '审查中') },
    );
    expect(el.shadowRoot!.querySelector('#close-blocked')?.textContent).to.equal(refusal);
    button(el, '注销账号')!.click();
    await el.updateComplete;
    button(el, '确认注销')!.click();
    await until(() => el.shadowRoot!.querySelector('#close-error')?.textContent === refusal);
    expect(el.shadowRoot!.querySelector('#close-error')?.getAttribute('role')).to.equal('alert');
    expect(button(el, '注销账号'), 'back to the start').to.not.equal(undefined);
  });

  it('asks for a face check when the server wants a fresh one, then closes and clears the device', async () => {
    await db.receipts.put({
      receiptNumber: 'JL20260105000001',
      accountId: 'a',
      submissionId: 's1',
      submittedAt: '2026-01-05T01:00:00.000Z',
      status: 'approved',
      bodySha256: 'ab'.repeat(32),
      summary: { name: '李明', enterpriseName: '甲监理公司', specialty1: '01', specialty2: '02' },
    });
    let closures = 0;
    const el = await page((request) => {
      if (request.path !== '/api/me/closure') return { status: 200, body: myData() };
      closures += 1;
      return closures === 1
        ? { status: 403, body: { error: '注销账号前请先完成人脸识别（10 分钟内有效）' } }
        : { status: 200, body: { closedAt: '2026-03-01T17:31:00.000Z', keptApplications: 1, kept: '已办结的申请继续保存。' } };
    });
    button(el, '注销账号')!.click();
    await el.updateComplete;
    button(el, '确认注销')!.click();
    await until(() => el.shadowRoot!.querySelector('face-check') !== null);
    expect(text(el)).to.contain('注销账号前请先完成人脸识别');

    const check = el.shadowRoot!.querySelector('face-check')!;
    check.dispatchEvent(
      new CustomEvent('face-passed', {
        detail: { result: 'pass', reference: 'r', verifiedAt: '2026-03-01T17:30:30.000Z', provider: 'development' },
        bubbles: true,
        composed: true,
      }),
    );
    await until(() => text(el).includes('账号已注销'));
    expect(closures).to.equal(2);
    expect(text(el)).to.contain('已办结的申请继续保存。');
    expect(el.shadowRoot!.activeElement?.id).to.equal('closed-title');
    expect(await new LocalDb(name).receipts.count(), 'the device copies are gone').to.equal(0);
  });
});
