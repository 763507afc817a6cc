import { expect } from 'chai';
import { waitFor } from '../../test-support/elements.ts';
import { fakeStaffClient } from '../../test-support/fake-staff-client.ts';
import { button, mount } from '../../test-support/form-controls.ts';
import './staff-queue-page.ts';

const ITEM = {
  id: 'a1b2',
  receiptNumber: 'JL2026000001',
  submittedAt: '2026-03-02T02:00:00.000Z',
  status: 'employer_confirmed',
  statusLabel: '单位已确认',
  version: 2,
  name: '张伟',
  idNumber: '370103199710061238',
  enterprise: { uscc: '91370100MA3C5XXX0Y', name: '示例监理有限公司', province: '山东省' },
  specialties: ['01', '13'],
  deadline: { kind: 'correction', label: '补正告知期限', startedOn: '2026-03-02', due: '2026-03-09', workingDaysLeft: 2, current: true },
};

const queue = (nextCursor: string | null = null) => ({
  status: 200,
  body: { submissions: [ITEM], counts: { submitted: 3, employer_confirmed: 1 }, nextCursor },
});

describe('staff-queue-page', () => {
  afterEach(() => document.body.replaceChildren());

  it('lists applications with counts per status and the working days left', async () => {
    const { client } = fakeStaffClient(() => queue());
    const el = await mount('staff-queue-page', (e) => (e.client = client));
    const root = el.shadowRoot!;
    const row = await waitFor(() => root.querySelector('tbody tr'));
    expect(row.textContent).to.contain('张伟').and.to.contain('示例监理有限公司').and.to.contain('房屋建筑工程、市政公用工程');
    expect(row.querySelector('.clock')?.textContent).to.equal('补正告知期限：剩 2 个工作日（2026-03-09 届满）');
    expect(row.querySelector('a')?.getAttribute('href')).to.equal('/staff/submissions/a1b2');
    expect(button(root, '全部 4')).to.exist;
    expect(button(root, '已提交，待单位确认 3')).to.exist;
  });

  it('shows the counts as a row of buttons without bullets, and the 申请人 column unbroken', async () => {
    const { client } = fakeStaffClient(() => queue());
    const el = await mount('staff-queue-page', (e) => (e.client = client));
    const root = el.shadowRoot!;
    await waitFor(() => root.querySelector('tbody tr'));
    const counts = getComputedStyle(root.querySelector('ul.counts')!);
    expect([counts.listStyleType, counts.paddingLeft, counts.display]).to.deep.equal(['none', '0px', 'flex']);
    const header = [...root.querySelectorAll('thead th')].find((th) => th.textContent === '申请人')!;
    expect(getComputedStyle(header).whiteSpace).to.equal('nowrap');
    expect(getComputedStyle(root.querySelector('tbody tr td:nth-child(2)')!).whiteSpace).to.equal('nowrap');
  });

  it('starts from the filters of the address and puts the ones asked with into it', async () => {
    const { client, sent } = fakeStaffClient(() => queue());
    const el = await mount('staff-queue-page', (e) => {
      e.client = client;
      e.search = '?status=submitted&from=2026-03-01&limit=9&to=not-a-date';
    });
    const navigations: string[] = [];
    el.addEventListener('navigate', (e) => navigations.push((e as CustomEvent<{ to: string }>).detail.to));
    const root = el.shadowRoot!;
    await waitFor(() => sent.length === 1);
    expect(Object.fromEntries(new URL(sent[0]!.path, location.origin).searchParams)).to.deep.equal({ status: 'submitted', from: '2026-03-01' });
    await el.updateComplete;
    expect(root.querySelector<HTMLSelectElement>('#status')!.value).to.equal('submitted');
    expect(root.querySelector<HTMLInputElement>('#from')!.value).to.equal('2026-03-01');
    button(root, '查询')!.click();
    await waitFor(() => sent.length === 2);
    expect(navigations, 'the same filters: no new address').to.deep.equal([]);
    const province = root.querySelector<HTMLInputElement>('#province')!;
    province.value = '山东省';
    province.dispatchEvent(new Event('input'));
    button(root, '查询')!.click();
    await waitFor(() => sent.length === 3);
    expect(navigations).to.deep.equal([`/staff?${new URLSearchParams({ status: 'submitted', from: '2026-03-01', province: '山东省' })}`]);
    // The console hands the new address back: the list shown is already the one asked for.
    el.search = new URL(navigations[0]!, location.origin).search;
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 50));
    expect(sent).to.have.length(3);
    // Back to the first address: its filters, asked again.
    el.search = '?status=submitted&from=2026-03-01';
    await waitFor(() => sent.length === 4);
    expect(new URL(sent[3]!.path, location.origin).searchParams.get('province')).to.equal(null);
    await el.updateComplete;
    expect(root.querySelector<HTMLInputElement>('#province')!.value).to.equal('');
  });

  it('asks with the filters set, the counts filter by status, and the CSV link carries the same filters', async () => {
    const { client, sent } = fakeStaffClient(() => queue());
    const el = await mount('staff-queue-page', (e) => (e.client = client));
    const root = el.shadowRoot!;
    await waitFor(() => root.querySelector('tbody tr'));
    const province = root.querySelector<HTMLInputElement>('#province')!;
    province.value = '山东省';
    province.dispatchEvent(new Event('input'));
    const specialty = root.querySelector<HTMLSelectElement>('#specialty')!;
    specialty.value = '13';
    specialty.dispatchEvent(new Event('change'));
    button(root, '查询')!.click();
    await waitFor(() => sent.length === 2);
    const asked = new URL(sent[1]!.path, location.origin);
    expect(asked.pathname).to.equal('/api/staff/submissions');
    expect(Object.fromEntries(asked.searchParams)).to.deep.equal({ province: '山东省', specialty: '13' });
    await el.updateComplete;
    const csv = new URL(root.querySelector<HTMLAnchorElement>('a[download]')!.href);
    expect(csv.pathname).to.equal('/api/staff/submissions.csv');
    expect(Object.fromEntries(csv.searchParams)).to.deep.equal({ province: '山东省', specialty: '13' });
    button(root, '已提交，待单位确认 3')!.click();
    await waitFor(() => sent.length === 3);
    expect(new URL(sent[2]!.path, location.origin).searchParams.get('status')).to.equal('submitted');
  });

  it('goes to the next page with the cursor given and back again', async () => {
    const { client, sent } = fakeStaffClient(() => queue('next-1'));
    const el = await mount('staff-queue-page', (e) => (e.client = client));
    const root = el.shadowRoot!;
    await waitFor(() => button(root, '下一页'));
    button(root, '下一页')!.click();
    await waitFor(() => sent.length === 2);
    expect(new URL(sent[1]!.path, location.origin).searchParams.get('cursor')).to.equal('next-1');
    (await waitFor(() => button(root, '上一页'))).click();
    await waitFor(() => sent.length === 3);
    expect(new URL(sent[2]!.path, location.origin).searchParams.get('cursor')).to.equal(null);
  });

  it('a lapsed session sends the person back to sign-in', async () => {
    const { client } = fakeStaffClient(() => ({ status: 401, body: { error: '请先登录' } }));
    let signedOut = false;
    document.body.addEventListener('signed-out', () => (signedOut = true), { once: true });
    await mount('staff-queue-page', (e) => (e.client = client));
    await waitFor(() => signedOut);
  });
});
