import { expect } from 'chai';
import { LocalDb } from '../data/local-db.ts';
import { receiptRecord } from '../test-support/receipt-fixtures.ts';
import { NetClient } from '../net/api-client.ts';
import { type FakeAnswer, fakeTransport, type RecordedRequest } from '../test-support/fake-transport.ts';
import { waitFor } from '../test-support/elements.ts';
import { type AppBadge, pendingCorrections, StatusRefresh } from './status-refresh.ts';

const row = (id: string, receiptNumber: string, status: string, statusLabel: string) => ({
  id,
  receiptNumber,
  submittedAt: '2026-01-05T01:00:00.000Z',
  status,
  statusLabel,
  version: 1,
  ...(status === 'correction_requested' ? { corrections: [{ field: 'photo', note: '照片背景不是白色，请重新上传' }] } : {}),
});

/**
 * The Badging API is not in headless Chromium (navigator.setAppBadge is missing there), so the badge is
 * this stub that records each call.
 */
function badgeStub(): AppBadge & { calls: (number | 'cleared')[] } {
  const calls: (number | 'cleared')[] = [];
  return {
    calls,
    setAppBadge: async (count?: number) => void calls.push(count ?? 0),
    clearAppBadge: async () => void calls.push('cleared'),
  };
}

describe('status-refresh', () => {
  let name: string;
  let db: LocalDb;
  let requests: RecordedRequest[];
  let answer: () => FakeAnswer;
  let online: boolean;
  let badge: ReturnType<typeof badgeStub>;
  let refresh: StatusRefresh;

  beforeEach(() => {
    name = `status-refresh-test-${crypto.randomUUID()}`;
    db = new LocalDb(name);
    requests = [];
    online = true;
    badge = badgeStub();
    answer = () => ({ status: 200, body: { submissions: [] } });
    const net = new NetClient(
      fakeTransport((request) => {
        requests.push(request);
        return request.path === '/api/submissions' ? answer() : { status: 404, body: null };
      }),
    );
    refresh = new StatusRefresh(() => db, { net, online: () => online, badge });
  });

  afterEach(async () => {
    refresh.stop();
    db.close();
    await new LocalDb(name).delete();
  });

  const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

  it('on start asks where the applications stand; the receipt learns 补正, and the badge shows it', async () => {
    await db.receipts.put(receiptRecord('sub-1', 'JL20260105000001', 'submitted'));
    answer = () => ({ status: 200, body: { submissions: [row('sub-1', 'JL20260105000001', 'correction_requested', '需补正')] } });
    refresh.start();
    await waitFor(() => refresh.pending.length === 1);
    expect(requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal(['GET /api/submissions']);
    expect(refresh.pending).to.deep.equal([{ submissionId: 'sub-1', receiptNumber: 'JL20260105000001' }]);
    const stored = await db.receipts.get('JL20260105000001');
    expect(stored?.status).to.equal('correction_requested');
    expect(stored?.corrections).to.have.length(1);
    await waitFor(() => badge.calls.includes(1));
  });

  it('a fresh device (nobody signed in here) asks nothing, and clears a badge left over', async () => {
    refresh.start();
    await settle();
    expect(requests).to.deep.equal([]);
    expect(badge.calls).to.deep.equal(['cleared']);
  });

  it('known to be offline: no request, no error; the `online` event brings the refresh', async () => {
    await db.receipts.put(receiptRecord('sub-1', 'JL20260105000001', 'correction_requested'));
    online = false;
    refresh.start();
    // The device's receipts say it with no network at all: the banner's source has it.
    await waitFor(() => refresh.pending.length === 1);
    await settle();
    expect(requests).to.deep.equal([]);
    expect((await refresh.refreshNow()).ok).to.equal(false);
    expect(requests).to.deep.equal([]);

    online = true;
    answer = () => ({ status: 200, body: { submissions: [row('sub-1', 'JL20260105000001', 'accepted', '受理')] } });
    window.dispatchEvent(new Event('online'));
    await waitFor(() => refresh.pending.length === 0);
    expect(requests).to.have.length(1);
    expect((await db.receipts.get('JL20260105000001'))?.status).to.equal('accepted');
    expect(badge.calls).to.deep.equal([1, 'cleared']);
  });

  it('refreshes when the page becomes visible again', async () => {
    await db.receipts.put(receiptRecord('sub-1', 'JL20260105000001', 'submitted'));
    refresh.start();
    await waitFor(() => requests.length === 1);
    answer = () => ({ status: 200, body: { submissions: [row('sub-1', 'JL20260105000001', 'correction_requested', '需补正')] } });
    // Headless Chromium's page is visible; the event is what a phone sends on coming back to the app.
    expect(document.visibilityState).to.equal('visible');
    document.dispatchEvent(new Event('visibilitychange'));
    await waitFor(() => refresh.pending.length === 1);
    expect(requests).to.have.length(2);
  });

  it('signed out (401) or a failing server: nothing changes, nothing thrown', async () => {
    await db.receipts.put(receiptRecord('sub-1', 'JL20260105000001', 'correction_requested'));
    answer = () => ({ status: 401, body: { error: '请先登录' } });
    refresh.start();
    await waitFor(() => requests.length === 1);
    await settle();
    expect(refresh.pending).to.have.length(1);
    expect((await db.receipts.get('JL20260105000001'))?.status).to.equal('correction_requested');
    answer = () => ({ status: 503, body: null });
    const failed = await refresh.refreshNow();
    expect(failed.ok).to.equal(false);
    expect(refresh.pending).to.have.length(1);
  });

  it('a resubmission made here (its receipt replaced) ends the 补正 at once, and clears the badge', async () => {
    await db.receipts.put(receiptRecord('sub-1', 'JL20260105000001', 'submitted'));
    answer = () => ({ status: 200, body: { submissions: [row('sub-1', 'JL20260105000001', 'correction_requested', '需补正')] } });
    refresh.start();
    await waitFor(() => refresh.pending.length === 1);
    // The outbox's completion stores version 2's receipt; the server's list is not asked again.
    await db.receipts.put({ ...receiptRecord('sub-1', 'JL20260105000001', 'employer_confirmed'), version: 2 });
    await waitFor(() => refresh.pending.length === 0);
    expect(requests).to.have.length(1);
    await waitFor(() => badge.calls.at(-1) === 'cleared');
  });

  it('counts a 补正 of an application sent from another device (no receipt here)', async () => {
    await db.receipts.put(receiptRecord('sub-1', 'JL20260105000001', 'submitted'));
    answer = () => ({
      status: 200,
      body: {
        submissions: [
          row('sub-2', 'JL20260105000002', 'correction_requested', '需补正'),
          row('sub-1', 'JL20260105000001', 'submitted', '已提交'),
        ],
      },
    });
    refresh.start();
    await waitFor(() => refresh.pending.length === 1);
    expect(refresh.pending).to.deep.equal([{ submissionId: 'sub-2', receiptNumber: 'JL20260105000002' }]);
    await waitFor(() => badge.calls.includes(1));
  });

  it('shares a request under way: start, `online` and a page asking at once make one request', async () => {
    await db.receipts.put(receiptRecord('sub-1', 'JL20260105000001', 'submitted'));
    const [first, second] = await Promise.all([refresh.refreshNow(), refresh.refreshNow()]);
    expect(first).to.equal(second);
    expect(requests).to.have.length(1);
  });

  it('the device cleared (signed out here): nothing pending any more', async () => {
    await db.receipts.put(receiptRecord('sub-1', 'JL20260105000001', 'correction_requested'));
    online = false;
    refresh.start();
    await waitFor(() => refresh.pending.length === 1);
    await db.delete({ disableAutoOpen: false });
    // As client/components/device-data-actions.ts announces it once done.
    const actions = document.body.appendChild(document.createElement('div'));
    actions.dispatchEvent(new CustomEvent('device-cleared', { detail: { action: 'sign-out' }, bubbles: true, composed: true }));
    actions.remove();
    await waitFor(() => refresh.pending.length === 0);
    await waitFor(() => badge.calls.at(-1) === 'cleared');
    // Still following the (new, empty) database.
    await db.receipts.put(receiptRecord('sub-9', 'JL20260105000009', 'correction_requested'));
    await waitFor(() => refresh.pending.length === 1);
  });
});

describe('pendingCorrections', () => {
  it('takes the receipts for what they hold, the server list for the rest', () => {
    const receipts = [receiptRecord('sub-1', 'JL1', 'correction_requested'), receiptRecord('sub-2', 'JL2', 'accepted')];
    // The list is older than sub-2's receipt here: the receipt decides.
    const listed = [row('sub-2', 'JL2', 'correction_requested', '需补正'), row('sub-3', 'JL3', 'correction_requested', '需补正')];
    expect(pendingCorrections(receipts, listed).map((p) => p.receiptNumber)).to.deep.equal(['JL1', 'JL3']);
    expect(pendingCorrections([])).to.deep.equal([]);
  });
});
