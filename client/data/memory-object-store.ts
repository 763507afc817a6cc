/**
 * The object stores and indexes of the in-memory IndexedDB (./memory-indexeddb.ts): records kept sorted
 * by key, read through ranges and cursors as IndexedDB reads them, values cloned in and out.
 */
import { cmp } from 'dexie';
import type { MemoryTransaction } from './memory-indexeddb.ts';

export type Key = IDBValidKey;
export type KeyPath = string | string[] | null;

export interface RangeLike {
  lower: unknown;
  upper: unknown;
  lowerOpen: boolean;
  upperOpen: boolean;
}

/** IDBKeyRange, for browsers that lack the global too. */
export class MemoryKeyRange implements RangeLike {
  private constructor(
    readonly lower: unknown,
    readonly upper: unknown,
    readonly lowerOpen: boolean,
    readonly upperOpen: boolean,
  ) {}
  static only(key: unknown) {
    return new MemoryKeyRange(key, key, false, false);
  }
  static lowerBound(lower: unknown, open = false) {
    return new MemoryKeyRange(lower, undefined, open, true);
  }
  static upperBound(upper: unknown, open = false) {
    return new MemoryKeyRange(undefined, upper, true, open);
  }
  static bound(lower: unknown, upper: unknown, lowerOpen = false, upperOpen = false) {
    return new MemoryKeyRange(lower, upper, lowerOpen, upperOpen);
  }
  includes(key: unknown): boolean {
    return inRange(key, this);
  }
}

function isRange(query: unknown): query is RangeLike {
  return typeof query === 'object' && query !== null && 'lowerOpen' in query && 'upperOpen' in query;
}

export function inRange(key: unknown, query: unknown): boolean {
  if (query === undefined || query === null) return true;
  if (!isRange(query)) return cmp(key, query) === 0;
  if (query.lower !== undefined) {
    const c = cmp(key, query.lower);
    if (c < 0 || (c === 0 && query.lowerOpen)) return false;
  }
  if (query.upper !== undefined) {
    const c = cmp(key, query.upper);
    if (c > 0 || (c === 0 && query.upperOpen)) return false;
  }
  return true;
}

/** Structured clone as IndexedDB does it; Blobs are immutable and kept as they are. */
export function cloneValue<T>(value: T): T {
  if (typeof value !== 'object' || value === null || value instanceof Blob) return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (value instanceof ArrayBuffer) return value.slice(0) as T;
  if (ArrayBuffer.isView(value)) return (value as unknown as Uint8Array).slice() as unknown as T;
  if (Array.isArray(value)) return value.map(cloneValue) as T;
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [cloneValue(k), cloneValue(v)])) as T;
  if (value instanceof Set) return new Set([...value].map(cloneValue)) as T;
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) copy[k] = cloneValue(v);
  return copy as T;
}

function keyAt(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) current = (current as Record<string, unknown> | undefined)?.[part];
  return current;
}

export function extractKey(value: unknown, keyPath: KeyPath): unknown {
  if (keyPath === null) return undefined;
  return Array.isArray(keyPath) ? keyPath.map((path) => keyAt(value, path)) : keyAt(value, keyPath);
}

export function validKey(key: unknown): key is Key {
  try {
    cmp(key, key);
    return key !== undefined && key !== null && !(typeof key === 'number' && Number.isNaN(key));
  } catch {
    return false;
  }
}

export function domError(name: string, message: string): DOMException {
  return new DOMException(message, name);
}

/** A list of names as IndexedDB gives it (DOMStringList). */
export class NameList extends Array<string> {
  contains(name: string): boolean {
    return this.includes(name);
  }
  item(index: number): string | null {
    return this[index] ?? null;
  }
}

export function names(list: Iterable<string>): NameList {
  const result = new NameList();
  result.push(...[...list].sort());
  return result;
}

export interface IndexData {
  keyPath: string | string[];
  unique: boolean;
  multiEntry: boolean;
}

export interface StoreData {
  keyPath: KeyPath;
  autoIncrement: boolean;
  nextKey: number;
  indexes: Map<string, IndexData>;
  /** Records sorted by primary key. */
  records: { key: Key; value: unknown }[];
}

export function copyStore(store: StoreData): StoreData {
  return { ...store, indexes: new Map(store.indexes), records: [...store.records] };
}

/** Where a record's place is in a sorted list (the first not below `key`). */
function position(records: { key: Key }[], key: unknown): number {
  let low = 0;
  let high = records.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (cmp(records[mid]!.key, key) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

export interface Entry {
  key: Key;
  primaryKey: Key;
  value: unknown;
}

/** An object store or one of its indexes: reading is the same for both. */
export abstract class Source {
  constructor(
    readonly transaction: MemoryTransaction,
    readonly storeName: string,
  ) {}
  protected abstract entries(): Entry[];

  protected matching(query: unknown, direction: IDBCursorDirection = 'next'): Entry[] {
    const found = this.entries().filter((entry) => inRange(entry.key, query));
    if (direction.startsWith('prev')) found.reverse();
    if (!direction.endsWith('unique')) return found;
    // A unique cursor shows each key once, with its lowest primary key, in either direction.
    return found.filter((entry, i) => {
      const neighbour = direction === 'prevunique' ? found[i + 1] : found[i - 1];
      return neighbour === undefined || cmp(neighbour.key, entry.key) !== 0;
    });
  }

  get(query: unknown) {
    return this.transaction.request(this, () => cloneValue(this.matching(query)[0]?.value));
  }
  getKey(query: unknown) {
    return this.transaction.request(this, () => this.matching(query)[0]?.primaryKey);
  }
  getAll(query?: unknown, count?: number) {
    return this.transaction.request(this, () =>
      this.matching(query)
        .slice(0, count || undefined)
        .map((entry) => cloneValue(entry.value)),
    );
  }
  getAllKeys(query?: unknown, count?: number) {
    return this.transaction.request(this, () =>
      this.matching(query)
        .slice(0, count || undefined)
        .map((entry) => entry.primaryKey),
    );
  }
  count(query?: unknown) {
    return this.transaction.request(this, () => this.matching(query).length);
  }
  openCursor(query?: unknown, direction: IDBCursorDirection = 'next') {
    return this.cursor(query, direction, true);
  }
  openKeyCursor(query?: unknown, direction: IDBCursorDirection = 'next') {
    return this.cursor(query, direction, false);
  }

  private cursor(query: unknown, direction: IDBCursorDirection, withValue: boolean) {
    let list: Entry[] = [];
    let at = -1;
    const cursor = new MemoryCursor(this, direction, withValue, (step) => {
      this.transaction.repeat(request, () => move(step));
    });
    const move = (step: { count?: number; key?: unknown }) => {
      const backwards = direction.startsWith('prev');
      if (step.key === undefined) at += step.count ?? 1;
      else {
        do at++;
        while (at < list.length && (backwards ? cmp(list[at]!.key, step.key) > 0 : cmp(list[at]!.key, step.key) < 0));
      }
      const entry = list[at];
      if (!entry) return null;
      cursor.show(entry);
      return cursor;
    };
    const request = this.transaction.request(this, () => {
      list = this.matching(query, direction);
      return move({ count: 1 });
    });
    return request;
  }
}

export class MemoryCursor {
  key: Key | undefined;
  primaryKey: Key | undefined;
  value: unknown;
  constructor(
    readonly source: unknown,
    readonly direction: IDBCursorDirection,
    private readonly withValue: boolean,
    private readonly step: (step: { count?: number; key?: unknown }) => void,
  ) {}
  show(entry: Entry) {
    this.key = entry.key;
    this.primaryKey = entry.primaryKey;
    this.value = this.withValue ? cloneValue(entry.value) : undefined;
  }
  continue(key?: unknown) {
    this.step(key === undefined ? {} : { key });
  }
  advance(count: number) {
    this.step({ count });
  }
}

export class MemoryIndex extends Source {
  constructor(
    transaction: MemoryTransaction,
    storeName: string,
    readonly name: string,
  ) {
    super(transaction, storeName);
  }
  private get data(): IndexData {
    const data = this.transaction.store(this.storeName).indexes.get(this.name);
    if (!data) throw domError('NotFoundError', `No index ${this.name}.`);
    return data;
  }
  get keyPath() {
    return this.data.keyPath;
  }
  get unique() {
    return this.data.unique;
  }
  get multiEntry() {
    return this.data.multiEntry;
  }
  protected entries(): Entry[] {
    return indexEntries(this.transaction.store(this.storeName), this.data);
  }
}

function indexEntries(store: StoreData, index: IndexData): Entry[] {
  const entries: Entry[] = [];
  for (const record of store.records) {
    const key = extractKey(record.value, index.keyPath);
    const keys = index.multiEntry && Array.isArray(key) ? key : [key];
    for (const one of keys) if (validKey(one)) entries.push({ key: one, primaryKey: record.key, value: record.value });
  }
  return entries.sort((a, b) => cmp(a.key, b.key) || cmp(a.primaryKey, b.primaryKey));
}

export class MemoryObjectStore extends Source {
  constructor(transaction: MemoryTransaction, name: string) {
    super(transaction, name);
  }
  get name() {
    return this.storeName;
  }
  private get data(): StoreData {
    return this.transaction.store(this.storeName);
  }
  get keyPath() {
    return this.data.keyPath;
  }
  get autoIncrement() {
    return this.data.autoIncrement;
  }
  get indexNames() {
    return names(this.data.indexes.keys());
  }
  index(name: string) {
    if (!this.data.indexes.has(name)) throw domError('NotFoundError', `No index ${name}.`);
    return new MemoryIndex(this.transaction, this.storeName, name);
  }
  createIndex(name: string, keyPath: string | string[], options: IDBIndexParameters = {}) {
    this.data.indexes.set(name, { keyPath, unique: Boolean(options.unique), multiEntry: Boolean(options.multiEntry) });
    return this.index(name);
  }
  deleteIndex(name: string) {
    this.data.indexes.delete(name);
  }
  protected entries(): Entry[] {
    return this.data.records.map((record) => ({ key: record.key, primaryKey: record.key, value: record.value }));
  }
  put(value: unknown, key?: Key) {
    return this.write(value, key, false);
  }
  add(value: unknown, key?: Key) {
    return this.write(value, key, true);
  }
  delete(query: unknown) {
    this.transaction.writable();
    return this.transaction.request(this, () => {
      this.data.records = this.data.records.filter((record) => !inRange(record.key, query));
      return undefined;
    });
  }
  clear() {
    this.transaction.writable();
    return this.transaction.request(this, () => {
      this.data.records = [];
      return undefined;
    });
  }

  private write(value: unknown, given: Key | undefined, adding: boolean) {
    this.transaction.writable();
    const stored = cloneValue(value);
    return this.transaction.request(this, () => {
      const store = this.data;
      let key = given ?? (extractKey(stored, store.keyPath) as Key | undefined);
      if (key === undefined && store.autoIncrement) {
        key = store.nextKey;
        if (typeof store.keyPath === 'string') (stored as Record<string, unknown>)[store.keyPath] = key;
      }
      if (!validKey(key)) throw domError('DataError', 'The record has no valid key.');
      if (typeof key === 'number' && key >= store.nextKey) store.nextKey = Math.floor(key) + 1;
      const records = [...store.records];
      const at = position(records, key);
      const exists = at < records.length && cmp(records[at]!.key, key) === 0;
      if (exists && adding) throw domError('ConstraintError', 'A record with this key exists already.');
      if (exists) records.splice(at, 1, { key, value: stored });
      else records.splice(at, 0, { key, value: stored });
      for (const [name, index] of store.indexes) {
        if (!index.unique) continue;
        const keys = indexEntries({ ...store, records }, index).map((entry) => entry.key);
        if (keys.some((one, i) => i > 0 && cmp(one, keys[i - 1]) === 0)) throw domError('ConstraintError', `Index ${name} is unique.`);
      }
      store.records = records;
      return key;
    });
  }
}
