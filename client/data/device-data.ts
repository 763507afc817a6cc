/**
 * Everything the app keeps on this device, and clearing it: drafts (ID number, photo, signature), the
 * outbox, receipts, enterprise suggestions (IndexedDB), and the app's web storage. A display
 * preference (大字模式) is kept: it is no personal data, and losing it would hurt the people who need it.
 */
import { api, readAnswer } from '../net/api-client.ts';
import { enterpriseSuggestionCache } from '../sync/enterprise-cache.ts';
import { type LocalDb, localDb } from './local-db.ts';
import { clearPendingIdentity } from './pending-identity.ts';

/** Web storage keys that survive clearing. */
export const KEPT_STORAGE_KEYS: readonly string[] = ['large-text'];
/** Set when signing out offline: the server's session is ended once the network is back. */
export const PENDING_SIGN_OUT_KEY = 'jl.sign-out-pending';
/** Other tabs of the app hear on this channel that the device was cleared. */
export const DEVICE_CLEARED_CHANNEL = 'jl.device-cleared';

export interface WebStorages {
  local?: Storage | undefined;
  session?: Storage | undefined;
}

function webStorages(): WebStorages {
  const get = (name: 'localStorage' | 'sessionStorage') => {
    try {
      return globalThis[name];
    } catch {
      return undefined;
    }
  };
  return { local: get('localStorage'), session: get('sessionStorage') };
}

function clearStorage(storage: Storage | undefined) {
  if (!storage) return;
  try {
    for (const key of Object.keys(storage)) {
      if (!KEPT_STORAGE_KEYS.includes(key)) storage.removeItem(key);
    }
  } catch {
    // Storage disabled: nothing of ours is in it.
  }
}

/**
 * Deletes the whole IndexedDB database — every table of every module at once, with nothing left for
 * a module that forgot one; other tabs' and the service worker's connections close themselves on the
 * version change — and the app's web storage. The connection opens again, empty, on its next use.
 */
export async function clearDeviceData(db: LocalDb = localDb(), storages: WebStorages = webStorages()): Promise<void> {
  await db.delete({ disableAutoOpen: false });
  // What modules hold in memory or in this tab's storage goes through their own clear functions.
  enterpriseSuggestionCache.forgetRecent();
  clearPendingIdentity();
  clearStorage(storages.local);
  clearStorage(storages.session);
  if (typeof BroadcastChannel === 'function') {
    const channel = new BroadcastChannel(DEVICE_CLEARED_CHANNEL);
    channel.postMessage({ from: THIS_CONTEXT });
    channel.close();
  }
}

/** Tells this context apart from the others on the channel (a channel also reaches its own tab). */
const THIS_CONTEXT = Math.random().toString(36).slice(2);

/** Calls `listener` when another tab (not this one) has cleared the device. */
export function onDeviceClearedElsewhere(listener: () => void): void {
  if (typeof BroadcastChannel !== 'function') return;
  new BroadcastChannel(DEVICE_CLEARED_CHANNEL).onmessage = (event: MessageEvent) => {
    if ((event.data as { from?: unknown } | null)?.from !== THIS_CONTEXT) listener();
  };
}

/** DELETE /api/session; true once the server has no session for us (401 counts: already signed out). */
export async function endServerSession(): Promise<boolean> {
  const result = await readAnswer(api.session.$delete(), null);
  return result.ok || result.status === 401;
}

/**
 * 退出登录: ends the session on the server (if offline, remembers to do it later) and clears the
 * device either way. Resolves whether the server already knows.
 */
export async function signOutAndClear(
  db: LocalDb = localDb(),
  endSession: () => Promise<boolean> = endServerSession,
  storages: WebStorages = webStorages(),
): Promise<{ serverSignedOut: boolean }> {
  const serverSignedOut = await endSession().catch(() => false);
  await clearDeviceData(db, storages);
  if (!serverSignedOut) {
    try {
      storages.local?.setItem(PENDING_SIGN_OUT_KEY, '1');
    } catch {
      // Not remembered: the session then ends when it expires on the server.
    }
  }
  return { serverSignedOut };
}

/** At start and when back online: finishes a sign-out that could not reach the server. */
export async function finishPendingSignOut(
  endSession: () => Promise<boolean> = endServerSession,
  storages: WebStorages = webStorages(),
): Promise<void> {
  try {
    if (storages.local?.getItem(PENDING_SIGN_OUT_KEY) !== '1') return;
  } catch {
    return;
  }
  if (await endSession().catch(() => false)) storages.local?.removeItem(PENDING_SIGN_OUT_KEY);
}
