/**
 * 我的信息 (PIPL Arts. 44–45): everything the service keeps about one person, as one answer that is
 * also their download. Reading it is itself written to the audit.
 */
import type { MyApplication, MyData } from '../../shared/api/my-data.ts';
import { submissionStatusLabel } from '../../shared/submission-status.ts';
import type { Account } from '../accounts/account.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Storage } from '../db/database.ts';
import { listSubmissionsForAccount } from '../db/submissions-store.ts';
import { listSubmissionVersions } from '../db/submission-versions-store.ts';
import { historyOf } from '../feed/submission-events.ts';
import { listNoticesFor } from '../notices/notice-outbox.ts';
import type { Submission } from '../submissions/submission.ts';
import { accessLogOf } from './access-log.ts';
import { faceChecksOf } from './personal-records.ts';

async function applicationOf(storage: Storage, submission: Submission): Promise<MyApplication> {
  const [versions, history] = await Promise.all([listSubmissionVersions(storage.db, submission.id), historyOf(storage.db, submission.id)]);
  return {
    id: submission.id,
    receiptNumber: submission.receiptNumber,
    status: submission.status,
    statusLabel: submissionStatusLabel(submission.status),
    submittedAt: submission.createdAt,
    versions: versions.map((version) => ({
      version: version.version,
      submittedAt: version.createdAt,
      bodySha256: version.bodySha256,
      application: JSON.parse(version.bodyJson) as Record<string, unknown>,
    })),
    // Who took each step stays out: the actor of a staff step is a staff id.
    history: history.map((event) => ({
      status: event.status,
      statusLabel: submissionStatusLabel(event.status),
      at: event.at,
      version: event.version,
      ...(event.detail?.reason === undefined ? {} : { reason: event.detail.reason }),
    })),
  };
}

/** The person's own applications with every version and step, newest first. */
export async function applicationsOf(storage: Storage, accountId: string): Promise<MyApplication[]> {
  const submissions = await listSubmissionsForAccount(storage.db, accountId);
  return Promise.all(submissions.map((submission) => applicationOf(storage, submission)));
}

/** Collects it all for the signed-in `account` and records the read. */
export async function readMyData(storage: Storage, account: Account, request: { address: string; now: Date }): Promise<MyData> {
  const [applications, faceChecks, notices] = await Promise.all([
    applicationsOf(storage, account.id),
    faceChecksOf(storage.db, account.id),
    listNoticesFor(storage.db, account.id),
  ]);
  const accessLog = await accessLogOf(storage.db, applications);
  await recordAudit(storage.db, {
    principal: { kind: 'applicant', accountId: account.id },
    action: 'account.data-read',
    subject: `account:${account.id}`,
    address: request.address,
    at: request.now,
  });
  return {
    exportedAt: request.now.toISOString(),
    account: { name: account.name, idNumber: account.idNumber, mobile: account.mobile, createdAt: account.createdAt },
    applications,
    faceChecks,
    notices: notices.reverse(),
    accessLog,
  };
}
