/**
 * IndexedDB kept in this page's memory, for browsers where the real one cannot be opened or written
 * (storage disabled, some private modes, quota 0). It implements what Dexie uses of the API, so the
 * app's one data path (client/data/local-db.ts and the modules owning its tables) runs unchanged;
 * nothing survives the page. Transactions run one after another and commit once no request is left
 * after a task, as IndexedDB's do; a failed read-write transaction puts every store back as it was.
 */
import { cmp } from 'dexie';
import { copyStore, domError, type KeyPath, MemoryObjectStore, type NameList, names, type StoreData } from './memory-object-store.ts';

export { MemoryKeyRange } from './memory-object-store.ts';

type Handler = ((event: MemoryEvent) => void) | null;

interface DatabaseData {
  version: number;
  stores: Map<string, StoreData>;
  connections: Set<MemoryDatabase>;
  /** The transaction running now and those waiting, in the order they were made. */
  queue: MemoryTransaction[];
}

class MemoryEvent {
  defaultPrevented = false;
  constructor(
    readonly type: string,
    readonly target: unknown,
    extra: Record<string, unknown> = {},
  ) {
    Object.assign(this, extra);
  }
  preventDefault() {
    this.defaultPrevented = true;
  }
  stopPropagation() {}
}

/** Fires `on<type>` and the listeners added for it, as an IndexedDB object does. */
class Emitter {
  private readonly listeners = new Map<string, Set<(event: MemoryEvent) => void>>();
  addEventListener(type: string, listener: (event: MemoryEvent) => void) {
    const set = this.listeners.get(type) ?? new Set();
    set.add(listener);
    this.listeners.set(type, set);
  }
  removeEventListener(type: string, listener: (event: MemoryEvent) => void) {
    this.listeners.get(type)?.delete(listener);
  }
  emit(type: string, event: MemoryEvent): void {
    (this as unknown as Record<string, Handler>)[`on${type}`]?.(event);
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}

export class MemoryRequest extends Emitter {
  result: unknown;
  error: DOMException | null = null;
  readyState: 'pending' | 'done' = 'pending';
  onsuccess: Handler = null;
  onerror: Handler = null;
  onblocked: Handler = null;
  onupgradeneeded: Handler = null;
  transaction: MemoryTransaction | null = null;
  constructor(readonly source: unknown = null) {
    super();
  }
}

/** Runs after the current task and its microtasks, like an IndexedDB event. */
function later(run: () => void): void {
  setTimeout(run, 0);
}

export class MemoryTransaction extends Emitter {
  oncomplete: Handler = null;
  onerror: Handler = null;
  onabort: Handler = null;
  error: DOMException | null = null;
  readonly objectStoreNames: NameList;
  private readonly pending: { request: MemoryRequest; run: () => unknown }[] = [];
  private state: 'waiting' | 'active' | 'finished' = 'waiting';
  private snapshot: Map<string, StoreData> | undefined;

  constructor(
    readonly db: MemoryDatabase,
    scope: string[],
    readonly mode: IDBTransactionMode,
  ) {
    super();
    this.objectStoreNames = names(scope);
  }

  objectStore(name: string): MemoryObjectStore {
    if (this.state === 'finished') throw domError('InvalidStateError', 'The transaction has finished.');
    if (!this.objectStoreNames.contains(name) && this.mode !== 'versionchange') {
      throw domError('NotFoundError', `No object store ${name} in this transaction.`);
    }
    return new MemoryObjectStore(this, name);
  }

  abort(): void {
    if (this.state === 'finished') throw domError('InvalidStateError', 'The transaction has finished.');
    this.fail(domError('AbortError', 'The transaction was aborted.'));
  }

  /** Called by the database when it is this transaction's turn. */
  begin(): void {
    this.state = 'active';
    if (this.mode !== 'readonly') this.snapshot = new Map([...this.db.data.stores].map(([name, store]) => [name, copyStore(store)]));
    this.pump();
  }

  request(source: unknown, run: () => unknown): MemoryRequest {
    if (this.state === 'finished') throw domError('TransactionInactiveError', 'The transaction has finished.');
    const request = new MemoryRequest(source);
    request.transaction = this;
    this.pending.push({ request, run });
    if (this.pending.length === 1 && this.state === 'active') this.pump();
    return request;
  }

  /** Queues one more step of a cursor's request. */
  repeat(request: MemoryRequest, run: () => unknown): void {
    request.readyState = 'pending';
    this.pending.push({ request, run });
    if (this.pending.length === 1 && this.state === 'active') this.pump();
  }

  store(name: string): StoreData {
    const store = this.db.data.stores.get(name);
    if (!store) throw domError('NotFoundError', `No object store ${name}.`);
    return store;
  }

  writable(): void {
    if (this.mode === 'readonly') throw domError('ReadOnlyError', 'The transaction is read-only.');
  }

  private pump(): void {
    later(() => {
      if (this.state !== 'active') return;
      const next = this.pending.shift();
      if (!next) {
        this.finish();
        return;
      }
      const { request, run } = next;
      try {
        request.result = run();
        request.readyState = 'done';
        request.emit('success', new MemoryEvent('success', request));
      } catch (error) {
        request.readyState = 'done';
        request.error = error instanceof DOMException ? error : domError('UnknownError', String(error));
        const event = new MemoryEvent('error', request);
        request.emit('error', event);
        if (this.state === 'active' && !event.defaultPrevented) {
          this.emit('error', new MemoryEvent('error', request));
          this.fail(request.error);
          return;
        }
      }
      this.pump();
    });
  }

  private finish(): void {
    this.state = 'finished';
    this.snapshot = undefined;
    this.emit('complete', new MemoryEvent('complete', this));
    this.db.done(this);
  }

  private fail(error: DOMException): void {
    if (this.state === 'finished') return;
    this.state = 'finished';
    this.error = error;
    if (this.snapshot) this.db.data.stores = this.snapshot;
    for (const { request } of this.pending.splice(0)) {
      request.readyState = 'done';
      request.error = domError('AbortError', 'The transaction was aborted.');
      request.emit('error', new MemoryEvent('error', request));
    }
    later(() => {
      this.emit('abort', new MemoryEvent('abort', this));
      this.db.done(this);
    });
  }
}

export class MemoryDatabase extends Emitter {
  onversionchange: Handler = null;
  onclose: Handler = null;
  onabort: Handler = null;
  onerror: Handler = null;
  private closed = false;
  /** The upgrade transaction while the database is being opened at a higher version. */
  upgrade: MemoryTransaction | undefined;

  constructor(
    readonly name: string,
    readonly data: DatabaseData,
  ) {
    super();
  }

  get version() {
    return this.data.version;
  }
  get objectStoreNames() {
    return names(this.data.stores.keys());
  }

  transaction(scope: string | string[], mode: IDBTransactionMode = 'readonly') {
    if (this.closed) throw domError('InvalidStateError', 'The database connection is closed.');
    const list = typeof scope === 'string' ? [scope] : [...scope];
    for (const name of list) if (!this.data.stores.has(name)) throw domError('NotFoundError', `No object store ${name}.`);
    return this.enqueue(new MemoryTransaction(this, list, mode));
  }

  enqueue(transaction: MemoryTransaction): MemoryTransaction {
    this.data.queue.push(transaction);
    if (this.data.queue.length === 1) transaction.begin();
    return transaction;
  }

  done(transaction: MemoryTransaction): void {
    const queue = this.data.queue;
    const at = queue.indexOf(transaction);
    if (at < 0) return;
    queue.splice(at, 1);
    if (at === 0) queue[0]?.begin();
  }

  createObjectStore(name: string, options: IDBObjectStoreParameters = {}) {
    if (!this.upgrade) throw domError('InvalidStateError', 'Not in an upgrade.');
    if (this.data.stores.has(name)) throw domError('ConstraintError', `Object store ${name} exists.`);
    const keyPath = (options.keyPath ?? null) as KeyPath;
    this.data.stores.set(name, { keyPath, autoIncrement: Boolean(options.autoIncrement), nextKey: 1, indexes: new Map(), records: [] });
    return new MemoryObjectStore(this.upgrade, name);
  }

  deleteObjectStore(name: string) {
    if (!this.upgrade) throw domError('InvalidStateError', 'Not in an upgrade.');
    this.data.stores.delete(name);
  }

  close() {
    this.closed = true;
    this.data.connections.delete(this);
  }
}

/** IDBFactory over databases held in memory; one instance for the page, so every connection shares them. */
export class MemoryIndexedDB {
  private readonly databasesByName = new Map<string, DatabaseData>();

  open(name: string, version?: number): MemoryRequest {
    const request = new MemoryRequest();
    later(() => {
      let data = this.databasesByName.get(name);
      if (!data) {
        data = { version: 0, stores: new Map(), connections: new Set(), queue: [] };
        this.databasesByName.set(name, data);
      }
      const target = version ?? Math.max(1, data.version);
      if (target < data.version) {
        request.error = domError('VersionError', 'The requested version is older than the existing one.');
        request.readyState = 'done';
        request.emit('error', new MemoryEvent('error', request));
        return;
      }
      const db = new MemoryDatabase(name, data);
      request.result = db;
      const opened = () => {
        db.upgrade = undefined;
        request.transaction = null;
        data.connections.add(db);
        request.readyState = 'done';
        request.emit('success', new MemoryEvent('success', request));
      };
      if (target === data.version) {
        later(opened);
        return;
      }
      for (const other of data.connections) other.emit('versionchange', new MemoryEvent('versionchange', other, { oldVersion: data.version, newVersion: target }));
      const oldVersion = data.version;
      const upgrade = new MemoryTransaction(db, [], 'versionchange');
      db.upgrade = upgrade;
      request.transaction = upgrade;
      data.version = target;
      upgrade.addEventListener('complete', opened);
      upgrade.addEventListener('abort', () => {
        data.version = oldVersion;
        request.result = undefined;
        request.error = upgrade.error ?? domError('AbortError', 'The upgrade was aborted.');
        request.readyState = 'done';
        request.emit('error', new MemoryEvent('error', request));
      });
      db.enqueue(upgrade);
      request.emit('upgradeneeded', new MemoryEvent('upgradeneeded', request, { oldVersion, newVersion: target }));
    });
    return request;
  }

  deleteDatabase(name: string): MemoryRequest {
    const request = new MemoryRequest();
    later(() => {
      const data = this.databasesByName.get(name);
      for (const db of data?.connections ?? []) db.emit('versionchange', new MemoryEvent('versionchange', db, { oldVersion: data?.version, newVersion: null }));
      this.databasesByName.delete(name);
      request.readyState = 'done';
      request.emit('success', new MemoryEvent('success', request, { oldVersion: data?.version ?? 0, newVersion: null }));
    });
    return request;
  }

  databases(): Promise<{ name: string; version: number }[]> {
    return Promise.resolve([...this.databasesByName].map(([name, data]) => ({ name, version: data.version })));
  }

  cmp(a: unknown, b: unknown): number {
    return cmp(a, b);
  }
}
