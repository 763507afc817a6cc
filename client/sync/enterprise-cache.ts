/**
 * Enterprise suggestions seen once, kept on the device (Dexie `enterpriseCache`) per keyword as the
 * server normalises it, so the picker still suggests the person's employer with no network. This
 * session's answers are also kept in memory: a repeated search needs no request at all.
 */
import { normaliseSearchText } from '../../shared/search-text.ts';
import { type EnterpriseCacheRecord, type LocalDb, localDb } from '../data/local-db.ts';

export type DirectoryEnterprise = EnterpriseCacheRecord['enterprises'][number];

export const ENTERPRISE_CACHE_MAX_ENTRIES = 200;
/** As many as the picker lists. */
export const OFFLINE_SUGGESTION_LIMIT = 10;

export class EnterpriseCache {
  private readonly memory = new Map<string, DirectoryEnterprise[]>();

  constructor(
    private readonly database: () => LocalDb = localDb,
    private readonly now: () => number = Date.now,
  ) {}

  /** This session's answer for the keyword, if it was asked already. */
  recent(keyword: string): DirectoryEnterprise[] | undefined {
    return this.memory.get(normaliseSearchText(keyword));
  }

  /** Keeps the server's answer for the keyword; the oldest entries go beyond the limit. */
  async put(keyword: string, enterprises: readonly DirectoryEnterprise[]): Promise<void> {
    const key = normaliseSearchText(keyword);
    if (key === '') return;
    const list = enterprises.map(({ uscc, name, legalRepresentative, province, city }) => ({
      uscc,
      name,
      legalRepresentative,
      province,
      city,
    }));
    this.memory.delete(key);
    this.memory.set(key, list);
    // Map keeps insertion order: the first key is the least recently stored.
    while (this.memory.size > ENTERPRISE_CACHE_MAX_ENTRIES) {
      const oldest = this.memory.keys().next().value;
      if (oldest === undefined) break;
      this.memory.delete(oldest);
    }
    const db = this.database();
    try {
      await db.enterpriseCache.put({ keyword: key, enterprises: list, savedAt: this.now() });
      const extra = (await db.enterpriseCache.count()) - ENTERPRISE_CACHE_MAX_ENTRIES;
      if (extra > 0) {
        const oldest = await db.enterpriseCache.orderBy('savedAt').limit(extra).primaryKeys();
        await db.enterpriseCache.bulkDelete(oldest);
      }
    } catch (error) {
      // Only a convenience: the memory copy still serves this session.
      console.warn('[enterprise-cache] not stored on the device', error);
    }
  }

  /** The list stored for exactly this keyword, if any. */
  async get(keyword: string): Promise<DirectoryEnterprise[] | undefined> {
    const key = normaliseSearchText(keyword);
    const recent = this.memory.get(key);
    if (recent) return recent;
    return (await this.database().enterpriseCache.get(key))?.enterprises;
  }

  /**
   * What can be suggested with no network: the list stored for the keyword, or else every enterprise
   * of any stored list the server's search would find for it (name contains it, or USCC starts with
   * it), names starting with it first. Undefined when the device knows nothing for it.
   */
  async findOffline(keyword: string, limit = OFFLINE_SUGGESTION_LIMIT): Promise<DirectoryEnterprise[] | undefined> {
    const q = normaliseSearchText(keyword);
    if (q === '') return undefined;
    const exact = await this.get(q);
    if (exact) return exact;
    const found = new Map<string, DirectoryEnterprise>();
    await this.database().enterpriseCache.each((entry) => {
      for (const e of entry.enterprises) {
        if (normaliseSearchText(e.name).includes(q) || e.uscc.startsWith(q)) found.set(e.uscc, e);
      }
    });
    if (found.size === 0) return undefined;
    const rank = (e: DirectoryEnterprise) => (normaliseSearchText(e.name).startsWith(q) ? 0 : 1);
    return [...found.values()]
      .sort((a, b) => rank(a) - rank(b) || a.name.length - b.name.length || a.uscc.localeCompare(b.uscc))
      .slice(0, limit);
  }

  /** Forgets everything, on the device too (清除本机数据, sign-out). */
  async clear(): Promise<void> {
    this.memory.clear();
    await this.database().enterpriseCache.clear();
  }

  /** Forgets this session's answers only (the stored ones stay). */
  forgetRecent(): void {
    this.memory.clear();
  }
}

/** The app's one cache, shared by every picker on the page. */
export const enterpriseSuggestionCache = new EnterpriseCache();
