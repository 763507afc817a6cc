/** What staff and employers read of an application: queue lines, the full detail, its pictures. */
import type { AttachmentKind } from '../../shared/api/attachments.ts';
import type { EmployerItem, HistoryEntry, QueueItem, StaffSubmissionDetail } from '../../shared/api/review.ts';
import { availableSteps } from '../../shared/review/workflow.ts';
import type { ReviewDecision } from '../../shared/review/workflow.ts';
import type { HolidayCalendar } from '../../shared/review/working-days.ts';
import { type SubmissionStatus, submissionStatusLabel } from '../../shared/submission-status.ts';
import type { StoredAttachment } from '../attachments/attachment.ts';
import { getAttachment } from '../db/attachments-store.ts';
import type { Storage } from '../db/database.ts';
import { findSubmissionById } from '../db/submissions-store.ts';
import { findSubmissionVersion, listSubmissionVersions } from '../db/submission-versions-store.ts';
import { historyOf, type SubmissionEvent } from '../feed/submission-events.ts';
import { currentDeadline, type DatedEvent, deadlinesOf, periodStartsOf } from './deadlines.ts';

/** The parts of a stored application the views show; older bodies may lack any of them. */
interface ApplicationParts {
  name?: string;
  idNumber?: string;
  enterprise?: { uscc?: string; name?: string; province?: string };
  specialty1?: string;
  specialty2?: string;
  photo?: string;
  signature?: string;
}

/** The columns every view starts from. */
export interface SubmissionRowView {
  id: string;
  receiptNumber: string;
  createdAt: string;
  status: SubmissionStatus;
  version: number;
  bodyJson: string;
}

function partsOf(bodyJson: string): ApplicationParts {
  return JSON.parse(bodyJson) as ApplicationParts;
}

function specialtiesOf(parts: ApplicationParts): string[] {
  return [parts.specialty1, parts.specialty2].filter((code): code is string => typeof code === 'string' && code !== '');
}

function summaryOf(row: SubmissionRowView) {
  const parts = partsOf(row.bodyJson);
  return {
    id: row.id,
    receiptNumber: row.receiptNumber,
    submittedAt: row.createdAt,
    status: row.status,
    statusLabel: submissionStatusLabel(row.status),
    version: row.version,
    name: parts.name ?? '',
    idNumber: parts.idNumber ?? '',
    enterprise: { uscc: parts.enterprise?.uscc ?? null, name: parts.enterprise?.name ?? '', province: parts.enterprise?.province ?? '' },
    specialties: specialtiesOf(parts),
  };
}

/** One line of the queue, with the period running now. */
export function queueItemOf(row: SubmissionRowView, history: readonly DatedEvent[], calendar: HolidayCalendar, now: Date): QueueItem {
  const deadlines = deadlinesOf(periodStartsOf(history, row.version, row.createdAt), row.status, calendar, now);
  return { ...summaryOf(row), deadline: currentDeadline(deadlines) };
}

export function employerItemOf(row: SubmissionRowView): EmployerItem {
  const { enterprise: _enterprise, ...summary } = summaryOf(row);
  return { ...summary, canConfirm: availableSteps(row.status, 'employer').length > 0 };
}

/** Where staff fetch a version's picture. */
export function attachmentLink(id: string, kind: AttachmentKind, version: number): string {
  return `/api/staff/submissions/${encodeURIComponent(id)}/attachments/${kind}?version=${version}`;
}

function linksOf(id: string, version: number) {
  return { photo: attachmentLink(id, 'photo', version), signature: attachmentLink(id, 'signature', version) };
}

function historyEntryOf(event: SubmissionEvent): HistoryEntry {
  return {
    seq: event.seq,
    version: event.version,
    kind: event.kind,
    status: event.status,
    statusLabel: submissionStatusLabel(event.status),
    actor: event.actor,
    at: event.at,
    ...(event.detail?.reason === undefined ? {} : { reason: event.detail.reason }),
    ...(event.detail?.corrections === undefined ? {} : { corrections: event.detail.corrections }),
  };
}

/** Everything staff see of one application; undefined when there is none with this id. */
export async function staffDetail(
  storage: Storage,
  id: string,
  calendar: HolidayCalendar,
  now: Date,
): Promise<StaffSubmissionDetail | undefined> {
  const submission = await findSubmissionById(storage.db, id);
  if (!submission) return undefined;
  const row: SubmissionRowView = { ...submission, bodyJson: submission.bodyJson };
  const [versions, history] = await Promise.all([listSubmissionVersions(storage.db, id), historyOf(storage.db, id)]);
  return {
    ...summaryOf(row),
    bodySha256: submission.bodySha256,
    application: JSON.parse(submission.bodyJson) as Record<string, unknown>,
    attachments: linksOf(id, submission.version),
    versions: versions.map((version) => ({
      version: version.version,
      submittedAt: version.createdAt,
      bodySha256: version.bodySha256,
      application: JSON.parse(version.bodyJson) as Record<string, unknown>,
      attachments: linksOf(id, version.version),
    })),
    history: history.map(historyEntryOf),
    deadlines: deadlinesOf(periodStartsOf(history, submission.version, submission.createdAt), submission.status, calendar, now),
    availableDecisions: availableSteps(submission.status, 'reviewer').map((step) => step.action as ReviewDecision),
  };
}

/** A version's photo or signature, as the applicant's account stored it; undefined when there is none. */
export async function submissionAttachment(
  storage: Storage,
  id: string,
  kind: AttachmentKind,
  version: number | undefined,
): Promise<StoredAttachment | undefined> {
  const submission = await findSubmissionById(storage.db, id);
  if (!submission) return undefined;
  const stored = await findSubmissionVersion(storage.db, id, version ?? submission.version);
  if (!stored) return undefined;
  const attachmentId = partsOf(stored.bodyJson)[kind];
  if (typeof attachmentId !== 'string') return undefined;
  const attachment = await getAttachment(storage.db, submission.accountId, attachmentId);
  return attachment?.kind === kind ? attachment : undefined;
}
