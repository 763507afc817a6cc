import type { Kysely } from 'kysely';
import type { SubmissionReceipt, VersionReceipt } from '../../shared/api/submissions.ts';
import type { SignedReceipt } from '../../shared/receipt-signature.ts';
import type { SubmissionStatus } from '../../shared/submission-status.ts';
import type { Database } from '../db/schema.ts';
import { findSubmissionVersion, type SubmissionVersion } from '../db/submission-versions-store.ts';
import { addReceiptSignature } from '../db/submissions-store.ts';
import type { ReceiptSigner } from '../receipts/receipt-signer.ts';
import { INITIAL_SUBMISSION_STATUS, type ReceiptSignature, type Submission } from './submission.ts';

/** A later version's receipt: signed when it was stored, over its own body and time. */
function versionReceiptOf(receiptNumber: string, version: SubmissionVersion & { receiptSignature: ReceiptSignature }): SignedReceipt {
  return {
    receiptNumber,
    submissionId: version.submissionId,
    submittedAt: version.createdAt,
    bodySha256: version.bodySha256,
    keyId: version.receiptSignature.keyId,
    signature: version.receiptSignature.signature,
  };
}

/**
 * The receipt of the current version as issued; a row from before receipts were signed gets its
 * signature now, once (only a first version can be that old).
 */
export async function receiptOf(
  db: Kysely<Database>,
  submission: Submission,
  signer: () => Promise<ReceiptSigner>,
): Promise<SignedReceipt> {
  if (submission.version > 1) {
    const current = await findSubmissionVersion(db, submission.id, submission.version);
    if (!current?.receiptSignature) throw new Error(`version ${submission.version} of a submission has no receipt`);
    return versionReceiptOf(submission.receiptNumber, { ...current, receiptSignature: current.receiptSignature });
  }
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

/** A resubmitted application as its first version was: what the first key's answer is made of. */
async function asFirstVersion(db: Kysely<Database>, submission: Submission, signer: () => Promise<ReceiptSigner>): Promise<Submission> {
  const first = await findSubmissionVersion(db, submission.id, 1);
  if (!first) throw new Error('a submission has no first version');
  let receiptSignature = first.receiptSignature;
  if (!receiptSignature) {
    // Stored before receipts were signed: signed now (Ed25519 gives the same signature each time) and
    // not stored, as the row holds the current version's.
    const { keyId, signature } = (await signer()).sign({
      receiptNumber: submission.receiptNumber,
      submissionId: submission.id,
      submittedAt: first.createdAt,
      bodySha256: first.bodySha256,
    });
    receiptSignature = { keyId, signature };
  }
  return { ...submission, version: 1, bodySha256: first.bodySha256, bodyJson: first.bodyJson, receiptSignature };
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
  const first = submission.version === 1 ? submission : await asFirstVersion(db, submission, signer);
  return {
    id: first.id,
    receiptNumber: first.receiptNumber,
    submittedAt: first.createdAt,
    status: INITIAL_SUBMISSION_STATUS,
    bodySha256: first.bodySha256,
    receipt: await receiptOf(db, first, signer),
  };
}

/** The answer to POST …/versions, built from the stored version: a replay repeats it exactly. */
export function versionAnswerOf(
  receiptNumber: string,
  version: SubmissionVersion & { receiptSignature: ReceiptSignature },
  status: SubmissionStatus,
): VersionReceipt {
  const receipt = versionReceiptOf(receiptNumber, version);
  return {
    id: version.submissionId,
    receiptNumber,
    submittedAt: version.createdAt,
    status,
    bodySha256: version.bodySha256,
    receipt,
    version: version.version,
  };
}
