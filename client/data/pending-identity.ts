/**
 * The name and ID number typed at the identity check, carried to registration and sign-in.
 * sessionStorage: survives a reload of the tab, gone when the tab closes (it is personal data).
 */

export interface PendingIdentity {
  name: string;
  idNumber: string;
}

const KEY = 'jl.pending-identity';

// Storage can throw (disabled storage, quota, private modes); losing this convenience is harmless.
function storage(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
}

export function savePendingIdentity(identity: PendingIdentity): void {
  try {
    storage()?.setItem(KEY, JSON.stringify({ name: identity.name, idNumber: identity.idNumber }));
  } catch {
    // Ignored: the person can type the values again.
  }
}

export function loadPendingIdentity(): PendingIdentity | undefined {
  let raw: string | null | undefined;
  try {
    raw = storage()?.getItem(KEY);
  } catch {
    return undefined;
  }
  if (!raw) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return undefined;
    const { name, idNumber } = value as Record<string, unknown>;
    if (typeof name !== 'string' || typeof idNumber !== 'string') return undefined;
    return { name, idNumber };
  } catch {
    return undefined;
  }
}

export function clearPendingIdentity(): void {
  try {
    storage()?.removeItem(KEY);
  } catch {
    // Ignored, as above.
  }
}
