/**
 * Whether this browser lets the app keep data on the device (IndexedDB opens and takes a write), asked
 * once per page. Where it does not (storage disabled, some private modes, quota 0), the app's database
 * lives in memory for as long as the page is open (see ./local-db.ts). No Dexie here: the first screen
 * asks this without loading the database code.
 */

/** `device`: kept in IndexedDB; `memory`: kept only while the page is open. */
export type DeviceStorage = 'device' | 'memory';

const PROBE_DB_NAME = 'jianli-registration-probe';
/** Some browsers leave a refused open pending forever; past this, the device counts as unable. */
const PROBE_TIMEOUT_MS = 5000;

/** Opens a small database of its own, writes one record, and removes the database again. */
function probe(factory: IDBFactory): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
    const settle = (ok: boolean) => {
      clearTimeout(timer);
      resolve(ok);
    };
    try {
      const request = factory.open(PROBE_DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore('probe');
      request.onerror = () => settle(false);
      request.onblocked = () => settle(false);
      request.onsuccess = () => {
        const db = request.result;
        try {
          const transaction = db.transaction('probe', 'readwrite');
          transaction.objectStore('probe').put(Date.now(), 'written');
          transaction.oncomplete = () => {
            db.close();
            settle(true);
            factory.deleteDatabase(PROBE_DB_NAME);
          };
          transaction.onabort = () => {
            db.close();
            settle(false);
          };
        } catch {
          db.close();
          settle(false);
        }
      };
    } catch {
      settle(false);
    }
  });
}

let asked: Promise<DeviceStorage> | undefined;

/** Usage: `if ((await deviceStorage()) === 'memory') warn()` — asked once, the same answer after. */
export function deviceStorage(): Promise<DeviceStorage> {
  asked ??= (async () => {
    let factory: IDBFactory | undefined;
    try {
      factory = globalThis.indexedDB;
    } catch {
      // Reading it throws where storage is blocked for the page.
    }
    if (!factory) return 'memory';
    return (await probe(factory)) ? 'device' : 'memory';
  })();
  return asked;
}
