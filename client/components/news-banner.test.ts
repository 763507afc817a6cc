import { expect } from 'chai';
import { LocalDb } from '../data/local-db.ts';
import { receiptRecord } from '../test-support/receipt-fixtures.ts';
import { routes } from '../navigation.ts';
import { NetClient } from '../net/api-client.ts';
import { StatusRefresh } from '../sync/status-refresh.ts';
import { mount, waitFor } from '../test-support/elements.ts';
import { fakeTransport } from '../test-support/fake-transport.ts';
import { CORRECTION_NEWS_BUTTON, CORRECTION_NEWS_TEXT, type NewsBanner } from './news-banner.ts';
import './news-banner.ts';

const text = (el: NewsBanner) => el.shadowRoot!.textContent?.replace(/\s+/g, '') ?? '';
const button = (el: NewsBanner) => el.shadowRoot!.querySelector('button');

describe('news-banner', () => {
  let name: string;
  let db: LocalDb;
  let refresh: StatusRefresh;

  beforeEach(() => {
    name = `news-banner-test-${crypto.randomUUID()}`;
    db = new LocalDb(name);
    // Offline: what shows comes from the device's receipts alone, as on a start with no network.
    const net = new NetClient(fakeTransport(() => ({ status: 0, body: null })));
    refresh = new StatusRefresh(() => db, { net, online: () => false, badge: {} });
    refresh.start();
  });

  afterEach(async () => {
    document.body.replaceChildren();
    refresh.stop();
    db.close();
    await new LocalDb(name).delete();
  });

  const banner = (path: string = routes.service) =>
    mount('news-banner', (el) => {
      el.source = refresh;
      el.path = path;
    });

  it('shows nothing while nothing waits for 补正, in a live region already there', async () => {
    await db.receipts.put(receiptRecord('sub-1', 'JL20260105000001', 'accepted'));
    const el = await banner();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(el.shadowRoot!.querySelector('[role=status]')).to.exist;
    expect(el.shadowRoot!.querySelector('aside')).to.equal(null);
  });

  it('a pending 补正 shows 您的申请需要补正 with the way to 我的申请', async () => {
    const el = await banner();
    await db.receipts.put(receiptRecord('sub-1', 'JL20260105000001', 'correction_requested'));
    await waitFor(() => el.shadowRoot!.querySelector('aside'));
    expect(el.shadowRoot!.querySelector('[role=status] aside')?.getAttribute('aria-label')).to.equal('补正提醒');
    expect(text(el)).to.equal(`${CORRECTION_NEWS_TEXT}${CORRECTION_NEWS_BUTTON}`);
    let target: string | undefined;
    el.addEventListener('navigate', (event) => (target = (event as CustomEvent<{ to: string }>).detail.to));
    button(el)!.click();
    expect(target).to.equal(routes.applications);

    // Resubmitted (its receipt replaced by version 2's): the banner goes.
    await db.receipts.put({ ...receiptRecord('sub-1', 'JL20260105000001', 'employer_confirmed'), version: 2 });
    await waitFor(() => !el.shadowRoot!.querySelector('aside'));
  });

  it('counts several, and keeps quiet on 我的申请 and the form', async () => {
    await db.receipts.bulkPut([receiptRecord('sub-1', 'JL1', 'correction_requested'), receiptRecord('sub-2', 'JL2', 'correction_requested')]);
    const el = await banner(routes.applications);
    await waitFor(() => refresh.pending.length === 2);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('aside')).to.equal(null);
    el.path = routes.form;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('aside')).to.equal(null);
    el.path = routes.done;
    await el.updateComplete;
    expect(text(el)).to.contain(`${CORRECTION_NEWS_TEXT}（共2件）`);
  });

  it('in the large-text mode the button keeps its larger touch target', async () => {
    await db.receipts.put(receiptRecord('sub-1', 'JL1', 'correction_requested'));
    const el = await banner();
    el.style.setProperty('--target', '52px');
    await waitFor(() => button(el));
    expect(button(el)!.getBoundingClientRect().height).to.be.at.least(52);
  });
});
