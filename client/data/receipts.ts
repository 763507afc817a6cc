/**
 * The receipts the server gave for this device's submissions: the one owner of `db.receipts`. A receipt
 * keeps what lists the application offline and what its signature covers, never the ID number.
 */
import type { Correction, SubmissionReceipt, VersionReceipt } from '../../shared/api/submissions.ts';
import type { LocalDb, OutboxRecord, ReceiptRecord } from './local-db.ts';

const newestFirst = (a: ReceiptRecord, b: ReceiptRecord) => b.submittedAt.localeCompare(a.submittedAt);

/** What the server says today about one submission (a line of GET /api/submissions). */
export interface SubmissionStanding {
  id: string;
  status: string;
  corrections?: Correction[];
}

/** The server's answer to a submission, or to a new version of one (补正: same 申请编号, its own signature). */
export type ReceiptAnswer = SubmissionReceipt | VersionReceipt;

/** Usage: `receiptOf(item, answer)` — the record to keep for the server's answer to an outbox item. */
export function receiptOf(item: Pick<OutboxRecord, 'id' | 'accountId' | 'body'>, answer: ReceiptAnswer): ReceiptRecord {
  const body = item.body as { name?: unknown; enterprise?: { name?: unknown }; specialty1?: unknown; specialty2?: unknown };
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return {
    receiptNumber: answer.receiptNumber,
    accountId: item.accountId,
    submissionId: answer.receipt.submissionId,
    idempotencyKey: item.id,
    submittedAt: answer.submittedAt,
    status: answer.status,
    ...('version' in answer ? { version: answer.version } : {}),
    bodySha256: answer.bodySha256,
    summary: {
      name: text(body.name),
      enterpriseName: text(body.enterprise?.name),
      specialty1: text(body.specialty1),
      specialty2: text(body.specialty2),
    },
    signature: answer.receipt.signature,
    keyId: answer.receipt.keyId,
  };
}

/** Usage: `await putReceipt(db, receipt)` — inside the outbox's completion transaction (over db.receipts). */
export async function putReceipt(db: LocalDb, receipt: ReceiptRecord): Promise<void> {
  await db.receipts.put(receipt);
}

/** Usage: `await receiptFor(db, submissionId)` — the receipt of that submission, if on this device. */
export async function receiptFor(db: LocalDb, submissionId: string): Promise<ReceiptRecord | undefined> {
  return db.receipts.filter((receipt) => receipt.submissionId === submissionId).first();
}

/**
 * Usage: `await refreshStandings(db, list.submissions)` once the server listed the person's own: each
 * receipt of those submissions takes its status and 补正 notes, so the device shows them offline.
 * Returns how many receipts changed.
 */
export async function refreshStandings(db: LocalDb, standings: readonly SubmissionStanding[]): Promise<number> {
  const byId = new Map(standings.map((standing) => [standing.id, standing]));
  const changed = (receipt: ReceiptRecord) => {
    const standing = byId.get(receipt.submissionId);
    if (!standing) return false;
    return receipt.status !== standing.status || JSON.stringify(receipt.corrections ?? []) !== JSON.stringify(standing.corrections ?? []);
  };
  return db.receipts.filter(changed).modify((receipt) => {
    const standing = byId.get(receipt.submissionId);
    if (!standing) return;
    receipt.status = standing.status;
    if (standing.corrections?.length) receipt.corrections = standing.corrections;
    else delete receipt.corrections;
  });
}

/** Usage: `await receiptForKey(db, item.id)` — the receipt an outbox item left behind when it was sent. */
export async function receiptForKey(db: LocalDb, idempotencyKey: string): Promise<ReceiptRecord | undefined> {
  return db.receipts.filter((receipt) => receipt.idempotencyKey === idempotencyKey).first();
}

/**
 * Usage: `liveQuery(() => receiptsOf(db, accountId))` — the account's receipts, newest first; every
 * receipt on the device without an account (offline, no session known).
 */
export async function receiptsOf(db: LocalDb, accountId?: string): Promise<ReceiptRecord[]> {
  const receipts = accountId === undefined ? await db.receipts.toArray() : await db.receipts.where('accountId').equals(accountId).toArray();
  return receipts.sort(newestFirst);
}
