import type { Kysely } from 'kysely';
import type { FieldIssue } from '../../shared/api/errors.ts';
import { submissionMessages, type VersionReceipt } from '../../shared/api/submissions.ts';
import { checkStep } from '../../shared/review/workflow.ts';
import type { SubmissionStatus } from '../../shared/submission-status.ts';
import { recordAudit } from '../audit/audit.ts';
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from '../db/idempotency-store.ts';
import type { Database } from '../db/schema.ts';
import { DuplicateError } from '../db/storage-errors.ts';
import { findVersionByIdempotencyKey, insertSubmissionVersion, type SubmissionVersion } from '../db/submission-versions-store.ts';
import { findSubmissionById, replaceCurrentVersion } from '../db/submissions-store.ts';
import { sha256Hex } from '../crypto/sha256.ts';
import { recordEvent } from '../feed/submission-events.ts';
import { enqueueNotice } from '../notices/notice-outbox.ts';
import { versionAnswerOf } from './issued-receipt.ts';
import { checkAgainstRecords } from './submission-checks.ts';
import { type Submission, submissionBody } from './submission.ts';
import { commitmentOf, type SubmissionContext, type SubmitRequest } from './submit-application.ts';

export interface ResubmitRequest extends SubmitRequest {
  submissionId: string;
}

export type ResubmitResult =
  | { kind: 'created'; receipt: VersionReceipt }
  | { kind: 'replayed'; receipt: VersionReceipt }
  | { kind: 'in-flight' }
  | { kind: 'key-reused' }
  /** Missing, or someone else's: told apart from nothing. */
  | { kind: 'not-found' }
  /** 补正 is not asked (any more): nothing to resubmit. */
  | { kind: 'not-open' }
  | { kind: 'invalid'; issues: FieldIssue[] };

/** Thrown inside the transaction to undo it: the application moved on meanwhile. */
class MovedOn extends Error {}

/**
 * What the key is claimed for: this body as a new version of this application. A key used for a
 * first submission, or for another application, never matches, so it cannot replay their answers.
 */
function claimedHash(submissionId: string, bodySha256: string): string {
  return sha256Hex(`version\n${submissionId}\n${bodySha256}`);
}

/** Where a resubmission leads (back to the reviewer), as the workflow says. */
function statusAfterResubmission(): SubmissionStatus {
  const step = checkStep('correction_requested', { by: 'applicant', action: 'resubmit' });
  if (!step.ok) throw new Error('the workflow has no resubmission');
  return step.to;
}

function signed(version: SubmissionVersion) {
  if (!version.receiptSignature) throw new Error('a resubmitted version has no receipt');
  return { ...version, receiptSignature: version.receiptSignature };
}

/** The answer for a version already stored under the key (by a rival that took the claim over). */
async function settleWithExisting(trx: Kysely<Database>, request: ResubmitRequest, version: SubmissionVersion): Promise<ResubmitResult> {
  const submission = await findSubmissionById(trx, version.submissionId);
  if (!submission) throw new Error('a version without its submission');
  const answer = versionAnswerOf(submission.receiptNumber, signed(version), statusAfterResubmission());
  const hash = claimedHash(version.submissionId, version.bodySha256);
  const response = { status: 201, body: answer };
  await completeIdempotencyKey(trx, { key: request.key, accountId: submission.accountId, bodySha256: hash, response });
  const same =
    submission.accountId === request.account.id && hash === claimedHash(request.submissionId, submissionBody(request.application).sha256);
  return same ? { kind: 'replayed', receipt: answer } : { kind: 'key-reused' };
}

/** The enterprise the employer confirmed stays: a 补正 corrects the application, it does not move it elsewhere. */
function enterpriseIssues(submission: Submission, request: ResubmitRequest): FieldIssue[] {
  const before = (JSON.parse(submission.bodyJson) as { enterprise?: { uscc?: string } }).enterprise?.uscc;
  return before === request.application.enterprise.uscc ? [] : [{ field: 'enterprise.name', message: submissionMessages.enterpriseChanged }];
}

/**
 * Accepts a corrected application as its next version, exactly once per Idempotency-Key and only while
 * 补正 is asked, as `submitApplication` accepts the first: the key is claimed in the database first;
 * the version row (unique per key and per number), the application's new current state (compare-and-set
 * on its status and version), the audit entry, the key's answer and the `resubmitted` event commit
 * together. The new version gets its own signed receipt under the same 申请编号.
 */
export async function resubmitApplication(context: SubmissionContext, request: ResubmitRequest): Promise<ResubmitResult> {
  const { db } = context;
  const { account, key, application, submissionId } = request;
  const body = submissionBody(application);
  const hash = claimedHash(submissionId, body.sha256);

  const claim = await claimIdempotencyKey(db, { key, accountId: account.id, bodySha256: hash, lockMs: context.lockMs, now: context.now() });
  if (claim.outcome === 'in-flight') return { kind: 'in-flight' };
  if (claim.outcome === 'done') {
    if (claim.accountId !== account.id || claim.bodySha256 !== hash) return { kind: 'key-reused' };
    return { kind: 'replayed', receipt: claim.response.body as VersionReceipt };
  }

  const refuse = async (result: ResubmitResult) => {
    await releaseIdempotencyKey(db, key, claim.claimId);
    return result;
  };
  try {
    const earlier = await findVersionByIdempotencyKey(db, key);
    if (earlier) return await db.transaction().execute((trx) => settleWithExisting(trx, request, earlier));

    const submission = await findSubmissionById(db, submissionId);
    if (submission?.accountId !== account.id) return await refuse({ kind: 'not-found' });
    const step = checkStep(submission.status, { by: 'applicant', action: 'resubmit' });
    if (!step.ok) return await refuse({ kind: 'not-open' });
    const issues = [...(await checkAgainstRecords(db, account, application)), ...enterpriseIssues(submission, request)];
    if (issues.length > 0) return await refuse({ kind: 'invalid', issues });

    const at = context.now();
    const version = submission.version + 1;
    const { keyId, signature } = (await context.signer()).sign({
      receiptNumber: submission.receiptNumber,
      submissionId,
      submittedAt: at.toISOString(),
      bodySha256: body.sha256,
    });
    const receiptSignature = { keyId, signature };
    return await db.transaction().execute(async (trx) => {
      const stored = { submissionId, version, idempotencyKey: key, body, receiptSignature, at };
      if (!(await insertSubmissionVersion(trx, stored))) {
        const rival = await findVersionByIdempotencyKey(trx, key);
        if (!rival) throw new Error('version vanished between insert and read');
        return settleWithExisting(trx, request, rival);
      }
      const moved = await replaceCurrentVersion(
        trx,
        submissionId,
        { status: submission.status, version: submission.version },
        { version, status: step.to, body, commitment: commitmentOf(application), receiptSignature },
      );
      if (!moved) throw new MovedOn();
      const actor = `account:${account.id}`;
      const principal = { kind: 'applicant', accountId: account.id } as const;
      await recordAudit(trx, { principal, action: 'submission.resubmit', submissionId, address: request.address, at });
      const storedVersion = { ...stored, bodySha256: body.sha256, bodyJson: body.json, createdAt: at.toISOString() };
      const answer = versionAnswerOf(submission.receiptNumber, storedVersion, step.to);
      const response = { status: 201, body: answer };
      await completeIdempotencyKey(trx, { key, accountId: account.id, bodySha256: hash, response, now: at });
      await enqueueNotice(trx, { accountId: account.id, submissionId, event: 'received', status: step.to, at });
      await recordEvent(trx, { submissionId, version, status: step.to, kind: 'resubmitted', actor, at });
      return { kind: 'created', receipt: answer } satisfies ResubmitResult;
    });
  } catch (err) {
    // Another version or a staff decision committed first: this one is no longer a resubmission of
    // an application that asks for 补正.
    if (err instanceof MovedOn || err instanceof DuplicateError) return refuse({ kind: 'not-open' });
    await releaseIdempotencyKey(db, key, claim.claimId).catch(() => undefined);
    throw err;
  }
}
