import { expect } from 'chai';
import { COMMITMENT_VERSION } from '../../shared/commitment.ts';
import { residentIdCheckChar } from '../../shared/resident-id.ts';
import { blobSha256 } from '../data/blob-sha256.ts';
import { LocalDb } from '../data/local-db.ts';
import { NetClient } from '../net/api-client.ts';
import { OutboxScheduler } from '../sync/outbox-scheduler.ts';
import { FakeClock } from '../test-support/fake-clock.ts';
import { type FakeAnswer, fakeTransport, type RecordedRequest } from '../test-support/fake-transport.ts';
import type { SessionAccount } from './application-form-page.ts';
import './application-form-page.ts';
import { CORRECTION_NEEDS_NETWORK, NOT_FOR_CORRECTION } from './application-form/correction-draft.ts';

const ACCOUNT: SessionAccount = {
  id: 'account-correction',
  name: '李明',
  idNumber: `11010119900101123${residentIdCheckChar('11010119900101123')}`,
  mobile: '13800138000',
  birthDate: '1990-01-01',
  sex: 'male',
  faceVerified: true,
};

const SUBMISSION = 'submission-9';
const RECEIPT_NUMBER = 'JL20260105000009';
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
const NEW_JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 7, 7, 7, 0xff, 0xd9]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 4, 5, 6]);
const PHOTO_ID = 'a1'.repeat(32);
const SIGNATURE_ID = 'b2'.repeat(32);
const NOTES = [
  { field: 'photo', note: '照片背景不是白色，请重新上传' },
  { field: 'school', note: '毕业院校应与毕业证书一致' },
];

const APPLICATION = {
  name: ACCOUNT.name,
  sex: 'male',
  idType: 'resident-id',
  idNumber: ACCOUNT.idNumber,
  birthDate: ACCOUNT.birthDate,
  mobile: ACCOUNT.mobile,
  ethnicity: '01',
  education: '21',
  degree: '400',
  school: '山东大学',
  major: '土木工程',
  graduationDate: '2012-07-01',
  enterprise: { uscc: '91110000100000000X', name: '示例工程监理有限公司', legalRepresentative: '王强', province: '北京市', city: '东城区' },
  specialty1: '01',
  specialty2: '02',
  photo: PHOTO_ID,
  signature: SIGNATURE_ID,
  commitment: { version: COMMITMENT_VERSION, choice: 'accept', acceptedAt: new Date().toISOString() },
};

const signed = { receiptNumber: RECEIPT_NUMBER, submissionId: SUBMISSION, bodySha256: 'ab'.repeat(32), keyId: '0123456789abcdef' };

function detail(status = 'correction_requested') {
  return {
    id: SUBMISSION,
    receiptNumber: RECEIPT_NUMBER,
    submittedAt: '2026-01-05T01:00:00.000Z',
    status,
    statusLabel: '需补正',
    version: 1,
    ...(status === 'correction_requested' ? { corrections: NOTES } : {}),
    bodySha256: 'ab'.repeat(32),
    commitment: null,
    receipt: { ...signed, submittedAt: '2026-01-05T01:00:00.000Z', signature: 'b2xk' },
    application: APPLICATION,
  };
}

const versionReceipt: FakeAnswer = {
  status: 201,
  body: {
    id: SUBMISSION,
    receiptNumber: RECEIPT_NUMBER,
    submittedAt: '2026-01-09T02:00:00.000Z',
    status: 'employer_confirmed',
    bodySha256: 'cd'.repeat(32),
    version: 2,
    receipt: { ...signed, bodySha256: 'cd'.repeat(32), submittedAt: '2026-01-09T02:00:00.000Z', signature: 'bmV3' },
  },
};

/** The server of one submission asked for 补正: its detail, its stored photo and signature, and …/versions. */
function server(status = 'correction_requested', offline = false) {
  const requests: RecordedRequest[] = [];
  const stored = new Set([PHOTO_ID, SIGNATURE_ID]);
  const net = new NetClient(
    fakeTransport(async (request) => {
      requests.push(request);
      if (offline) return { status: 0, body: null };
      const path = request.path.split('?')[0] ?? '';
      if (request.method === 'GET' && path === `/api/submissions/${SUBMISSION}`) return { status: 200, body: detail(status) };
      const sha = /^\/api\/attachments\/([0-9a-f]{64})$/.exec(path)?.[1];
      if (sha && request.method === 'GET' && sha === PHOTO_ID) return { status: 200, body: new Blob([JPEG], { type: 'image/jpeg' }) };
      if (sha && request.method === 'GET' && sha === SIGNATURE_ID) return { status: 200, body: new Blob([PNG], { type: 'image/png' }) };
      if (sha && request.method === 'HEAD') return { status: stored.has(sha) ? 200 : 404, body: null };
      if (sha && request.method === 'PUT' && request.body instanceof Blob) {
        stored.add(sha);
        return { status: 201, body: { id: sha, kind: 'photo', mime: 'image/jpeg', size: request.body.size, width: 295, height: 413 } };
      }
      if (request.method === 'POST' && path === `/api/submissions/${SUBMISSION}/versions`) return versionReceipt;
      return { status: 404, body: { error: '未找到' } };
    }),
  );
  return { net, requests };
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 3000): Promise<void> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('application-form-page: 补正', () => {
  let dbName: string;
  let db: LocalDb;

  beforeEach(() => {
    dbName = `form-correction-test-${crypto.randomUUID()}`;
    db = new LocalDb(dbName);
  });

  afterEach(async () => {
    document.body.replaceChildren();
    await new Promise((resolve) => setTimeout(resolve, 100));
    db.close();
    await new LocalDb(dbName).delete();
  });

  async function mount(net: NetClient) {
    const clock = new FakeClock();
    const el = document.createElement('application-form-page');
    el.account = ACCOUNT;
    el.db = db;
    el.net = net;
    el.correction = SUBMISSION;
    el.scheduler = new OutboxScheduler(() => db, {
      net,
      random: () => 0.5,
      online: () => true,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
    });
    const navigations: string[] = [];
    el.addEventListener('navigate', (e) => navigations.push((e as CustomEvent<{ to: string }>).detail.to));
    document.body.append(el);
    await el.loaded;
    await el.updateComplete;
    return { el, navigations };
  }

  it('opens the submitted version with the notes at the top and beside their fields', async () => {
    const { el } = await mount(server().net);
    const root = el.shadowRoot!;
    const summary = root.querySelector('correction-summary')?.textContent?.replace(/\s+/g, '') ?? '';
    expect(summary).to.contain('需补正');
    expect(summary).to.contain('一寸免冠照片：照片背景不是白色，请重新上传');
    expect(summary).to.contain('毕业院校：毕业院校应与毕业证书一致');
    expect(root.querySelector<HTMLInputElement>('#school')?.value).to.equal('山东大学');
    // Beside its field, and read with it.
    expect(root.querySelector('#school-note')?.textContent).to.contain('毕业院校应与毕业证书一致');
    expect(root.querySelector('#school')?.getAttribute('aria-describedby')).to.contain('school-note');
    const photoNote = root.querySelector('#photo-note');
    expect(photoNote?.textContent).to.contain('照片背景不是白色');
    expect(photoNote?.nextElementSibling?.tagName).to.equal('PHOTO-TOOL');
    expect(root.querySelector('#mobile-note')).to.equal(null);

    // The draft keeps the submitted attachments under their ids, and stays on this device.
    const [draft] = await db.drafts.toArray();
    expect(draft?.correctionOf).to.deep.equal({ submissionId: SUBMISSION, version: 1, corrections: NOTES });
    expect(draft?.photoSha256).to.equal(PHOTO_ID);
    expect(draft?.signatureSha256).to.equal(SIGNATURE_ID);
    expect(await draft?.photo?.arrayBuffer()).to.deep.equal(JPEG.buffer);
  });

  it('下一步 resubmits the fixed version through the outbox to …/versions and shows its receipt', async () => {
    const { net, requests } = server();
    const { el, navigations } = await mount(net);
    const root = el.shadowRoot!;
    const fixed = new Blob([NEW_JPEG], { type: 'image/jpeg' });
    root.querySelector('photo-tool')!.dispatchEvent(new CustomEvent('photo-change', { detail: { blob: fixed, whiteBackground: true } }));
    await el.submit();
    await until(() => navigations.length > 0);
    expect(navigations).to.deep.equal([`/apply/done?submission=${SUBMISSION}`]);

    const posts = requests.filter((request) => request.method === 'POST');
    expect(posts.map((request) => request.path)).to.deep.equal([`/api/submissions/${SUBMISSION}/versions`]);
    const body = JSON.parse(String(posts[0]?.body)) as Record<string, unknown>;
    expect(body.photo).to.equal(await blobSha256(fixed));
    expect(body.signature, 'unchanged: the id it was submitted with').to.equal(SIGNATURE_ID);
    expect(posts[0]?.headers['idempotency-key']).to.match(/^[0-9a-f-]{36}$/);
    // Only the new photo went up.
    expect(requests.filter((request) => request.method === 'PUT')).to.have.length(1);
    const [receipt] = await db.receipts.toArray();
    expect(receipt).to.deep.include({ submissionId: SUBMISSION, version: 2, status: 'employer_confirmed' });
    expect(await db.drafts.count()).to.equal(0);
    expect(await db.outbox.count()).to.equal(0);
    // The draft never went to the account's server drafts.
    expect(requests.some((request) => request.path.startsWith('/api/drafts'))).to.equal(false);
  });

  it('offline, opens the 补正 begun on this device; with none yet, says the network is needed', async () => {
    const offline = server('correction_requested', true).net;
    const first = await mount(offline);
    expect(first.el.shadowRoot!.textContent).to.contain(CORRECTION_NEEDS_NETWORK);
    first.el.remove();

    await mount(server().net).then(({ el }) => el.remove());
    const { el } = await mount(offline);
    expect(el.shadowRoot!.querySelector('#school-note')?.textContent).to.contain('毕业院校应与毕业证书一致');
    expect(await db.drafts.count()).to.equal(1);
  });

  it('refuses a submission no longer asked for 补正', async () => {
    const { el } = await mount(server('accepted').net);
    expect(el.shadowRoot!.textContent).to.contain(NOT_FOR_CORRECTION);
    expect(await db.drafts.count()).to.equal(0);
  });
});
