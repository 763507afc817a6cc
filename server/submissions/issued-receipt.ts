import type { Kysely } from 'kysely';
import type { SubmissionReceipt } from '../../shared/api/submissions.ts';
import type { SignedReceipt } from '../../shared/receipt-signature.ts';
import type { Database } from '../db/schema.ts';
import { addReceiptSignature } from '../db/submissions-store.ts';
import type { ReceiptSigner } from '../receipts/receipt-signer.ts';
import { INITIAL_SUBMISSION_STATUS, type Submission } from './submission.ts';

/** The receipt as issued; a row from before receipts were signed gets its signature now, once. */
export async function receiptOf(
  db: Kysely<Database>,
  submission: Submission,
  signer: () => Promise<ReceiptSigner>,
): Promise<SignedReceipt> {
  let stored = submission.receiptSignature;
  if (!stored) {
    const { keyId, signature } = (await signer()).sign({
      receiptNumber: submission.receiptNumber,
      submissionId: submission.id,
      submittedAt: submission.createdAt,
      bodySha256: submission.bodySha256,
    });
    // Another request may have signed it first (with the same key, the same signature): keep theirs.
    stored = (await addReceiptSignature(db, submission.id, { keyId, signature }))?.receiptSignature ?? { keyId, signature };
  }
  return {
    receiptNumber: submission.receiptNumber,
    submissionId: submission.id,
    submittedAt: submission.createdAt,
    bodySha256: submission.bodySha256,
    keyId: stored.keyId,
    signature: stored.signature,
  };
}

/**
 * The answer to POST, rebuilt from the stored row with its stored signature. `status` is the status
 * at acceptance, not today's: a replay must repeat the first answer exactly even after staff have
 * moved the case on (GET shows the current status).
 */
export async function answerOf(
  db: Kysely<Database>,
  submission: Submission,
  signer: () => Promise<ReceiptSigner>,
): Promise<SubmissionReceipt> {
  return {
    id: submission.id,
    receiptNumber: submission.receiptNumber,
    submittedAt: submission.createdAt,
    status: INITIAL_SUBMISSION_STATUS,
    bodySha256: submission.bodySha256,
    receipt: await receiptOf(db, submission, signer),
  };
}
