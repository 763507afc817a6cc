import { expect } from 'chai';
import { waitFor } from '../test-support/elements.ts';
import { fakeStaffClient } from '../test-support/fake-staff-client.ts';
import './staff-console.ts';

async function open(whoAmI: { status: number; body: unknown }) {
  const { client, sent } = fakeStaffClient((request) =>
    request.path === '/api/staff/session' && request.method === 'GET' ? whoAmI : { status: 200, body: { submissions: [], counts: {}, nextCursor: null } },
  );
  const el = document.createElement('staff-console');
  el.client = client;
  document.body.append(el);
  return { el, root: el.shadowRoot!, sent };
}

describe('staff-console', () => {
  const start = location.pathname;
  afterEach(() => {
    document.body.replaceChildren();
    history.replaceState(null, '', start);
  });

  it('shows sign-in to nobody, and the queue once signed in', async () => {
    const { el, root } = await open({ status: 401, body: { error: '请先登录' } });
    const signIn = await waitFor(() => root.querySelector('staff-sign-in'));
    signIn.dispatchEvent(new CustomEvent('signed-in', { detail: { username: 'li.na', role: 'reviewer' }, bubbles: true, composed: true }));
    await waitFor(() => root.querySelector('staff-queue-page'));
    await el.updateComplete;
    expect(root.querySelector('header')?.textContent).to.contain('审核人员：li.na');
  });

  it('gives an employer its own applications, and 退出登录 ends the session', async () => {
    const { root, sent } = await open({ status: 200, body: { staff: { username: 'hr', role: 'employer', uscc: 'X', enterpriseName: '示例监理有限公司' } } });
    await waitFor(() => root.querySelector('employer-page'));
    expect(root.querySelector('header')?.textContent).to.contain('示例监理有限公司：hr');
    [...root.querySelectorAll('button')].find((b) => b.textContent === '退出登录')!.click();
    await waitFor(() => root.querySelector('staff-sign-in'));
    expect(sent.some((request) => request.method === 'DELETE' && request.path === '/api/staff/session')).to.equal(true);
  });

  it('keeps the queue\'s filters in the address, through reload and back', async () => {
    history.replaceState(null, '', '/staff?status=submitted');
    const { root, sent } = await open({ status: 200, body: { staff: { username: 'li.na', role: 'reviewer' } } });
    const queue = await waitFor(() => root.querySelector('staff-queue-page'));
    const asked = () => sent.filter((request) => request.path.startsWith('/api/staff/submissions'));
    await waitFor(() => asked().length === 1);
    expect(new URL(asked()[0]!.path, location.origin).searchParams.get('status')).to.equal('submitted');
    await queue.updateComplete;
    const inner = queue.shadowRoot!;
    const status = inner.querySelector<HTMLSelectElement>('#status')!;
    status.value = 'accepted';
    status.dispatchEvent(new Event('change'));
    inner.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await waitFor(() => location.search === '?status=accepted');
    await waitFor(() => asked().length === 2);
    history.back();
    await waitFor(() => location.search === '?status=submitted');
    await waitFor(() => asked().length === 3);
    expect(new URL(asked()[2]!.path, location.origin).searchParams.get('status')).to.equal('submitted');
    await queue.updateComplete;
    expect(status.value).to.equal('submitted');
    expect(root.querySelector('staff-queue-page'), 'the same screen, not a new one').to.equal(queue);
  });

  it('moves to an application within the console when its link is followed', async () => {
    history.replaceState(null, '', '/staff');
    const { root } = await open({ status: 200, body: { staff: { username: 'li.na', role: 'reviewer' } } });
    await waitFor(() => root.querySelector('staff-queue-page'));
    const link = document.createElement('a');
    link.href = '/staff/submissions/s1';
    root.querySelector('main')!.append(link);
    link.click();
    await waitFor(() => root.querySelector('staff-detail-page'));
    expect(location.pathname).to.equal('/staff/submissions/s1');
  });
});
