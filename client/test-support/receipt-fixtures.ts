/** A receipt as the device keeps it after a submission, for the tests of what is shown about it. */
import type { ReceiptRecord } from '../data/local-db.ts';

/** Usage: `await db.receipts.put(receiptRecord('sub-1', 'JL20260105000001', 'submitted'))`. */
export function receiptRecord(submissionId: string, receiptNumber: string, status: string): ReceiptRecord {
  return {
    receiptNumber,
    accountId: 'a',
    submissionId,
    submittedAt: '2026-01-05T01:00:00.000Z',
    status,
    bodySha256: 'ab'.repeat(32),
    summary: { name: '李明', enterpriseName: '甲监理公司', specialty1: '01', specialty2: '02' },
  };
}
