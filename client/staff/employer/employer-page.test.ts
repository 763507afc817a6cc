import { expect } from 'chai';
import { waitFor } from '../../test-support/elements.ts';
import { fakeStaffClient, jsonOf } from '../../test-support/fake-staff-client.ts';
import { button, mount } from '../../test-support/form-controls.ts';
import './employer-page.ts';

const ITEM = {
  id: 'e1', receiptNumber: 'JL2026000002', submittedAt: '2026-03-02T02:00:00.000Z', status: 'submitted',
  statusLabel: '已提交，待单位确认', version: 1, name: '李娜', idNumber: '370103199710061238', specialties: ['01'], canConfirm: true,
};
const RESULT = { id: 'e1', status: 'employer_confirmed', statusLabel: '单位已确认', version: 1, at: '2026-03-03T02:00:00.000Z' };

describe('employer-page', () => {
  afterEach(() => document.body.replaceChildren());

  it('lists its applications with the ID number masked, and 确认 confirms', async () => {
    const { client, sent } = fakeStaffClient((request) =>
      request.method === 'POST' ? { status: 200, body: RESULT } : { status: 200, body: { submissions: [ITEM] } },
    );
    const el = await mount('employer-page', (e) => (e.client = client));
    const root = el.shadowRoot!;
    const row = await waitFor(() => root.querySelector('tbody tr'));
    expect(row.textContent).to.contain('李娜').and.to.contain('3701**********1238');
    button(root, '确认')!.click();
    await waitFor(() => sent.length === 3);
    expect(sent[1]?.path).to.equal('/api/employer/submissions/e1/confirmation');
    expect(jsonOf(sent[1])).to.deep.equal({ confirmed: true });
  });

  it('不确认 asks for the reason before sending it', async () => {
    const { client, sent } = fakeStaffClient((request) =>
      request.method === 'POST' ? { status: 200, body: { ...RESULT, status: 'employer_declined', statusLabel: '单位未确认' } } : { status: 200, body: { submissions: [ITEM] } },
    );
    const el = await mount('employer-page', (e) => (e.client = client));
    const root = el.shadowRoot!;
    await waitFor(() => button(root, '不确认'));
    button(root, '不确认')!.click();
    await el.updateComplete;
    expect(root.activeElement?.id).to.equal('decline-reason');
    button(root, '提交不确认')!.click();
    await el.updateComplete;
    expect(sent).to.have.length(1);
    expect(root.querySelector('[role=alert]')?.textContent).to.contain('请填写不予确认的理由');
    const reason = root.querySelector<HTMLTextAreaElement>('#decline-reason')!;
    reason.value = '该人员未在本单位任职';
    reason.dispatchEvent(new Event('input'));
    button(root, '提交不确认')!.click();
    await waitFor(() => sent.length === 3);
    expect(jsonOf(sent[1])).to.deep.equal({ confirmed: false, reason: '该人员未在本单位任职' });
  });
});
