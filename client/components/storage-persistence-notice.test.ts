import { expect } from 'chai';
import { DraftStore } from '../data/draft-store.ts';
import { LocalDb } from '../data/local-db.ts';
import {
  type DismissalStore,
  PERSISTENCE_NOTICE_DISMISSED_KEY,
  PERSISTENCE_NOTICE_TITLE,
  type StoragePersistenceNotice,
} from './storage-persistence-notice.ts';
import './storage-persistence-notice.ts';

function memoryStore(): DismissalStore & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
  };
}

async function mount(setup: (el: StoragePersistenceNotice) => void) {
  const el = document.createElement('storage-persistence-notice');
  setup(el);
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const shown = (el: StoragePersistenceNotice) => el.shadowRoot!.querySelector('section');

describe('storage-persistence-notice', () => {
  let name: string;

  beforeEach(() => {
    name = `persistence-test-${crypto.randomUUID()}`;
  });

  afterEach(async () => {
    document.body.replaceChildren();
    await new LocalDb(name).delete();
  });

  it('explains a refusal once persist() answers false, and stays hidden once dismissed', async () => {
    const db = new LocalDb(name);
    const store = await DraftStore.open(db, 'account-1', { persist: async () => false });
    expect(await store.persistence).to.equal('refused');
    store.dispose();
    db.close();

    const dismissals = memoryStore();
    const el = await mount((e) => {
      e.store = dismissals;
      e.answer = 'refused';
    });
    const section = shown(el)!;
    expect(section.textContent).to.contain(PERSISTENCE_NOTICE_TITLE);
    expect(section.textContent).to.contain('存储空间不足');
    expect(section.textContent).to.contain('7 天');
    expect(section.textContent).to.contain('主屏幕');
    section.querySelector('button')!.click();
    await el.updateComplete;
    expect(shown(el)).to.equal(null);
    expect(dismissals.items.has(PERSISTENCE_NOTICE_DISMISSED_KEY)).to.equal(true);

    // Another visit: remembered.
    el.remove();
    const again = await mount((e) => {
      e.store = dismissals;
      e.answer = 'refused';
    });
    expect(shown(again)).to.equal(null);
  });

  it('shows nothing while the answer is unknown or when storage is persistent', async () => {
    const dismissals = memoryStore();
    const el = await mount((e) => {
      e.store = dismissals;
    });
    expect(shown(el)).to.equal(null);
    el.answer = 'persisted';
    await el.updateComplete;
    expect(shown(el)).to.equal(null);
    el.answer = 'unavailable';
    await el.updateComplete;
    expect(shown(el)?.textContent).to.contain('不支持长期保存');
  });

  it('reports the answer of persist() for a new draft, and of persisted() for an existing one', async () => {
    const db = new LocalDb(name);
    let asked = 0;
    const first = await DraftStore.open(db, 'account-1', {
      persist: () => {
        asked++;
        return Promise.resolve(true);
      },
    });
    expect(await first.persistence).to.equal('persisted');
    first.dispose();
    const second = await DraftStore.open(db, 'account-1', {
      persist: () => {
        asked++;
        return true;
      },
      persisted: () => false,
    });
    expect(await second.persistence).to.equal('refused');
    expect(asked, 'persist() is asked once, when the draft starts').to.equal(1);
    second.dispose();
    const third = await DraftStore.open(db, 'account-1', { persisted: () => undefined });
    expect(await third.persistence, 'no Storage API').to.equal('unavailable');
    third.dispose();
    db.close();
  });
});
