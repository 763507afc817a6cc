import { expect } from 'chai';
import { AGE_LIMIT_MESSAGE } from '../../shared/age.ts';
import { COMMITMENT_VERSION } from '../../shared/commitment.ts';
import { residentIdCheckChar } from '../../shared/resident-id.ts';
import type { Enterprise } from '../components/enterprise-picker.ts';
import { type DraftValues, LocalDb } from '../data/local-db.ts';
import { NetClient } from '../net/api-client.ts';
import { receiptRoute } from '../navigation.ts';
import { type DirectorySearch, ENTERPRISE_NOT_FOUND } from '../sync/enterprise-match.ts';
import { OutboxScheduler } from '../sync/outbox-scheduler.ts';
import { FakeClock } from '../test-support/fake-clock.ts';
import { type FakeAnswer, fakeTransport, type RecordedRequest } from '../test-support/fake-transport.ts';
import type { ApplicationFormPage, SessionAccount } from './application-form-page.ts';
import { STORAGE_FULL_MESSAGE } from './application-form/storage-full.ts';
import './application-form-page.ts';

const withCheck = (first17: string) => first17 + residentIdCheckChar(first17);

const ACCOUNT: SessionAccount = {
  id: 'account-1',
  name: '李明',
  idNumber: withCheck('11010119900101123'),
  mobile: '13800138000',
  birthDate: '1990-01-01',
  sex: 'male',
  faceVerified: true,
};

const ENTERPRISE: Enterprise = {
  uscc: '91110000100000000X',
  name: '示例工程监理有限公司',
  legalRepresentative: '王强',
  province: '北京市',
  city: '东城区',
};

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 4, 5, 6]);

/** Every label of the seed's 申报信息 screen that names one control of this page. */
const SEED_LABELS = [
  '姓名',
  '证件类型',
  '证件号码',
  '出生日期',
  '手机号码',
  '民族',
  '学历',
  '学位',
  '毕业院校',
  '所学专业',
  '毕业时间',
  '申请注册专业1',
  '申请注册专业2',
];

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 2000): Promise<void> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const labelText = (label: Element) => (label.textContent ?? '').replace('*', '').trim();

function control<T extends HTMLElement = HTMLInputElement>(el: ApplicationFormPage, text: string): T {
  const label = [...el.shadowRoot!.querySelectorAll('label')].find((l) => labelText(l) === text);
  expect(label, `label ${text}`).to.exist;
  expect(label!.control, `control of ${text}`).to.exist;
  return label!.control as unknown as T;
}

function button(el: ApplicationFormPage, text: string): HTMLButtonElement {
  const found = [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent?.trim() === text);
  expect(found, text).to.exist;
  return found!;
}

function type(input: HTMLInputElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

function choose(select: HTMLSelectElement, value: string) {
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

function errorOf(el: ApplicationFormPage, input: HTMLElement): string {
  const ids = (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  return ids.map((id) => el.shadowRoot!.getElementById(id)?.textContent ?? '').join(' ');
}

describe('application-form-page', () => {
  let dbName: string;
  const dbs: LocalDb[] = [];

  function database(): LocalDb {
    const db = new LocalDb(dbName);
    dbs.push(db);
    return db;
  }

  async function mount(account: SessionAccount = ACCOUNT, db: LocalDb = database()) {
    const el = document.createElement('application-form-page');
    el.account = account;
    el.db = db;
    document.body.append(el);
    await el.loaded;
    await el.updateComplete;
    return el;
  }

  beforeEach(() => {
    dbName = `form-page-test-${crypto.randomUUID()}`;
  });

  afterEach(async () => {
    document.body.replaceChildren();
    // A removed page still writes what was pending; let that finish before closing.
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const db of dbs.splice(0)) db.close();
    await new LocalDb(dbName).delete();
  });

  it('shows step 2 and a labelled control for every field of the seed', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    expect(root.querySelector('step-indicator')?.getAttribute('current')).to.equal('2');
    const headings = [...root.querySelectorAll('h2')].map((h) => h.textContent?.replace(/\s+/g, ' ').trim());
    expect(headings).to.include.members(['基本信息', '企业信息', '申请注册专业', '附件 (格式 jpg,jpeg,png)']);
    for (const text of SEED_LABELS) {
      const input = control(el, text);
      expect(input.id, text).to.not.equal('');
      expect(root.querySelector(`label[for="${input.id}"]`), text).to.exist;
    }
    expect(root.querySelector('fieldset legend')?.textContent).to.contain('性别');
    expect(control(el, '男').type).to.equal('radio');
    expect(control(el, '女').type).to.equal('radio');
    expect(control(el, '出生日期').type).to.equal('date');
    expect(control(el, '毕业时间').type).to.equal('date');
    expect(control(el, '民族').tagName).to.equal('SELECT');
    expect(control<HTMLSelectElement>(el, '申请注册专业1').options[0]?.textContent).to.equal('请选择');
    const picker = root.querySelector('enterprise-picker')!;
    expect(picker.shadowRoot!.querySelector('label')?.textContent).to.contain('企业名称');
    expect(root.querySelector('photo-tool')!.shadowRoot!.textContent).to.contain('上传一寸免冠照片');
    expect(root.querySelector('signature-pad')!.shadowRoot!.textContent).to.contain('上传签名');
    expect(button(el, '查看承诺书')).to.exist;
    expect(button(el, '下一步').type).to.equal('submit');
  });

  it('fills name, ID, birth date, sex and mobile from the account; name and ID cannot be edited', async () => {
    const el = await mount();
    expect(control(el, '姓名').value).to.equal('李明');
    expect(control(el, '姓名').readOnly).to.equal(true);
    expect(control(el, '证件号码').value).to.equal(ACCOUNT.idNumber);
    expect(control(el, '证件号码').readOnly).to.equal(true);
    expect(control(el, '证件类型').value).to.equal('身份证');
    expect(control(el, '出生日期').value).to.equal('1990-01-01');
    expect(control(el, '男').checked).to.equal(true);
    expect(control(el, '手机号码').value).to.equal('13800138000');
  });

  it('shows a message naming 手机号码 while a bad mobile is typed, and saves to the device', async () => {
    const el = await mount();
    const mobile = control(el, '手机号码');
    type(mobile, '1234');
    await el.updateComplete;
    expect(mobile.getAttribute('aria-invalid')).to.equal('true');
    expect(errorOf(el, mobile)).to.contain('手机号码');
    const saveStatus = () => el.shadowRoot!.querySelector('#save-status')?.shadowRoot?.querySelector('#text')?.textContent?.trim();
    expect(saveStatus()).to.equal('正在保存…');
    await until(async () => {
      await el.updateComplete;
      return saveStatus() === '已保存到本机';
    }, 5000);
    type(mobile, '13912345678');
    await el.updateComplete;
    expect(mobile.getAttribute('aria-invalid')).to.equal('false');
    expect(errorOf(el, mobile)).to.equal('');
  });

  it('does not let the same specialty be chosen twice: the message is on 专业2', async () => {
    const el = await mount();
    choose(control(el, '申请注册专业1'), '01');
    const second = control<HTMLSelectElement>(el, '申请注册专业2');
    choose(second, '01');
    await el.updateComplete;
    expect(second.getAttribute('aria-invalid')).to.equal('true');
    expect(errorOf(el, second)).to.contain('申请注册专业2不能与申请注册专业1相同');
    expect(control(el, '申请注册专业1').getAttribute('aria-invalid')).to.equal('false');
    choose(second, '02');
    await el.updateComplete;
    expect(second.getAttribute('aria-invalid')).to.equal('false');
  });

  it('on 下一步 with empty fields focuses the first invalid control and announces the count', async () => {
    const el = await mount();
    button(el, '下一步').click();
    await until(() => (el.shadowRoot!.querySelector('#announce')?.textContent ?? '') !== '');
    const root = el.shadowRoot!;
    // 民族 … 毕业时间 (6), 企业, 专业1, 专业2, 照片, 签名, 承诺 (6).
    expect(root.querySelector('#announce')?.textContent).to.equal('请修改标红的 12 项后再提交');
    expect(root.querySelector('#announce')?.getAttribute('aria-live')).to.equal('assertive');
    expect(root.activeElement?.id).to.equal('ethnicity');
    expect(errorOf(el, control(el, '民族'))).to.equal('请选择民族');
    expect(errorOf(el, control(el, '毕业院校'))).to.equal('请填写毕业院校');
    expect(root.querySelector('photo-tool')?.invalid).to.equal('请上传一寸免冠照片');
    expect(root.querySelector('signature-pad')?.invalid).to.equal('请上传签名');
    expect(root.querySelector('#commitment-error')?.textContent).to.equal('请阅读并作出承诺');
    expect(root.querySelector('enterprise-picker')?.invalid).to.not.equal('');
  });

  it('keeps every value through a re-render and a reload, attachments included', async () => {
    const db = database();
    const el = await mount(ACCOUNT, db);
    type(control(el, '毕业院校'), '山东大学');
    type(control(el, '所学专业'), '土木工程');
    type(control(el, '毕业时间'), '2012-07-01');
    choose(control(el, '民族'), '02');
    choose(control(el, '学历'), '21');
    control(el, '女').click();
    const root = el.shadowRoot!;
    root.querySelector('enterprise-picker')!.dispatchEvent(
      new CustomEvent('enterprise-change', { detail: { enterprise: ENTERPRISE }, bubbles: true, composed: true }),
    );
    root.querySelector('photo-tool')!.dispatchEvent(
      new CustomEvent('photo-change', { detail: { blob: new Blob([JPEG], { type: 'image/jpeg' }), whiteBackground: true } }),
    );
    root.querySelector('signature-pad')!.dispatchEvent(
      new CustomEvent('signature-change', { detail: { blob: new Blob([PNG], { type: 'image/png' }) } }),
    );
    el.requestUpdate();
    await el.updateComplete;
    expect(control(el, '毕业院校').value).to.equal('山东大学');
    expect(control<HTMLSelectElement>(el, '民族').value).to.equal('02');
    expect(control(el, '女').checked).to.equal(true);
    const dl = root.querySelector('dl')?.textContent?.replace(/\s+/g, '') ?? '';
    expect(dl).to.contain(`统一信用代码${ENTERPRISE.uscc}`);
    expect(dl).to.contain('法定代表人王强');
    expect(dl).to.contain('工商注册省份北京市');
    expect(dl).to.contain('工商注册市区东城区');

    await until(async () => (await db.drafts.toArray())[0]?.signature !== undefined, 5000);
    document.body.replaceChildren();
    const again = await mount(ACCOUNT, database());
    expect(control(again, '毕业院校').value).to.equal('山东大学');
    expect(control(again, '所学专业').value).to.equal('土木工程');
    expect(control(again, '毕业时间').value).to.equal('2012-07-01');
    expect(control<HTMLSelectElement>(again, '民族').value).to.equal('02');
    expect(control<HTMLSelectElement>(again, '学历').value).to.equal('21');
    expect(control(again, '女').checked).to.equal(true);
    expect(again.shadowRoot!.querySelector('enterprise-picker')?.value).to.deep.equal(ENTERPRISE);
    const photo = again.shadowRoot!.querySelector('photo-tool')?.value;
    const signature = again.shadowRoot!.querySelector('signature-pad')?.value;
    expect([...new Uint8Array(await photo!.arrayBuffer())]).to.deep.equal([...JPEG]);
    expect([...new Uint8Array(await signature!.arrayBuffer())]).to.deep.equal([...PNG]);
  });

  it('says plainly when the phone is full, keeps the typed text and offers a smaller photo', async () => {
    const db = database();
    const el = await mount(ACCOUNT, db);
    const update = db.drafts.update.bind(db.drafts);
    db.drafts.update = ((..._args: Parameters<typeof update>) => {
      db.drafts.update = update;
      return Promise.reject(new DOMException('storage full', 'QuotaExceededError'));
    }) as typeof db.drafts.update;
    type(control(el, '毕业院校'), '山东大学');
    el.shadowRoot!.querySelector('photo-tool')!.dispatchEvent(
      new CustomEvent('photo-change', { detail: { blob: new Blob([JPEG], { type: 'image/jpeg' }), whiteBackground: true } }),
    );
    await until(() => el.shadowRoot!.querySelector('#storage-full') !== null, 3000);
    const notice = el.shadowRoot!.querySelector('#storage-full')!;
    expect(notice.getAttribute('role')).to.equal('alert');
    expect(notice.textContent).to.contain(STORAGE_FULL_MESSAGE);
    expect(button(el, '使用较小的照片')).to.exist;
    expect(control(el, '毕业院校').value).to.equal('山东大学');
    await until(async () => (await db.drafts.toArray())[0]?.values.school === '山东大学', 3000);
    expect((await db.drafts.toArray())[0]?.photo).to.equal(undefined);
  });

  it('records the commitment from the dialog and drops it when the employer changes', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    root.querySelector('enterprise-picker')!.dispatchEvent(
      new CustomEvent('enterprise-change', { detail: { enterprise: ENTERPRISE }, bubbles: true, composed: true }),
    );
    await el.updateComplete;
    expect(root.querySelector('#commitment-state')?.textContent?.trim()).to.equal('未确认承诺书');
    button(el, '查看承诺书').click();
    const dialog = root.querySelector('commitment-dialog')!;
    await until(() => dialog.open);
    expect(dialog.shadowRoot!.textContent).to.contain(`本人受聘于${ENTERPRISE.name}`);
    const accept = [...dialog.shadowRoot!.querySelectorAll('label')].find((l) => l.textContent === '本人作出上述承诺');
    (accept!.control as HTMLInputElement).click();
    [...dialog.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent === '确认')!.click();
    await el.updateComplete;
    expect(root.querySelector('#commitment-state')?.textContent?.trim()).to.equal('已作出承诺');

    root.querySelector('enterprise-picker')!.dispatchEvent(
      new CustomEvent('enterprise-change', {
        detail: { enterprise: { ...ENTERPRISE, name: '另一家监理公司' } },
        bubbles: true,
        composed: true,
      }),
    );
    await el.updateComplete;
    expect(root.querySelector('#commitment-state')?.textContent?.trim()).to.equal('未确认承诺书');
  });

  it('says at once that a person over 65 cannot apply, and disables 下一步', async () => {
    const el = await mount({ ...ACCOUNT, idNumber: withCheck('11010119400101123'), birthDate: '1940-01-01' });
    expect(el.shadowRoot!.querySelector('[role=alert]')?.textContent).to.equal(AGE_LIMIT_MESSAGE);
    expect(button(el, '下一步').disabled).to.equal(true);
  });

  it('sends a person without face verification to 人脸识别', async () => {
    const el = await mount({ ...ACCOUNT, faceVerified: false });
    expect(el.shadowRoot!.textContent).to.contain('请先完成人脸识别');
    let target: string | undefined;
    el.addEventListener('navigate', (e) => {
      target = (e as CustomEvent<{ to: string }>).detail.to;
    });
    button(el, '前往人脸识别').click();
    expect(target).to.equal('/face');
  });

  /** A complete draft, ready to submit. */
  async function completeDraft(db: LocalDb, change: Partial<DraftValues> = {}): Promise<string> {
    const id = crypto.randomUUID();
    await db.drafts.put({
      id,
      accountId: ACCOUNT.id,
      values: {
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
        enterprise: ENTERPRISE,
        specialty1: '01',
        specialty2: '02',
        commitment: { version: COMMITMENT_VERSION, choice: 'accept', acceptedAt: new Date().toISOString() },
        ...change,
      },
      photo: new Blob([JPEG], { type: 'image/jpeg' }),
      signature: new Blob([PNG], { type: 'image/png' }),
      fieldUpdatedAt: {},
      updatedAt: Date.now(),
    });
    return id;
  }

  /** The server, scripted: each POST gets the next answer; attachments are always accepted. */
  function network(postAnswers: (() => FakeAnswer | Promise<FakeAnswer>)[]) {
    const requests: RecordedRequest[] = [];
    const net = new NetClient(
      fakeTransport(async (request) => {
        requests.push(request);
        if (request.method === 'HEAD') return { status: 404, body: null };
        if (request.method === 'PUT' && request.body instanceof Blob) {
          request.onUploadProgress?.(request.body.size);
          const sha256 = /attachments\/([0-9a-f]{64})/.exec(request.path)?.[1];
          const kind = new URL(request.path, location.origin).searchParams.get('kind');
          return { status: 201, body: { id: sha256, kind, mime: request.body.type, size: request.body.size, width: 295, height: 413 } };
        }
        const next = postAnswers.shift();
        return next ? next() : { status: 0, body: null };
      }),
    );
    return { net, requests };
  }

  const accepted = (): FakeAnswer => ({
    status: 201,
    body: {
      id: 'submission-1',
      receiptNumber: 'JL20260105000001',
      submittedAt: '2026-01-05T01:00:00.000Z',
      status: 'submitted',
      bodySha256: 'ab'.repeat(32),
      receipt: {
        receiptNumber: 'JL20260105000001',
        submissionId: 'submission-1',
        submittedAt: '2026-01-05T01:00:00.000Z',
        bodySha256: 'ab'.repeat(32),
        keyId: '0123456789abcdef',
        signature: 'c2ln',
      },
    },
  });

  async function mountWithNetwork(
    db: LocalDb,
    net: NetClient,
    { online = true, search }: { online?: boolean; search?: DirectorySearch } = {},
  ) {
    const clock = new FakeClock();
    const el = document.createElement('application-form-page');
    el.account = ACCOUNT;
    el.db = db;
    el.scheduler = new OutboxScheduler(() => db, {
      net,
      ...(search ? { search } : {}),
      random: () => 0.5,
      online: () => online,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
    });
    const navigations: { to: string; replace?: boolean }[] = [];
    el.addEventListener('navigate', (e) => navigations.push((e as CustomEvent<{ to: string; replace?: boolean }>).detail));
    document.body.append(el);
    await el.loaded;
    await el.updateComplete;
    return { el, navigations };
  }

  const statusText = (el: ApplicationFormPage) =>
    el.shadowRoot!.querySelector('outbox-status')?.shadowRoot?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

  it('offline, 下一步 puts the application in the outbox, its key on the item alone, locked until 撤回', async () => {
    const db = database();
    const draftId = await completeDraft(db);
    const { el, navigations } = await mountWithNetwork(db, network([]).net);
    await el.submit();
    await until(async () => {
      await el.updateComplete;
      return statusText(el).includes('等待网络，恢复后自动提交');
    });
    const [item] = await db.outbox.toArray();
    expect(item?.id).to.match(/^[0-9a-f-]{36}$/);
    expect(item?.draftId).to.equal(draftId);
    expect(item?.state).to.equal('queued');
    expect(item?.attempts).to.equal(1);
    expect(item?.body.photo).to.match(/^[0-9a-f]{64}$/);
    expect(item?.body.idNumber).to.equal(ACCOUNT.idNumber);
    expect(navigations).to.deep.equal([]);
    const root = el.shadowRoot!;
    expect(button(el, '下一步').disabled).to.equal(true);
    expect(root.querySelector('.sections')?.hasAttribute('inert')).to.equal(true);
    expect(root.querySelector('#locked-note')?.textContent).to.contain('撤回，继续修改');

    button(el, '撤回，继续修改').click();
    await until(async () => (await db.outbox.count()) === 0);
    await until(async () => {
      await el.updateComplete;
      return !root.querySelector('.sections')?.hasAttribute('inert');
    });
    expect(button(el, '下一步').disabled).to.equal(false);
    expect(root.querySelector('#announce')?.textContent).to.contain('已撤回');
    expect(await db.drafts.get(draftId), 'the draft stays').to.exist;
  });

  it('hands on the attachment ids the draft keeps: the photo is hashed once, when set', async () => {
    const db = database();
    const draftId = await completeDraft(db);
    const { el } = await mountWithNetwork(db, network([]).net);
    await el.submit();
    await until(async () => (await db.outbox.count()) === 1);
    const [item] = await db.outbox.toArray();
    const draft = await db.drafts.get(draftId);
    expect(draft?.photoSha256).to.match(/^[0-9a-f]{64}$/);
    expect(item?.body.photo).to.equal(draft?.photoSha256);
    expect(item?.body.signature).to.equal(draft?.signatureSha256);
    expect(item?.attachments.map((a) => a.sha256)).to.deep.equal([draft?.photoSha256, draft?.signatureSha256]);
  });

  describe('an employer typed but not picked', () => {
    const TYPED = ' 示例工程监理 有限公司';
    const picker = (el: ApplicationFormPage) => el.shadowRoot!.querySelector('enterprise-picker')!;

    it('offline, 下一步 checks the rest and queues it with the typed name, to be matched before sending', async () => {
      const db = database();
      await completeDraft(db, { enterprise: { name: TYPED } });
      const asked: string[] = [];
      const { net, requests } = network([]);
      const search: DirectorySearch = async (keyword) => {
        asked.push(keyword);
        return [ENTERPRISE];
      };
      const { el } = await mountWithNetwork(db, net, { online: false, search });
      const input = picker(el).shadowRoot!.querySelector('input')!;
      expect(input.value, 'the typed name is shown again').to.equal(TYPED);
      expect(picker(el).value, 'as text, not as a pick').to.equal(undefined);

      await el.submit();
      await until(async () => {
        await el.updateComplete;
        return statusText(el).includes('等待网络，恢复后自动提交');
      });
      const [item, ...others] = await db.outbox.toArray();
      expect(others).to.have.length(0);
      expect(item?.enterpriseToMatch).to.equal(true);
      expect(item?.body.enterprise).to.deep.equal({ name: '示例工程监理 有限公司' });
      expect(item?.body.specialty2).to.equal('02');
      expect(item?.body.photo).to.match(/^[0-9a-f]{64}$/);
      expect(item?.state).to.equal('queued');
      expect(asked, 'offline: the directory is not asked').to.deep.equal([]);
      expect(requests).to.have.length(0);
      expect(picker(el).invalid).to.equal('');
    });

    it('offline, a typed name that is no valid name is caught on the device', async () => {
      const db = database();
      await completeDraft(db, { enterprise: { name: 'x'.repeat(101) } });
      const { el } = await mountWithNetwork(db, network([]).net, { online: false });
      await el.submit();
      await el.updateComplete;
      expect(picker(el).invalid).to.equal('企业名称应为2至100个字');
      expect(await db.outbox.count()).to.equal(0);
    });

    it('online, the page does not match it: the outbox does, once, and sends the directory’s enterprise', async () => {
      const db = database();
      await completeDraft(db, { enterprise: { name: TYPED } });
      const asked: string[] = [];
      const { net, requests } = network([() => ({ status: 0, body: null })]);
      const search: DirectorySearch = async (keyword) => {
        asked.push(keyword);
        return [ENTERPRISE];
      };
      const { el } = await mountWithNetwork(db, net, { search });
      await el.submit();
      await until(async () => {
        await el.updateComplete;
        return statusText(el).includes('等待网络');
      });
      expect(asked).to.have.length(1);
      const post = requests.find((r) => r.method === 'POST');
      expect(JSON.parse(String(post?.body)).enterprise).to.deep.equal(ENTERPRISE);
      const [item] = await db.outbox.toArray();
      expect(item?.enterpriseToMatch).to.equal(undefined);
      expect(el.shadowRoot!.querySelector('#commitment-state')?.textContent?.trim()).to.equal('已作出承诺');
    });

    it('online, no single match: the not-found message on the field, focused, nothing sent', async () => {
      const db = database();
      await completeDraft(db, { enterprise: { name: TYPED } });
      const { net, requests } = network([]);
      const { el } = await mountWithNetwork(db, net, { search: async () => [] });
      await el.submit();
      await until(async () => {
        await el.updateComplete;
        return picker(el).invalid === ENTERPRISE_NOT_FOUND;
      });
      await until(() => el.shadowRoot!.querySelector('#announce')?.textContent === '请修改标红的 1 项后再提交');
      expect(el.shadowRoot!.activeElement).to.equal(picker(el));
      expect(picker(el).shadowRoot!.activeElement?.id).to.equal('enterprise');
      expect(requests.filter((r) => r.method === 'POST')).to.have.length(0);
      expect((await db.outbox.toArray())[0]?.state).to.equal('rejected');
      // Editing the name takes the message away.
      const input = picker(el).shadowRoot!.querySelector('input')!;
      type(input, '示例工程监理有限公司分公司');
      await el.updateComplete;
      expect(picker(el).invalid).to.equal('');
    });
  });

  it('online, sends through the outbox, keeps the receipt, removes the draft and shows 申报告知 for it', async () => {
    const db = database();
    const draftId = await completeDraft(db);
    const { net, requests } = network([accepted]);
    const { el, navigations } = await mountWithNetwork(db, net);
    await el.submit();
    await until(() => navigations.length > 0);
    expect(navigations).to.deep.equal([{ to: receiptRoute('submission-1'), replace: true }]);
    expect(requests.map((r) => r.method)).to.deep.equal(['HEAD', 'HEAD', 'PUT', 'PUT', 'POST']);
    const [receipt] = await db.receipts.toArray();
    expect(receipt?.receiptNumber).to.equal('JL20260105000001');
    expect(receipt?.signature).to.equal('c2ln');
    expect(await db.outbox.count()).to.equal(0);
    // Removed, and not written back by the page that held it.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await db.drafts.get(draftId)).to.equal(undefined);
    expect(await db.drafts.count()).to.equal(0);
    expect((await db.draftTombstones.toArray()).map((t) => t.id)).to.deep.equal([draftId]);
  });

  it('shows 正在提交… with a progress bar while sending', async () => {
    const db = database();
    await completeDraft(db);
    let release: ((answer: FakeAnswer) => void) | undefined;
    const { net } = network([() => new Promise<FakeAnswer>((resolve) => (release = resolve))]);
    const { el } = await mountWithNetwork(db, net);
    const submitted = el.submit();
    // Both attachments are up; the submission itself is on its way.
    await until(async () => {
      await el.updateComplete;
      return release !== undefined && statusText(el).includes('正在提交…');
    });
    const progress = el.shadowRoot!.querySelector('outbox-status')!.shadowRoot!.querySelector('progress');
    expect(progress).to.exist;
    expect(progress!.max).to.equal(JPEG.byteLength + PNG.byteLength);
    expect(progress!.value).to.equal(JPEG.byteLength + PNG.byteLength);
    expect(button(el, '撤回，继续修改').disabled, 'no withdrawal while sending').to.equal(true);
    release!(accepted());
    await submitted;
  });

  it('brings a rejection back to the fields at fault; a resubmission goes under a new key', async () => {
    const db = database();
    await completeDraft(db);
    const issues = [{ field: 'school', message: '毕业院校与学历证书不一致' }];
    const { net, requests } = network([() => ({ status: 422, body: { error: '申请内容有误', issues } }), accepted]);
    const { el, navigations } = await mountWithNetwork(db, net);
    await el.submit();
    const school = () => control(el, '毕业院校');
    await until(async () => {
      await el.updateComplete;
      return errorOf(el, school()) === '毕业院校与学历证书不一致';
    });
    expect(school().getAttribute('aria-invalid')).to.equal('true');
    expect(statusText(el)).to.contain('需要修改后重新提交');
    const [rejected] = await db.outbox.toArray();
    expect(rejected?.state).to.equal('rejected');
    expect(el.shadowRoot!.querySelector('.sections')?.hasAttribute('inert')).to.equal(false);

    type(school(), '清华大学');
    await el.updateComplete;
    expect(errorOf(el, school())).to.equal('');
    await el.submit();
    await until(() => navigations.length > 0);
    const keys = requests.filter((r) => r.method === 'POST').map((r) => r.headers['idempotency-key']);
    expect(keys[0]).to.equal(rejected?.id);
    expect(keys[1]).to.match(/^[0-9a-f-]{36}$/);
    expect(keys[1]).to.not.equal(rejected?.id);
    expect(JSON.parse(String(requests.at(-1)?.body)).school).to.equal('清华大学');
    expect(await db.outbox.count()).to.equal(0);
  });

  it('shows a rejection found on the device when the form opens', async () => {
    const db = database();
    const draftId = await completeDraft(db);
    await db.outbox.put({
      id: crypto.randomUUID(),
      accountId: ACCOUNT.id,
      draftId,
      body: {},
      attachments: [],
      state: 'rejected',
      rejectedFor: 'issues',
      attempts: 1,
      nextAttemptAt: Date.now(),
      createdAt: Date.now(),
      lastError: '申请内容有误，请修改标红的项目后重新提交',
      issues: [{ field: 'mobile', message: '手机号码已被其他申请使用' }],
    });
    const { el } = await mountWithNetwork(db, network([]).net);
    await until(async () => {
      await el.updateComplete;
      return errorOf(el, control(el, '手机号码')) === '手机号码已被其他申请使用';
    });
    expect(statusText(el)).to.contain('需要修改后重新提交');
  });

  it('after a 401 keeps the application and offers the way back to sign in', async () => {
    const db = database();
    await completeDraft(db);
    const { el } = await mountWithNetwork(db, network([() => ({ status: 401, body: { error: '请先登录' } })]).net);
    await el.submit();
    await until(async () => {
      await el.updateComplete;
      return statusText(el).includes('需要修改后重新提交');
    });
    expect(statusText(el)).to.contain('登录已过期');
    expect(button(el, '返回')).to.exist;
    expect((await db.outbox.toArray())[0]?.state).to.equal('rejected');
    expect(await db.drafts.count()).to.equal(1);
  });
});
