import { expect } from 'chai';
import type { AppShell } from './app-shell.ts';
import './app-shell.ts';
import { localDb } from './data/local-db.ts';
import { navigate, receiptRoute, routes } from './navigation.ts';
import { waitFor } from './test-support/elements.ts';
import { signedReceipt } from './test-support/signed-receipts.ts';

describe('app-shell', () => {
  const start = `${location.pathname}${location.search}`;

  afterEach(() => {
    document.body.replaceChildren();
    history.replaceState(null, '', start);
  });

  // First in this file: the shell imports receipt-page only now, so the address's submission reaches an
  // element that was not yet defined when the shell rendered it.
  it('shows the receipt of the submission it was sent to, the page loaded only then', async () => {
    const { receipt } = await signedReceipt();
    await localDb().receipts.put(receipt);
    try {
      const shell = document.createElement('app-shell') as AppShell;
      document.body.append(shell);
      await shell.updateComplete;
      navigate(shell.shadowRoot!.querySelector('main')!, receiptRoute(receipt.submissionId), true);
      const page = await waitFor(() => shell.shadowRoot!.querySelector('receipt-page'));
      await waitFor(() => page.shadowRoot?.textContent?.includes(receipt.receiptNumber));
      expect(page.shadowRoot!.textContent).to.contain('您所申请的事项已经提交成功！');
    } finally {
      await localDb().receipts.clear();
    }
  });

  it('shows 申报告知 for the submission its address names', async () => {
    const shell = document.createElement('app-shell') as AppShell;
    document.body.append(shell);
    await shell.updateComplete;
    navigate(shell.shadowRoot!.querySelector('main')!, receiptRoute('submission-1'), true);
    const page = await waitFor(() => shell.shadowRoot!.querySelector('receipt-page'));
    expect(page.submissionId).to.equal('submission-1');
    expect(location.pathname).to.equal(routes.done);
    expect(new URLSearchParams(location.search).get('submission')).to.equal('submission-1');

    navigate(shell.shadowRoot!.querySelector('main')!, receiptRoute('submission-2'));
    await waitFor(() => page.submissionId === 'submission-2');
    history.back();
    await waitFor(() => page.submissionId === 'submission-1');
  });
});
