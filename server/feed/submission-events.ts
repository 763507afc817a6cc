/**
 * What happened to each application, in commit order: the change feed and each application's history
 * are these events. Every writer of submissions.status (or of a new version) records one in the same
 * transaction, so the feed and the row never disagree.
 */
import type { Kysely } from 'kysely';
import type { Correction } from '../../shared/api/submissions.ts';
import type { SubmissionStatus } from '../../shared/submission-status.ts';
import type { Database, SubmissionEventKind } from '../db/schema.ts';
import { insertNumberedEvent, latestEventWithStatus, listEventsOf, type StoredSubmissionEvent } from '../db/submission-events-store.ts';

/** Why a step was taken: a reason (不予受理, 不予注册, a declined confirmation) or per-field notes (补正). */
export interface EventDetail {
  reason?: string;
  corrections?: Correction[];
}

export interface NewEvent {
  submissionId: string;
  /** The application's version the event concerns (the new one for a resubmission). */
  version: number;
  /** The status after the event. */
  status: SubmissionStatus;
  kind: SubmissionEventKind;
  /** `account:<id>`, `staff:<id>` or `system`. */
  actor: string;
  detail?: EventDetail;
  at: Date;
}

export interface SubmissionEvent {
  seq: number;
  submissionId: string;
  version: number;
  status: string;
  kind: SubmissionEventKind;
  actor: string;
  detail: EventDetail | null;
  at: string;
}

/**
 * Records an event and returns its seq. Must be the LAST statement of the caller's transaction: it
 * locks the feed counter until commit, so events are numbered in the order they commit (a number
 * taken earlier could commit after a later one, and a reader past it would miss it), and holding the
 * lock briefly keeps other writers from waiting long.
 */
export async function recordEvent(trx: Kysely<Database>, event: NewEvent): Promise<number> {
  const detail = event.detail && (event.detail.reason !== undefined || event.detail.corrections !== undefined) ? event.detail : undefined;
  return insertNumberedEvent(trx, {
    submissionId: event.submissionId,
    version: event.version,
    status: event.status,
    kind: event.kind,
    actor: event.actor,
    detail: detail ? JSON.stringify(detail) : null,
    at: event.at.toISOString(),
  });
}

function parsed(event: StoredSubmissionEvent): SubmissionEvent {
  // Written only by recordEvent above, as JSON of EventDetail.
  return { ...event, detail: event.detail === null ? null : (JSON.parse(event.detail) as EventDetail) };
}

/** One application's events, oldest first. */
export async function historyOf(db: Kysely<Database>, submissionId: string): Promise<SubmissionEvent[]> {
  return (await listEventsOf(db, submissionId)).map(parsed);
}

/**
 * The notes of the latest 补正 request ([] if none was ever asked). They are the ones to show while
 * the status is `correction_requested`; after a resubmission they are history.
 */
export async function latestCorrections(db: Kysely<Database>, submissionId: string): Promise<Correction[]> {
  const event = await latestEventWithStatus(db, submissionId, 'correction_requested');
  return (event && parsed(event).detail?.corrections) ?? [];
}
