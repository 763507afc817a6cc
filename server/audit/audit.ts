/**
 * The audit of who read or changed what: one entry per sign-in, password change, token use and every
 * staff read, decision and export of an application. Written with the act, in its transaction when
 * there is one, so an act is never without its entry.
 */
import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import { clientAddress as requestClientAddress } from '../accounts/rate-limit.ts';
import { type AuditEntry, appendAudit } from '../db/audit-log-store.ts';
import type { Database } from '../db/schema.ts';
import type { StaffPrincipal } from '../staff/staff-auth.ts';

export type AuditPrincipal = StaffPrincipal | { kind: 'applicant'; accountId: string };

export interface AuditInput {
  principal: AuditPrincipal;
  /** Dotted, e.g. `staff.sign-in`, `token.use`, `submission.read`, `submission.decision`, `submissions.export`. */
  action: string;
  /** The application concerned; the subject is `submission:<id>`. */
  submissionId?: string;
  /** When there is no application: what was acted on (default `staff`). */
  subject?: string;
  address?: string;
  at?: Date;
}

/** The client address an entry records, as the rate limits count it (behind TRUSTED_PROXIES, the real client). */
export const clientAddress = requestClientAddress;

function actorOf(principal: AuditPrincipal): { actor: string; actorRole: string; organisation?: string } {
  if (principal.kind === 'applicant') return { actor: `account:${principal.accountId}`, actorRole: 'applicant' };
  if (principal.kind === 'token') return { actor: `token:${principal.id}`, actorRole: 'token', organisation: principal.name };
  return {
    actor: `staff:${principal.id}`,
    actorRole: principal.role,
    ...(principal.uscc === undefined ? {} : { organisation: principal.uscc }),
  };
}

/** Writes one entry; pass the transaction as `db` to write it with the act. */
export function recordAudit(db: Kysely<Database>, input: AuditInput): Promise<AuditEntry> {
  const subject = input.submissionId === undefined ? (input.subject ?? 'staff') : `submission:${input.submissionId}`;
  return appendAudit(db, {
    ...actorOf(input.principal),
    action: input.action,
    subject,
    ...(input.address === undefined ? {} : { address: input.address }),
    ...(input.at === undefined ? {} : { now: input.at }),
  });
}

/** recordAudit with the request's client address. */
export function recordRequestAudit(c: Context, db: Kysely<Database>, input: Omit<AuditInput, 'address'>): Promise<AuditEntry> {
  return recordAudit(db, { ...input, address: clientAddress(c) });
}
