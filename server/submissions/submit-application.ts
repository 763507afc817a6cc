import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { FieldIssue } from '../../shared/api/errors.ts';
import type { SubmissionReceipt } from '../../shared/api/submissions.ts';
import type { ApplicationSubmission } from '../../shared/application-schema.ts';
import { commitmentPlainText } from '../../shared/commitment.ts';
import type { Account } from '../accounts/account.ts';
import { recordAudit } from '../audit/audit.ts';
import { sha256Hex } from '../crypto/sha256.ts';
import type { Storage } from '../db/database.ts';
import { latestPassedVerification } from '../db/face-verifications-store.ts';
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from '../db/idempotency-store.ts';
import type { Database } from '../db/schema.ts';
import { DuplicateError } from '../db/storage-errors.ts';
import { insertSubmissionVersion, findVersionByIdempotencyKey } from '../db/submission-versions-store.ts';
import { findSubmissionByIdempotencyKey, insertSubmission } from '../db/submissions-store.ts';
import { recordEvent } from '../feed/submission-events.ts';
import { enqueueNotice } from '../notices/notice-outbox.ts';
import { type ReceiptSigner, type ReceiptSignerSource, loadReceiptSigner, receiptSignerResolver } from '../receipts/receipt-signer.ts';
import { answerOf } from './issued-receipt.ts';
import { newReceiptNumber } from './receipt-number.ts';
import { checkAgainstRecords } from './submission-checks.ts';
import {
  INITIAL_SUBMISSION_STATUS,
  type Submission,
  type SubmissionBody,
  type SubmissionCommitment,
  submissionBody,
} from './submission.ts';

export const FACE_VERIFICATION_MAX_AGE_MS = 24 * 60 * 60 * 1000;
export const SUBMISSION_LOCK_MS = 30_000;
const RECEIPT_NUMBER_ATTEMPTS = 5;

export interface SubmissionOptions {
  /** The clock; tests pin it. */
  now?: () => Date;
  /** How long a passed face check allows submitting; 24 h by default. */
  faceVerificationMaxAgeMs?: number;
  /** Draws a receipt number; tests force clashes through it. */
  receiptNumber?: (at: Date) => string;
  /** Signs receipts; by default the key kept in the database, loaded on first use. */
  receiptSigner?: ReceiptSignerSource;
  /**
   * How long a request holds its Idempotency-Key; past it, a retry takes the key over (the holder
   * is presumed dead). 30 s by default (SUBMISSION_LOCK_SECONDS).
   */
  lockMs?: number;
}

/** What every submission of one server shares: its database, clock, signer and limits. */
export interface SubmissionContext {
  db: Kysely<Database>;
  now: () => Date;
  signer: () => Promise<ReceiptSigner>;
  faceVerificationMaxAgeMs: number;
  drawReceiptNumber: (at: Date) => string;
  lockMs: number;
}

export function submissionContext(storage: Storage, options: SubmissionOptions = {}): SubmissionContext {
  const { db } = storage;
  return {
    db,
    now: options.now ?? (() => new Date()),
    signer: receiptSignerResolver(options.receiptSigner ?? (() => loadReceiptSigner(db))),
    faceVerificationMaxAgeMs: options.faceVerificationMaxAgeMs ?? FACE_VERIFICATION_MAX_AGE_MS,
    drawReceiptNumber: options.receiptNumber ?? newReceiptNumber,
    lockMs: options.lockMs ?? SUBMISSION_LOCK_MS,
  };
}

export interface SubmitRequest {
  account: Account;
  /** The Idempotency-Key, lower case. */
  key: string;
  /** Validated by the submit schema as of `judgementDay(key)`. */
  application: ApplicationSubmission;
  /** The client's address, for the audit entry. */
  address?: string;
}

export type SubmitResult =
  /** Accepted now: the first answer. */
  | { kind: 'created'; receipt: SubmissionReceipt }
  /** Accepted before under this key, for this person and body: the first answer again. */
  | { kind: 'replayed'; receipt: SubmissionReceipt }
  /** Another request holds the key and is still working on it. */
  | { kind: 'in-flight' }
  /** The key belongs to another body or another person; nothing about theirs is told. */
  | { kind: 'key-reused' }
  /** No passed face check recent enough. */
  | { kind: 'face-required' }
  /** Well-formed, but at odds with the records (account, directory, uploads). */
  | { kind: 'invalid'; issues: FieldIssue[] };

/**
 * The day an application (or a version of it) under `key` is judged by: the day of its first
 * acceptance for a retry, so crossing midnight (or a birthday) between the attempts cannot turn a
 * replay into a rejection; now for a new key.
 */
export async function judgementDay(context: SubmissionContext, key: string): Promise<Date> {
  const earlier = await findVersionByIdempotencyKey(context.db, key);
  return earlier ? new Date(earlier.createdAt) : context.now();
}

/** A repeat of an accepted submission: its answer if it is the same person and body, else nothing. */
function repeatOf(answer: SubmissionReceipt, owner: string, request: SubmitRequest, body: SubmissionBody): SubmitResult {
  if (owner !== request.account.id || answer.bodySha256 !== body.sha256) return { kind: 'key-reused' };
  return { kind: 'replayed', receipt: answer };
}

/**
 * Marks the key done with an answer rebuilt from a submission that is already stored: one stored
 * before idempotency_keys existed, or one a takeover's loser finds its rival stored.
 */
async function settleWithExisting(context: SubmissionContext, trx: Kysely<Database>, key: string, existing: Submission) {
  const answer = await answerOf(trx, existing, context.signer);
  await completeIdempotencyKey(trx, {
    key,
    accountId: existing.accountId,
    bodySha256: existing.bodySha256,
    response: { status: 201, body: answer },
  });
  return answer;
}

/** The commitment text the person accepted, pinned by its exact SHA-256 (it names them and the employer). */
export function commitmentOf(application: ApplicationSubmission): SubmissionCommitment {
  return {
    version: application.commitment.version,
    sha256: sha256Hex(
      commitmentPlainText({
        name: application.name,
        idNumber: application.idNumber,
        mobile: application.mobile,
        employer: application.enterprise.name,
      }),
    ),
    acceptedAt: application.commitment.acceptedAt,
  };
}

/**
 * Stores the accepted application: the row, its audit entry and the key's answer commit together or
 * not at all. The receipt is signed before, from the very values stored, so the row never lacks it.
 * A receipt number (or id) clash throws DuplicateError; the key's own conflict does not.
 */
async function store(context: SubmissionContext, request: SubmitRequest, body: SubmissionBody, at: Date): Promise<SubmitResult> {
  const { account, key, application } = request;
  const id = randomUUID();
  const receiptNumber = context.drawReceiptNumber(at);
  const { keyId, signature } = (await context.signer()).sign({
    receiptNumber,
    submissionId: id,
    submittedAt: at.toISOString(),
    bodySha256: body.sha256,
  });
  return context.db.transaction().execute(async (trx) => {
    const inserted = await insertSubmission(trx, {
      id,
      receiptNumber,
      accountId: account.id,
      idempotencyKey: key,
      body,
      commitment: commitmentOf(application),
      receiptSignature: { keyId, signature },
      now: at,
    });
    if (!inserted.created) {
      // A request that took our expired claim over stored it first; it answered already.
      const answer = await settleWithExisting(context, trx, key, inserted.submission);
      return repeatOf(answer, inserted.submission.accountId, request, body);
    }
    const receiptSignature = { keyId, signature };
    await insertSubmissionVersion(trx, { submissionId: id, version: 1, idempotencyKey: key, body, receiptSignature, at });
    const principal = { kind: 'applicant', accountId: account.id } as const;
    await recordAudit(trx, { principal, action: 'submission.submit', submissionId: id, address: request.address, at });
    const answer = await answerOf(trx, inserted.submission, context.signer);
    await completeIdempotencyKey(trx, {
      key,
      accountId: account.id,
      bodySha256: body.sha256,
      response: { status: 201, body: answer },
      now: at,
    });
    await enqueueNotice(trx, { accountId: account.id, submissionId: id, event: 'received', status: INITIAL_SUBMISSION_STATUS, at });
    const actor = `account:${account.id}`;
    await recordEvent(trx, { submissionId: id, version: 1, status: INITIAL_SUBMISSION_STATUS, kind: 'submitted', actor, at });
    return { kind: 'created', receipt: answer };
  });
}

/**
 * Accepts an application exactly once per Idempotency-Key, across processes and server instances,
 * with nothing held in memory:
 *
 * 1. The key is claimed in the database (idempotency_keys) before any work. A key still in flight
 *    is 'in-flight'; one whose holder died is taken over once its lock runs out; a finished one
 *    replays its stored answer or, for another account or body, is 'key-reused'.
 * 2. The submission row, its version 1, its audit entry, the key's answer and its `submitted` event
 *    commit in one transaction, so a crash leaves either nothing or a submission with its answer.
 * 3. A refused request (face check, record checks) releases the claim: the person fixes and resends
 *    under the same key. The unique constraint on submissions.idempotency_key stays the last guard.
 */
export async function submitApplication(context: SubmissionContext, request: SubmitRequest): Promise<SubmitResult> {
  const { db } = context;
  const { account, key, application } = request;
  const body = submissionBody(application);

  const claim = await claimIdempotencyKey(db, { key, accountId: account.id, bodySha256: body.sha256, lockMs: context.lockMs, now: context.now() });
  if (claim.outcome === 'in-flight') return { kind: 'in-flight' };
  if (claim.outcome === 'done') {
    if (claim.accountId !== account.id || claim.bodySha256 !== body.sha256) return { kind: 'key-reused' };
    // Stored by this code as the first answer; repeated as it is.
    return { kind: 'replayed', receipt: claim.response.body as SubmissionReceipt };
  }

  const release = () => releaseIdempotencyKey(db, key, claim.claimId);
  try {
    const earlier = await findSubmissionByIdempotencyKey(db, key);
    if (earlier) {
      const answer = await db.transaction().execute((trx) => settleWithExisting(context, trx, key, earlier));
      return repeatOf(answer, earlier.accountId, request, body);
    }

    const at = context.now();
    if (!(await latestPassedVerification(db, account.id, new Date(at.getTime() - context.faceVerificationMaxAgeMs)))) {
      await release();
      return { kind: 'face-required' };
    }
    const issues = await checkAgainstRecords(db, account, application);
    if (issues.length > 0) {
      await release();
      return { kind: 'invalid', issues };
    }

    for (let attempt = 1; ; attempt++) {
      try {
        return await store(context, request, body, at);
      } catch (err) {
        if (err instanceof DuplicateError && attempt < RECEIPT_NUMBER_ATTEMPTS) continue;
        throw err;
      }
    }
  } catch (err) {
    // Nothing was stored (or the key is done already, which a release leaves alone): a retry
    // need not wait for the lock to run out.
    await release().catch(() => undefined);
    throw err;
  }
}
