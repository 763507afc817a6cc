import { expect } from 'chai';
import { OFFLINE_MESSAGE } from '../net/api-client.ts';
import { localDb } from '../data/local-db.ts';
import { enterpriseSuggestionCache } from '../sync/enterprise-cache.ts';
import {
  ENTERPRISE_NOT_FOUND,
  ENTERPRISE_OFFLINE,
  ENTERPRISE_OFFLINE_RESULTS,
  ENTERPRISE_TO_MATCH_NOTE,
  ENTERPRISE_UNAVAILABLE,
  type Enterprise,
  type EnterpriseChangeDetail,
  type EnterprisePicker,
} from './enterprise-picker.ts';

const ACME: Enterprise = {
  uscc: '91110000100000000X',
  name: '北京示例工程监理有限公司',
  legalRepresentative: '张三',
  province: '北京市',
  city: '海淀区',
};
const BETA: Enterprise = {
  uscc: '91370100MA3C000000',
  name: '济南示例建设监理有限公司',
  legalRepresentative: '李四',
  province: '山东省',
  city: '济南市',
};

async function mount(setup?: (el: EnterprisePicker) => void) {
  const el = document.createElement('enterprise-picker');
  setup?.(el);
  document.body.append(el);
  await el.updateComplete;
  return el;
}

function parts(el: EnterprisePicker) {
  const root = el.shadowRoot!;
  return {
    input: root.querySelector('input')!,
    label: root.querySelector('label')!,
    listbox: root.querySelector<HTMLElement>('[role="listbox"]')!,
    options: () => [...root.querySelectorAll<HTMLElement>('[role="option"]')],
    status: root.querySelector('#enterprise-status')!,
    error: root.querySelector('#enterprise-error')!,
  };
}

async function type(el: EnterprisePicker, text: string) {
  const { input } = parts(el);
  input.focus();
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  await el.updateComplete;
}

function key(el: EnterprisePicker, name: string) {
  const event = new KeyboardEvent('keydown', { key: name, bubbles: true, composed: true, cancelable: true });
  parts(el).input.dispatchEvent(event);
  return event;
}

async function waitFor(check: () => boolean, timeout = 3000) {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > timeout) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function waitForStored(keyword: string) {
  for (let i = 0; i < 100; i++) {
    const entry = await localDb().enterpriseCache.get(keyword);
    if (entry) return entry.enterprises;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('not stored');
}

function changes(el: EnterprisePicker) {
  const seen: EnterpriseChangeDetail[] = [];
  el.addEventListener('enterprise-change', (e) => seen.push((e as CustomEvent<EnterpriseChangeDetail>).detail));
  return seen;
}

describe('enterprise-picker', () => {
  afterEach(async () => {
    document.body.replaceChildren();
    await enterpriseSuggestionCache.clear();
  });

  it('has a visible label tied to a combobox with the seed placeholder', async () => {
    const el = await mount();
    const { input, label, listbox } = parts(el);
    expect(label.textContent).to.contain('企业名称');
    expect(label.htmlFor).to.equal(input.id);
    expect(input.placeholder).to.equal('请输入企业名称关键字，选中对应的企业');
    expect(input.getAttribute('role')).to.equal('combobox');
    expect(input.getAttribute('aria-expanded')).to.equal('false');
    expect(input.getAttribute('aria-autocomplete')).to.equal('list');
    expect(input.getAttribute('aria-controls')).to.equal(listbox.id);
    expect(input.hasAttribute('aria-activedescendant')).to.equal(false);
  });

  it('shows a value set by the form, and editing the text drops the pick and reports the typed text', async () => {
    const el = await mount((e) => {
      e.value = ACME;
    });
    const { input } = parts(el);
    expect(input.value).to.equal(ACME.name);
    const seen = changes(el);
    await type(el, `${ACME.name}x`);
    expect(seen).to.deep.equal([{ enterprise: undefined, typed: `${ACME.name}x` }]);
    expect(el.value).to.equal(undefined);
    expect(input.value, 'the typed text is kept').to.equal(`${ACME.name}x`);
    await type(el, `${ACME.name}xy`);
    expect(seen.at(-1), 'each edit reports the text so far').to.deep.equal({ enterprise: undefined, typed: `${ACME.name}xy` });
    await type(el, '');
    expect(seen.at(-1)).to.deep.equal({ enterprise: undefined, typed: '' });
  });

  it('shows a name typed earlier (a reloaded draft) as text, with a note while offline', async () => {
    const el = await mount((e) => {
      e.typed = '北京示例工程监理 有限公司';
    });
    const { input } = parts(el);
    const note = () => el.shadowRoot!.querySelector('#enterprise-note');
    expect(input.value).to.equal('北京示例工程监理 有限公司');
    expect(el.value, 'not a pick').to.equal(undefined);
    expect(note()).to.equal(null);

    window.dispatchEvent(new Event('offline'));
    await el.updateComplete;
    expect(note()?.textContent).to.equal(ENTERPRISE_TO_MATCH_NOTE);
    expect(input.getAttribute('aria-describedby')).to.contain('enterprise-note');

    // Picked (the form sets the value): nothing is left to match.
    el.value = ACME;
    await el.updateComplete;
    expect(input.value).to.equal(ACME.name);
    expect(note()).to.equal(null);

    window.dispatchEvent(new Event('online'));
    el.value = undefined;
    await type(el, '济南示例');
    expect(note(), 'online: matched at 下一步, no note').to.equal(null);
  });

  it('says the search is unavailable when the server does not answer OK', async () => {
    // No /api in the element tests: the test server answers 404.
    const el = await mount();
    const { status, input } = parts(el);
    await type(el, '监理');
    await waitFor(() => status.textContent === ENTERPRISE_UNAVAILABLE);
    expect(input.value).to.equal('监理');
    expect(input.getAttribute('aria-describedby')).to.contain(status.id);
    expect(status.getAttribute('aria-live')).to.equal('polite');
  });

  it('lists cached suggestions and picks one with the arrow keys and Enter', async () => {
    await enterpriseSuggestionCache.put('示例', [ACME, BETA]);
    const el = await mount();
    const seen = changes(el);
    const { input, listbox, options } = parts(el);
    await type(el, ' 示例 ');
    await waitFor(() => input.getAttribute('aria-expanded') === 'true');
    await el.updateComplete;
    expect(listbox.hidden).to.equal(false);
    expect(options()).to.have.length(2);
    expect(options()[0]!.textContent).to.contain(ACME.name).and.contain(`统一信用代码 ${ACME.uscc}`).and.contain('北京市 海淀区');

    key(el, 'ArrowDown');
    await el.updateComplete;
    expect(input.getAttribute('aria-activedescendant')).to.equal(options()[0]!.id);
    expect(options()[0]!.getAttribute('aria-selected')).to.equal('true');
    key(el, 'ArrowDown');
    await el.updateComplete;
    expect(input.getAttribute('aria-activedescendant')).to.equal(options()[1]!.id);
    key(el, 'ArrowDown');
    await el.updateComplete;
    expect(input.getAttribute('aria-activedescendant'), 'wraps around').to.equal(options()[0]!.id);
    key(el, 'ArrowUp');
    await el.updateComplete;
    expect(input.getAttribute('aria-activedescendant')).to.equal(options()[1]!.id);

    const enter = key(el, 'Enter');
    await el.updateComplete;
    expect(enter.defaultPrevented, 'Enter does not submit the form').to.equal(true);
    // Typing reported the text; the pick comes last.
    expect(seen.at(-1)).to.deep.equal({ enterprise: BETA });
    expect(seen.slice(0, -1)).to.deep.equal([{ enterprise: undefined, typed: ' 示例 ' }]);
    expect(el.value).to.deep.equal(BETA);
    expect(input.value).to.equal(BETA.name);
    expect(input.getAttribute('aria-expanded')).to.equal('false');
    expect(input.hasAttribute('aria-activedescendant')).to.equal(false);
  });

  it('picks an option by click and closes with Escape', async () => {
    await enterpriseSuggestionCache.put('示例', [ACME, BETA]);
    const el = await mount();
    const seen = changes(el);
    const { input, options } = parts(el);
    await type(el, '示例');
    await waitFor(() => input.getAttribute('aria-expanded') === 'true');
    key(el, 'Escape');
    await el.updateComplete;
    expect(input.getAttribute('aria-expanded')).to.equal('false');
    expect(input.value, 'Escape keeps the text').to.equal('示例');

    key(el, 'ArrowDown');
    await el.updateComplete;
    expect(input.getAttribute('aria-expanded')).to.equal('true');
    options()[0]!.click();
    await el.updateComplete;
    expect(seen.at(-1)).to.deep.equal({ enterprise: ACME });
    expect(seen.filter((d) => d.enterprise)).to.have.length(1);
    expect(input.value).to.equal(ACME.name);
  });

  it('fires bubbling, composed events', async () => {
    await enterpriseSuggestionCache.put('示例', [ACME]);
    const el = await mount();
    let outside: EnterpriseChangeDetail | undefined;
    document.body.addEventListener('enterprise-change', (e) => {
      outside = (e as CustomEvent<EnterpriseChangeDetail>).detail;
    });
    await type(el, '示例');
    await waitFor(() => parts(el).options().length === 1);
    parts(el).options()[0]!.click();
    expect(outside).to.deep.equal({ enterprise: ACME });
  });

  it('shows the seed hint when nothing matches', async () => {
    await enterpriseSuggestionCache.put('不存在的企业', []);
    const el = await mount();
    const { status, input } = parts(el);
    await type(el, '不存在的企业');
    await waitFor(() => status.textContent === ENTERPRISE_NOT_FOUND);
    expect(input.getAttribute('aria-expanded')).to.equal('false');
  });

  it('shares cache entries between spellings the server treats alike', async () => {
    await enterpriseSuggestionCache.put('abc 监理', [ACME]);
    expect(enterpriseSuggestionCache.recent('ＡＢＣ监理')).to.deep.equal([ACME]);
    enterpriseSuggestionCache.forgetRecent();
    expect(await enterpriseSuggestionCache.get(' ａｂｃ　监理 ')).to.deep.equal([ACME]);
  });

  it('keeps what the server answered on the device', async () => {
    const el = await mount((e) => {
      e.search.request = async () => ({ ok: true, status: 200, data: { enterprises: [ACME, BETA] } });
    });
    await type(el, ' 示例 ');
    await waitFor(() => parts(el).options().length === 2);
    const stored = await waitForStored('示例');
    expect(stored.map((e) => e.uscc)).to.deep.equal([ACME.uscc, BETA.uscc]);
  });

  it('offline, lists suggestions seen in an earlier session and says so', async () => {
    await enterpriseSuggestionCache.put('示例', [ACME, BETA]);
    enterpriseSuggestionCache.forgetRecent();
    const el = await mount((e) => {
      e.search.request = async () => ({ ok: false, status: 0, error: OFFLINE_MESSAGE, issues: [], offline: true });
    });
    const { status, input, options } = parts(el);
    await type(el, '示例');
    await waitFor(() => options().length === 2);
    expect(status.textContent).to.contain(ENTERPRISE_OFFLINE_RESULTS);
    expect(status.classList.contains('visually-hidden'), 'the note is visible').to.equal(false);
    // A narrower keyword is served from the lists seen, as the server would answer it.
    await type(el, '济南');
    await waitFor(() => options().length === 1);
    expect(options()[0]!.textContent).to.contain(BETA.name);
    options()[0]!.click();
    expect(el.value).to.deep.equal(BETA);
    // Nothing known for this keyword: the plain offline message.
    await type(el, '上海');
    await waitFor(() => status.textContent === ENTERPRISE_OFFLINE);
    expect(input.value).to.equal('上海');
  });

  it('ignores an answer that arrives after a newer search', async () => {
    await enterpriseSuggestionCache.put('示例', [ACME]);
    const el = await mount();
    const { input, status, options } = parts(el);
    // Not cached: goes to the (absent) server. Catch the moment the request is under way with an
    // observer, not by polling, which could miss it when the answer comes back quickly.
    const searching = new Promise<void>((resolve) => {
      const observer = new MutationObserver(() => {
        if (status.textContent === '正在查询企业…') {
          observer.disconnect();
          resolve();
        }
      });
      observer.observe(status, { childList: true, characterData: true, subtree: true });
    });
    await type(el, '监理');
    await searching;
    await type(el, '示例');
    key(el, 'ArrowDown'); // searches at once, from the cache
    await el.updateComplete;
    expect(options()).to.have.length(1);
    await new Promise((r) => setTimeout(r, 400));
    await el.updateComplete;
    expect(status.textContent).not.to.equal(ENTERPRISE_UNAVAILABLE);
    expect(options()).to.have.length(1);
    expect(input.getAttribute('aria-expanded')).to.equal('true');
  });

  it('shows the form error, linked to the input', async () => {
    const el = await mount();
    el.invalid = '请选择受聘企业';
    await el.updateComplete;
    const { input, error } = parts(el);
    expect(error.textContent).to.equal('请选择受聘企业');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(input.getAttribute('aria-describedby')).to.contain(error.id);
  });
});
