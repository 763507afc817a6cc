import { createHash, randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { CodeLists } from '../../shared/code-lists.ts';
import { createSubmitSchema } from '../../shared/application-schema.ts';
import { canonicalJson } from '../../shared/canonical-json.ts';
import { commitmentPlainText } from '../../shared/commitment.ts';
import type { SignedReceipt } from '../../shared/receipt-signature.ts';
import { submissionStatusLabel } from '../../shared/submission-status.ts';
import type { SignedIn } from '../accounts/session.ts';
import { requireAccount } from '../accounts/session.ts';
import { appendAudit } from '../db/audit-log-store.ts';
import type { Storage } from '../db/database.ts';
import { latestPassedVerification } from '../db/face-verifications-store.ts';
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from '../db/idempotency-store.ts';
import type { Database } from '../db/schema.ts';
import { DuplicateError } from '../db/storage-errors.ts';
import type { Submission } from '../db/submissions-store.ts';
import {
  INITIAL_SUBMISSION_STATUS,
  addReceiptSignature,
  bodySha256,
  findSubmissionById,
  findSubmissionByIdempotencyKey,
  insertSubmission,
  listSubmissionsForAccount,
} from '../db/submissions-store.ts';
import { errorResponse, messages } from '../http/errors.ts';
import { readJson } from '../http/json-body.ts';
import { type ReceiptSigner, type ReceiptSignerSource, loadReceiptSigner, receiptSignerResolver } from '../receipts/receipt-signer.ts';
import { newReceiptNumber } from './receipt-number.ts';
import { checkAgainstRecords } from './submission-checks.ts';
import type { Kysely } from 'kysely';

export const submissionMessages = {
  missingKey: '缺少 Idempotency-Key 请求头',
  badKey: 'Idempotency-Key 请求头应为 UUID',
  keyReused: '该 Idempotency-Key 已用于另一份申请',
  inFlight: '该申请正在提交中，请稍后查看结果',
  faceRequired: '请先完成人脸识别',
  notFound: '未找到该申请',
} as const;

/** What POST answers, the first time and on every replay of the same key and body. */
export interface SubmissionReceipt {
  id: string;
  receiptNumber: string;
  submittedAt: string;
  status: string;
  bodySha256: string;
  /** The same facts, signed by the server (Ed25519): the person's proof, checkable offline. */
  receipt: SignedReceipt;
}

export interface SubmissionSummary {
  id: string;
  receiptNumber: string;
  submittedAt: string;
  status: string;
  statusLabel: string;
}

export interface SubmissionRoutesOptions {
  /** The clock; tests pin it. */
  now?: () => Date;
  /** The deployment's code lists (its own 专业 list, say). */
  codeLists?: CodeLists;
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

export const FACE_VERIFICATION_MAX_AGE_MS = 24 * 60 * 60 * 1000;
export const SUBMISSION_LOCK_MS = 30_000;
/** Seconds a client is asked to wait (Retry-After) while the same key is in flight. */
export const IN_FLIGHT_RETRY_AFTER_SECONDS = 2;
const RECEIPT_NUMBER_ATTEMPTS = 5;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The answer is rebuilt from the stored row with its stored signature. `status` is the status at
 * acceptance, not today's: a replay must repeat the first answer exactly even after staff have moved
 * the case on (GET shows the current status).
 */
function answerOf(submission: Submission, receipt: SignedReceipt): SubmissionReceipt {
  return {
    id: submission.id,
    receiptNumber: submission.receiptNumber,
    submittedAt: submission.createdAt,
    status: INITIAL_SUBMISSION_STATUS,
    bodySha256: submission.bodySha256,
    receipt,
  };
}

/** The receipt as issued; a row from before receipts were signed gets its signature now, once. */
async function receiptOf(db: Kysely<Database>, submission: Submission, signer: () => Promise<ReceiptSigner>): Promise<SignedReceipt> {
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

function summaryOf(submission: Submission): SubmissionSummary {
  return {
    id: submission.id,
    receiptNumber: submission.receiptNumber,
    submittedAt: submission.createdAt,
    status: submission.status,
    statusLabel: submissionStatusLabel(submission.status),
  };
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * /api/submissions: an application is accepted exactly once per Idempotency-Key, across processes
 * and server instances, with nothing held in memory:
 *
 * 1. The key is claimed in the database (idempotency_keys) before any work. A key still in flight
 *    answers 409 (Retry-After); one whose holder died is taken over once its lock runs out; a
 *    finished one replays its stored answer (200) or, for another account or body, answers 422.
 * 2. The submission row, its audit entry and the key's 'done' answer commit in one transaction, so a
 *    crash leaves either nothing or a submission with its answer.
 * 3. A refused request (face check, record checks) releases the claim: the person fixes and resends
 *    under the same key. The unique constraint on submissions.idempotency_key stays the last guard.
 */
export function submissionRoutes(storage: Storage, options: SubmissionRoutesOptions = {}) {
  const now = options.now ?? (() => new Date());
  const faceMaxAge = options.faceVerificationMaxAgeMs ?? FACE_VERIFICATION_MAX_AGE_MS;
  const drawReceiptNumber = options.receiptNumber ?? newReceiptNumber;
  const lockMs = options.lockMs ?? SUBMISSION_LOCK_MS;
  const { db } = storage;
  const signer = receiptSignerResolver(options.receiptSigner ?? (() => loadReceiptSigner(db)));

  /** Same key as an existing submission: its answer if it is the same person and body, else 422 revealing nothing. */
  function answerRepeat(c: Context<SignedIn>, answer: SubmissionReceipt, owner: string, bodyHash: string) {
    if (owner !== c.get('account').id || answer.bodySha256 !== bodyHash) {
      return errorResponse(c, 422, submissionMessages.keyReused);
    }
    return c.json(answer, 200);
  }

  /**
   * Marks the key done with an answer rebuilt from a submission that is already stored: one stored
   * before idempotency_keys existed, or one a takeover's loser finds its rival stored.
   */
  async function settleWithExisting(trx: Kysely<Database>, key: string, existing: Submission) {
    const answer = answerOf(existing, await receiptOf(trx, existing, signer));
    await completeIdempotencyKey(trx, {
      key,
      accountId: existing.accountId,
      bodySha256: existing.bodySha256,
      response: { status: 201, body: answer },
    });
    return answer;
  }

  return new Hono<SignedIn>()
    .use('*', async (c, next) => {
      // Applications carry personal data: no HTTP cache, shared or private, may keep them.
      c.header('Cache-Control', 'no-store');
      await next();
    })
    .use('*', requireAccount(storage))
    .post('/', async (c) => {
      const rawKey = c.req.header('idempotency-key')?.trim();
      if (!rawKey) return errorResponse(c, 400, submissionMessages.missingKey);
      if (!UUID.test(rawKey)) return errorResponse(c, 400, submissionMessages.badKey);
      const key = rawKey.toLowerCase();
      const account = c.get('account');

      // A retry is judged by the rules of the day of its first acceptance, so crossing midnight (or a
      // birthday) between the attempts cannot turn a replay into a rejection.
      const earlier = await findSubmissionByIdempotencyKey(db, key);
      const schema = createSubmitSchema({
        today: earlier ? new Date(earlier.createdAt) : now(),
        codeLists: options.codeLists,
      });
      const parsed = await readJson(c, schema);
      if (!parsed.ok) return parsed.response;
      const application = parsed.value;
      const bodyJson = canonicalJson(application);
      const bodyHash = bodySha256(bodyJson);

      const claim = await claimIdempotencyKey(db, { key, accountId: account.id, bodySha256: bodyHash, lockMs, now: now() });
      if (claim.outcome === 'in-flight') {
        c.header('Retry-After', String(IN_FLIGHT_RETRY_AFTER_SECONDS));
        return errorResponse(c, 409, submissionMessages.inFlight);
      }
      if (claim.outcome === 'done') {
        if (claim.accountId !== account.id || claim.bodySha256 !== bodyHash) {
          return errorResponse(c, 422, submissionMessages.keyReused);
        }
        return c.json(claim.response.body as SubmissionReceipt, 200);
      }

      const release = () => releaseIdempotencyKey(db, key, claim.claimId);
      try {
        if (earlier) {
          const answer = await db.transaction().execute((trx) => settleWithExisting(trx, key, earlier));
          return answerRepeat(c, answer, earlier.accountId, bodyHash);
        }

        const at = now();
        if (!(await latestPassedVerification(db, account.id, new Date(at.getTime() - faceMaxAge)))) {
          await release();
          return errorResponse(c, 403, submissionMessages.faceRequired);
        }
        const issues = await checkAgainstRecords(db, account, application);
        if (issues.length > 0) {
          await release();
          return errorResponse(c, 422, messages.invalid, issues);
        }

        const commitment = {
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
        const receiptSigner = await signer();

        for (let attempt = 1; ; attempt++) {
          try {
            const id = randomUUID();
            const receiptNumber = drawReceiptNumber(at);
            // Signed before the insert, from the very values stored, so the row never lacks it.
            const { keyId, signature } = receiptSigner.sign({
              receiptNumber,
              submissionId: id,
              submittedAt: at.toISOString(),
              bodySha256: bodyHash,
            });
            // The row, its audit entry and the key's answer commit together or not at all.
            const result = await db.transaction().execute(async (trx) => {
              const inserted = await insertSubmission(trx, {
                id,
                receiptNumber,
                accountId: account.id,
                idempotencyKey: key,
                bodyJson,
                commitment,
                receiptSignature: { keyId, signature },
                now: at,
              });
              if (!inserted.created) {
                // A request that took our expired claim over stored it first; it answered already.
                const answer = await settleWithExisting(trx, key, inserted.submission);
                return { created: false as const, answer, owner: inserted.submission.accountId };
              }
              await appendAudit(trx, {
                actor: `account:${account.id}`,
                action: 'submission.submit',
                subject: `submission:${id}`,
                now: at,
              });
              const answer = answerOf(inserted.submission, await receiptOf(trx, inserted.submission, signer));
              await completeIdempotencyKey(trx, {
                key,
                accountId: account.id,
                bodySha256: bodyHash,
                response: { status: 201, body: answer },
                now: at,
              });
              return { created: true as const, answer };
            });
            if (!result.created) return answerRepeat(c, result.answer, result.owner, bodyHash);
            c.header('Location', `/api/submissions/${result.answer.id}`);
            return c.json(result.answer, 201);
          } catch (err) {
            // Only a receipt number (or id) clash lands here; the key's own conflict is not an error.
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
    })
    .get('/', async (c) => {
      const submissions = await listSubmissionsForAccount(db, c.get('account').id);
      return c.json({ submissions: submissions.map(summaryOf) }, 200);
    })
    .get('/:id', async (c) => {
      const submission = await findSubmissionById(db, c.req.param('id'));
      // Someone else's submission is answered exactly like a missing one.
      if (!submission || submission.accountId !== c.get('account').id) {
        return errorResponse(c, 404, submissionMessages.notFound);
      }
      return c.json(
        {
          ...summaryOf(submission),
          bodySha256: submission.bodySha256,
          commitment: submission.commitment,
          receipt: await receiptOf(db, submission, signer),
          application: JSON.parse(submission.bodyJson) as Record<string, unknown>,
        },
        200,
      );
    });
}
