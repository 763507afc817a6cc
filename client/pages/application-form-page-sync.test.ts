import { expect } from 'chai';
import { residentIdCheckChar } from '../../shared/resident-id.ts';
import type { DraftCopy } from '../../shared/api/drafts.ts';
import { LocalDb } from '../data/local-db.ts';
import { NetClient } from '../net/api-client.ts';
import { DraftSync } from '../sync/draft-sync.ts';
import { fakeTransport } from '../test-support/fake-transport.ts';
import type { ApplicationFormPage, SessionAccount } from './application-form-page.ts';
import './application-form-page.ts';

const ACCOUNT: SessionAccount = {
  id: 'account-sync',
  name: '李明',
  idNumber: `11010119900101123${residentIdCheckChar('11010119900101123')}`,
  mobile: '13800138000',
  birthDate: '1990-01-01',
  sex: 'male',
  faceVerified: true,
};

/** The server's drafts, in memory; every PUT is accepted on the right revision. */
function fakeServer(drafts: DraftCopy[]) {
  const seen: string[] = [];
  const net = new NetClient(
    fakeTransport((request) => {
      seen.push(`${request.method} ${request.path}`);
      if (request.method === 'GET' && request.path === '/api/drafts') return { status: 200, body: { drafts: structuredClone(drafts) } };
      if (request.method === 'PUT' && request.path.startsWith('/api/drafts/')) {
        const body = JSON.parse(request.body as string) as { baseRevision: number };
        return { status: 200, body: { revision: body.baseRevision + 1 } };
      }
      return { status: 404, body: null };
    }),
  );
  return { net, seen };
}

function fieldValue(el: ApplicationFormPage, id: string): string {
  return el.shadowRoot!.querySelector<HTMLInputElement>(`#${id}`)?.value ?? '';
}

describe('application-form-page with draft sync', () => {
  let dbName: string;
  let db: LocalDb;

  async function mount(net: NetClient) {
    const el = document.createElement('application-form-page');
    el.account = ACCOUNT;
    el.db = db;
    el.draftSync = new DraftSync(db, { net, isOnline: () => true, events: new EventTarget(), debounceMs: 60_000 });
    document.body.append(el);
    await el.loaded;
    await el.updateComplete;
    return el;
  }

  beforeEach(() => {
    dbName = `form-page-sync-test-${crypto.randomUUID()}`;
    db = new LocalDb(dbName);
  });

  afterEach(async () => {
    for (const el of document.querySelectorAll('application-form-page')) el.draftSync?.dispose();
    document.body.replaceChildren();
    await new Promise((resolve) => setTimeout(resolve, 100));
    db.close();
    await new LocalDb(dbName).delete();
  });

  it('opens on the draft made on another device (a second device signing in)', async () => {
    const id = crypto.randomUUID();
    const server = fakeServer([
      {
        id,
        revision: 3,
        values: { name: ACCOUNT.name, school: '同济大学', mobile: '13912345678' },
        fieldUpdatedAt: { name: 1, school: 100, mobile: 100 },
        updatedAt: 100,
      },
    ]);
    const el = await mount(server.net);
    expect(server.seen[0]).to.equal('GET /api/drafts');
    expect(fieldValue(el, 'school')).to.equal('同济大学');
    expect(fieldValue(el, 'mobile'), 'the other device’s edit, not the account’s default').to.equal('13912345678');
    expect(await db.drafts.count()).to.equal(1);
    expect((await db.drafts.toArray())[0]?.id).to.equal(id);
    const status = el.shadowRoot!.querySelector('.submit-bar sync-status');
    expect(status, 'the status sits in the bottom bar').to.exist;
  });

  it('tells the person which fields were merged from another device', async () => {
    const id = crypto.randomUUID();
    await db.drafts.put({
      id,
      accountId: ACCOUNT.id,
      values: { name: ACCOUNT.name, school: '山东大学' },
      fieldUpdatedAt: { name: 1, school: 10 },
      updatedAt: 10,
      serverRevision: 1,
      syncedUpdatedAt: 10,
    });
    const server = fakeServer([
      {
        id,
        revision: 2,
        values: { name: ACCOUNT.name, school: '同济大学', major: '土木工程' },
        fieldUpdatedAt: { name: 1, school: 20, major: 20 },
        updatedAt: 20,
      },
    ]);
    const el = await mount(server.net);
    expect(fieldValue(el, 'school')).to.equal('同济大学');
    const status = el.shadowRoot!.querySelector('sync-status')!;
    await status.updateComplete;
    const notice = status.shadowRoot!.querySelector('.notice p');
    expect(notice?.textContent).to.equal('已合并您在其他设备上的修改：毕业院校、所学专业');
    status.shadowRoot!.querySelector<HTMLButtonElement>('.notice button')!.click();
    await status.updateComplete;
    expect(status.shadowRoot!.querySelector('.notice p')).to.equal(null);
  });
});
