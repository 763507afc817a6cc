import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { CodeLists } from '../../shared/code-lists.ts';
import { createSubmitSchema } from '../../shared/application-schema.ts';
import { commitmentPlainText } from '../../shared/commitment.ts';
import { submissionStatusLabel } from '../../shared/submission-status.ts';
import type { SignedIn } from '../accounts/session.ts';
import { requireAccount } from '../accounts/session.ts';
import { appendAudit } from '../db/audit-log-store.ts';
import type { Storage } from '../db/database.ts';
import { latestPassedVerification } from '../db/face-verifications-store.ts';
import { DuplicateError } from '../db/storage-errors.ts';
import type { Submission } from '../db/submissions-store.ts';
import {
  INITIAL_SUBMISSION_STATUS,
  bodySha256,
  findSubmissionById,
  findSubmissionByIdempotencyKey,
  insertSubmission,
  listSubmissionsForAccount,
} from '../db/submissions-store.ts';
import { errorResponse, messages } from '../http/errors.ts';
import { readJson } from '../http/json-body.ts';
import { canonicalJson } from './canonical-json.ts';
import { newReceiptNumber } from './receipt-number.ts';
import { checkAgainstRecords } from './submission-checks.ts';

export const submissionMessages = {
  missingKey: '缺少 Idempotency-Key 请求头',
  badKey: 'Idempotency-Key 请求头应为 UUID',
  keyReused: '该 Idempotency-Key 已用于另一份申请',
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
}

export const FACE_VERIFICATION_MAX_AGE_MS = 24 * 60 * 60 * 1000;
const RECEIPT_NUMBER_ATTEMPTS = 5;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The receipt is rebuilt from the stored row. `status` is the status at acceptance, not today's: a
 * replay must repeat the first answer byte for byte even after staff have moved the case on
 * (GET shows the current status).
 */
function receiptOf(submission: Submission): SubmissionReceipt {
  return {
    id: submission.id,
    receiptNumber: submission.receiptNumber,
    submittedAt: submission.createdAt,
    status: INITIAL_SUBMISSION_STATUS,
    bodySha256: submission.bodySha256,
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
 * /api/submissions: an application is accepted exactly once per Idempotency-Key.
 *
 * The unique constraint on the key decides, across processes and server instances; there is no lock
 * in memory. A request that races an identical one still in flight does not get 409: its insert
 * waits for (PostgreSQL) or follows (SQLite) the winner's single statement, finds the row and answers
 * with the replay (200, same body), which is what a retrying client wants anyway.
 */
export function submissionRoutes(storage: Storage, options: SubmissionRoutesOptions = {}) {
  const now = options.now ?? (() => new Date());
  const faceMaxAge = options.faceVerificationMaxAgeMs ?? FACE_VERIFICATION_MAX_AGE_MS;
  const drawReceiptNumber = options.receiptNumber ?? newReceiptNumber;
  const { db } = storage;

  /** Same key again: the first answer if it is the same person and body, else 422 revealing nothing. */
  function answerRepeat(c: Context<SignedIn>, existing: Submission, bodyHash: string) {
    if (existing.accountId !== c.get('account').id || existing.bodySha256 !== bodyHash) {
      return errorResponse(c, 422, submissionMessages.keyReused);
    }
    return c.json(receiptOf(existing), 200);
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
      if (earlier) return answerRepeat(c, earlier, bodySha256(bodyJson));

      const at = now();
      if (!(await latestPassedVerification(db, account.id, new Date(at.getTime() - faceMaxAge)))) {
        return errorResponse(c, 403, submissionMessages.faceRequired);
      }
      const issues = await checkAgainstRecords(db, account, application);
      if (issues.length > 0) return errorResponse(c, 422, messages.invalid, issues);

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

      for (let attempt = 1; ; attempt++) {
        try {
          // The audit entry commits with the row or not at all.
          const result = await db.transaction().execute(async (trx) => {
            const inserted = await insertSubmission(trx, {
              receiptNumber: drawReceiptNumber(at),
              accountId: account.id,
              idempotencyKey: key,
              bodyJson,
              commitment,
              now: at,
            });
            if (inserted.created) {
              await appendAudit(trx, {
                actor: `account:${account.id}`,
                action: 'submission.submit',
                subject: `submission:${inserted.submission.id}`,
                now: at,
              });
            }
            return inserted;
          });
          if (!result.created) return answerRepeat(c, result.submission, bodySha256(bodyJson));
          c.header('Location', `/api/submissions/${result.submission.id}`);
          return c.json(receiptOf(result.submission), 201);
        } catch (err) {
          // Only a receipt number (or id) clash lands here; the key's own conflict is not an error.
          if (err instanceof DuplicateError && attempt < RECEIPT_NUMBER_ATTEMPTS) continue;
          throw err;
        }
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
          application: JSON.parse(submission.bodyJson) as Record<string, unknown>,
        },
        200,
      );
    });
}
