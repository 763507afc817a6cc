/**
 * The soak's verdict: what the devices hold against what the database stored, and whether every
 * receipt a device holds verifies with the server's published key.
 */
import type { Storage } from '../../server/db/database.ts';
import { type SignedReceipt, verifyReceipt } from '../../shared/receipt-signature.ts';
import type { OutboxItem } from './soak-device.ts';

export interface Count {
  applications: number;
  acknowledged: number;
  /** Rows in `submissions` for the devices' accounts. */
  stored: number;
  /** Stored under a key its device never saw acknowledged (the time bound came first). */
  storedUnacknowledged: number;
  /** Acknowledged but not stored as acknowledged, or given up by the device. */
  lost: number;
  gaveUp: number;
  /** Not finished within the time bound (neither acknowledged nor given up). */
  unfinished: number;
  /** Rows beyond one per Idempotency-Key and per application body, and rows under keys no device made. */
  duplicated: number;
  /** Acknowledged receipts that fail to verify or differ from the stored row. */
  badReceipts: number;
  /** Why items were given up or lost, a few examples. */
  examples: string[];
}

interface StoredRow {
  id: string;
  receipt_number: string;
  account_id: string;
  idempotency_key: string;
  body_sha256: string;
  created_at: string;
  receipt_key_id: string | null;
  receipt_signature: string | null;
}

/**
 * The server's receipt keys by keyId: every key from GET /api/receipts/public-keys where the server
 * has it (key rotation), else the one key of GET /api/receipts/public-key.
 */
export async function receiptKeys(baseUrl: string): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  const add = (entry: unknown) => {
    const { keyId, publicKey } = (entry ?? {}) as { keyId?: unknown; publicKey?: unknown };
    if (typeof keyId === 'string' && typeof publicKey === 'string') keys.set(keyId, publicKey);
  };
  const many = await fetch(`${baseUrl}/api/receipts/public-keys`);
  if (many.ok) {
    const body = (await many.json()) as unknown;
    const list = Array.isArray(body) ? body : ((body as { keys?: unknown }).keys ?? []);
    if (Array.isArray(list)) list.forEach(add);
  } else {
    await many.body?.cancel();
  }
  if (keys.size === 0) {
    const one = await fetch(`${baseUrl}/api/receipts/public-key`);
    if (!one.ok) throw new Error(`GET /api/receipts/public-key: ${one.status}`);
    add(await one.json());
  }
  return keys;
}

function sameReceipt(receipt: SignedReceipt, row: StoredRow): boolean {
  return (
    receipt.submissionId === row.id &&
    receipt.receiptNumber === row.receipt_number &&
    receipt.submittedAt === row.created_at &&
    receipt.bodySha256 === row.body_sha256 &&
    receipt.keyId === row.receipt_key_id &&
    receipt.signature === row.receipt_signature
  );
}

/** `keys`: receipt public keys by keyId, as receiptKeys() reads them from the server. */
export async function countOutcome(storage: Storage, keys: Map<string, string>, items: OutboxItem[], accountIds: string[]): Promise<Count> {
  const rows = (await storage.db
    .selectFrom('submissions')
    .select(['id', 'receipt_number', 'account_id', 'idempotency_key', 'body_sha256', 'created_at', 'receipt_key_id', 'receipt_signature'])
    .where('account_id', 'in', accountIds)
    .execute()) as StoredRow[];
  const examples: string[] = [];
  const note = (text: string) => {
    if (examples.length < 10) examples.push(text);
  };

  const byKey = new Map<string, StoredRow[]>();
  const byBody = new Map<string, StoredRow[]>();
  for (const row of rows) {
    byKey.set(row.idempotency_key, [...(byKey.get(row.idempotency_key) ?? []), row]);
    const body = `${row.account_id} ${row.body_sha256}`;
    byBody.set(body, [...(byBody.get(body) ?? []), row]);
  }
  // Each stored row beyond one per application counts once, whichever way it shows.
  const deviceKeys = new Set(items.map((item) => item.key));
  const extra = new Set<string>();
  for (const [key, list] of byKey) {
    if (!deviceKeys.has(key)) {
      for (const row of list) extra.add(row.id);
      note(`stored under a key no device made: ${key}`);
    } else if (list.length > 1) {
      for (const row of list.slice(1)) extra.add(row.id);
      note(`${list.length} rows under one key: ${key}`);
    }
  }
  for (const [body, list] of byBody) {
    if (list.length < 2) continue;
    // The one under a device's key is the application; every other copy is extra.
    const kept = list.find((row) => deviceKeys.has(row.idempotency_key)) ?? list[0]!;
    for (const row of list) if (row !== kept) extra.add(row.id);
    note(`one application stored ${list.length} times: ${body}`);
  }
  const duplicated = extra.size;

  let acknowledged = 0;
  let lost = 0;
  let gaveUp = 0;
  let unfinished = 0;
  let storedUnacknowledged = 0;
  let badReceipts = 0;
  for (const item of items) {
    const stored = byKey.get(item.key)?.[0];
    if (item.gaveUp !== undefined) {
      gaveUp++;
      lost++;
      note(`application ${item.n} given up after ${item.attempts} attempts: ${item.gaveUp}`);
    }
    if (!item.acknowledged) {
      if (item.unfinished) unfinished++;
      if (stored) storedUnacknowledged++;
      continue;
    }
    acknowledged++;
    const answer = item.acknowledged;
    const { receipt } = answer;
    if (!stored || stored.id !== answer.id || stored.receipt_number !== answer.receiptNumber) {
      lost++;
      note(`application ${item.n} acknowledged as ${answer.receiptNumber} but not stored so`);
    }
    const publicKey = keys.get(receipt.keyId);
    const consistent =
      receipt.submissionId === answer.id &&
      receipt.receiptNumber === answer.receiptNumber &&
      receipt.submittedAt === answer.submittedAt &&
      receipt.bodySha256 === answer.bodySha256;
    if (!publicKey || !consistent || !stored || !sameReceipt(receipt, stored) || !(await verifyReceipt(receipt, publicKey))) {
      badReceipts++;
      note(`application ${item.n}: receipt ${receipt.receiptNumber} does not verify or differs from the stored one`);
    }
  }

  return {
    applications: items.length,
    acknowledged,
    stored: rows.length,
    storedUnacknowledged,
    lost,
    gaveUp,
    unfinished,
    duplicated,
    badReceipts,
    examples,
  };
}
