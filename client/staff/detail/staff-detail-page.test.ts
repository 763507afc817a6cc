import { expect } from 'chai';
import { waitFor } from '../../test-support/elements.ts';
import { fakeStaffClient, jsonOf } from '../../test-support/fake-staff-client.ts';
import { button, mount } from '../../test-support/form-controls.ts';
import './staff-detail-page.ts';

const V1 = {
  name: '张伟', sex: 'male', idType: 'resident-id', mobile: '13800138000', ethnicity: '01', education: '21', degree: '400',
  specialty1: '01', specialty2: '13', enterprise: { name: '示例监理有限公司', province: '山东省' }, photo: 'aa'.repeat(32),
  commitment: { version: '2026-01', choice: 'accept', acceptedAt: '2026-03-02T01:59:30.000Z' },
};
const V2 = { ...V1, mobile: '13900139000', photo: 'bb'.repeat(32) };
const links = (version: number) => ({
  photo: `/api/staff/submissions/s1/attachments/photo?version=${version}`,
  signature: `/api/staff/submissions/s1/attachments/signature?version=${version}`,
});
const version = (n: number, application: Record<string, unknown>) => ({
  version: n, submittedAt: '2026-03-02T02:00:00.000Z', bodySha256: 'c'.repeat(64), application, attachments: links(n),
});

const DETAIL = {
  id: 's1', receiptNumber: 'JL2026000001', submittedAt: '2026-03-02T02:00:00.000Z', status: 'employer_confirmed',
  statusLabel: '单位已确认', version: 2, name: '张伟', idNumber: '370103199710061238',
  enterprise: { uscc: null, name: '示例监理有限公司', province: '山东省' }, specialties: ['01'],
  bodySha256: 'c'.repeat(64), application: V2, attachments: links(2),
  versions: [version(1, V1), version(2, V2)],
  history: [
    { seq: 1, version: 1, kind: 'submitted', status: 'submitted', statusLabel: '已提交，待单位确认', actor: 'account:1', at: '2026-03-02T02:00:00.000Z' },
    { seq: 2, version: 1, kind: 'status', status: 'correction_requested', statusLabel: '需补正', actor: 'staff:1', at: '2026-03-03T02:00:00.000Z',
      corrections: [{ field: 'photo', note: '照片背景应为白色' }] },
  ],
  deadlines: [{ kind: 'correction', label: '补正告知期限', startedOn: '2026-03-02', due: '2026-03-09', workingDaysLeft: -1, current: true }],
  availableDecisions: ['accept', 'not_accept', 'request_correction'],
};

async function open(handle: Parameters<typeof fakeStaffClient>[0] = () => ({ status: 200, body: DETAIL })) {
  const { client, sent } = fakeStaffClient(handle);
  const el = await mount('staff-detail-page', (e) => {
    e.client = client;
    e.submissionId = 's1';
  });
  await waitFor(() => el.shadowRoot!.querySelector('h1'));
  await el.updateComplete;
  const panel = el.shadowRoot!.querySelector('decision-panel')!;
  await panel.updateComplete;
  return { el, root: el.shadowRoot!, panel, sent };
}

describe('staff-detail-page', () => {
  afterEach(() => document.body.replaceChildren());

  it('shows photo, signature, deadlines and the history with its 补正 notes', async () => {
    const { root } = await open();
    const images = [...root.querySelectorAll('img')];
    expect(images.map((img) => img.getAttribute('src'))).to.deep.equal([links(2).photo, links(2).signature]);
    expect(images.every((img) => img.alt)).to.equal(true);
    expect(root.textContent).to.contain('补正告知期限：已逾期 1 个工作日');
    expect(root.querySelector('ol.history')?.textContent).to.contain('一寸免冠照片：照片背景应为白色');
  });

  it('shows every coded field by its name and the time of the commitment in China time', async () => {
    const { root } = await open();
    const rows = Object.fromEntries(
      [...root.querySelectorAll('table:not(section table) tbody tr')].map((row) => [row.querySelector('th')?.textContent, row.querySelector('td')?.textContent]),
    );
    expect(rows).to.include({
      性别: '男', 证件类型: '身份证', 民族: '汉族', 学历: '大学本科', 学位: '学士',
      申请注册专业1: '房屋建筑工程', 申请注册专业2: '市政公用工程',
      承诺书版本: '2026-01', 承诺选择: '本人作出上述承诺', 承诺时间: '2026/3/2 09:59:30',
    });
  });

  it('names a declined commitment as the form offers it', async () => {
    const declined = { ...V2, commitment: { ...V2.commitment, choice: 'decline' } };
    const { root } = await open(() => ({ status: 200, body: { ...DETAIL, application: declined } }));
    expect(root.querySelector('table')?.textContent).to.contain('本人不作出上述承诺').and.not.to.contain('decline');
  });

  it('counts down only the current period; one the application has moved past is over', async () => {
    const deadlines = [
      { kind: 'correction', label: '补正告知期限', startedOn: '2026-03-02', due: '2026-03-09', workingDaysLeft: 3, current: false },
      { kind: 'review', label: '审查期限', startedOn: '2026-03-04', due: '2026-04-01', workingDaysLeft: 18, current: true },
    ];
    const { root } = await open(() => ({ status: 200, body: { ...DETAIL, status: 'accepted', statusLabel: '已受理', deadlines } }));
    const facts = [...root.querySelectorAll('dl.facts dd')].map((dd) => dd.textContent);
    expect(facts).to.include('补正告知期限：已结束').and.to.include('审查期限：剩 18 个工作日（2026-04-01 届满）');
    expect(root.querySelector('dl.facts')?.textContent).not.to.contain('补正告知期限：剩');
  });

  it('compares versions field by field, marking what changed', async () => {
    const { root } = await open();
    const rows = [...root.querySelectorAll('section[aria-labelledby=diff-title] tbody tr')];
    const changed = rows.filter((row) => row.classList.contains('changed')).map((row) => row.querySelector('th')?.textContent);
    expect(changed).to.deep.equal(['手机号码', '一寸免冠照片']);
    const mobile = rows.find((row) => row.querySelector('th')?.textContent === '手机号码')!;
    expect(mobile.textContent).to.contain('13800138000').and.to.contain('13900139000').and.to.contain('已修改');
    expect(root.textContent).to.contain('共有 2 项不同');
  });

  it('offers only the decisions the status allows', async () => {
    const { panel } = await open();
    const offered = [...panel.shadowRoot!.querySelectorAll('[role=group] button')].map((b) => b.textContent?.trim());
    expect(offered).to.deep.equal(['受理', '不予受理', '补正']);
  });

  it('asks 补正 with a note per field, for the current version, and reloads', async () => {
    const { panel, sent } = await open((request) =>
      request.method === 'POST'
        ? { status: 200, body: { id: 's1', status: 'correction_requested', statusLabel: '需补正', version: 2, at: '2026-03-04T02:00:00.000Z' } }
        : { status: 200, body: DETAIL },
    );
    const root = panel.shadowRoot!;
    button(root, '补正')!.click();
    await panel.updateComplete;
    button(root, '确认补正')!.click();
    await panel.updateComplete;
    expect(root.querySelector('[role=alert]')?.textContent).to.contain('请至少写明一项');
    const field = root.querySelector<HTMLSelectElement>('#note-field-0')!;
    field.value = 'photo';
    field.dispatchEvent(new Event('change'));
    const note = root.querySelector<HTMLTextAreaElement>('#note-text-0')!;
    note.value = '请上传白色背景的照片';
    note.dispatchEvent(new Event('input'));
    button(root, '确认补正')!.click();
    await waitFor(() => sent.length === 3);
    expect(sent[1]?.path).to.equal('/api/staff/submissions/s1/decisions');
    expect(jsonOf(sent[1])).to.deep.equal({ decision: 'request_correction', version: 2, corrections: [{ field: 'photo', note: '请上传白色背景的照片' }] });
    expect(sent[2]?.method).to.equal('GET');
  });

  it('不予受理 needs a reason, and a refusal (409) is shown', async () => {
    const { panel, sent } = await open((request) =>
      request.method === 'POST' ? { status: 409, body: { error: '该申请已有更新的版本，请刷新后再办理' } } : { status: 200, body: DETAIL },
    );
    const root = panel.shadowRoot!;
    button(root, '不予受理')!.click();
    await panel.updateComplete;
    expect(root.activeElement?.id).to.equal('reason');
    button(root, '确认不予受理')!.click();
    await panel.updateComplete;
    expect(sent).to.have.length(1);
    const reason = root.querySelector<HTMLTextAreaElement>('#reason')!;
    reason.value = '不符合注册条件';
    reason.dispatchEvent(new Event('input'));
    button(root, '确认不予受理')!.click();
    await waitFor(() => root.querySelector('[role=alert]')?.textContent?.includes('更新的版本'));
    expect(jsonOf(sent[1])).to.deep.equal({ decision: 'not_accept', version: 2, reason: '不符合注册条件' });
  });
});
