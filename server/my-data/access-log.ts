/**
 * 谁查看了我的申请: from the audit, every time someone other than the person read or decided on one of
 * their applications — told by role and organisation, never by a staff member's name or id.
 */
import type { Kysely } from 'kysely';
import { type AccessEntry, type AccessRole, accessActionLabel, accessRoleLabels } from '../../shared/api/my-data.ts';
import { type AuditEntry, listAuditForSubject } from '../db/audit-log-store.ts';
import type { Database } from '../db/schema.ts';

const NAMED_ROLES: readonly string[] = ['reviewer', 'admin', 'employer', 'token'];

/** The role an entry is told by; entries from before roles were kept say only staff or machine. */
function roleOf(entry: AuditEntry): AccessRole | undefined {
  if (entry.actorRole && NAMED_ROLES.includes(entry.actorRole)) return entry.actorRole as AccessRole;
  if (entry.actorRole !== null) return undefined;
  if (entry.actor.startsWith('token:')) return 'token';
  return entry.actor.startsWith('staff:') ? 'staff' : undefined;
}

/** Newest first, over all the given applications. */
export async function accessLogOf(
  db: Kysely<Database>,
  applications: readonly { id: string; receiptNumber: string }[],
): Promise<AccessEntry[]> {
  const perApplication = await Promise.all(
    applications.map(async ({ id, receiptNumber }) =>
      (await listAuditForSubject(db, `submission:${id}`)).flatMap((entry): AccessEntry[] => {
        const role = roleOf(entry);
        if (!role) return [];
        return [
          {
            at: entry.at,
            role,
            roleLabel: accessRoleLabels[role],
            organisation: entry.organisation,
            action: entry.action,
            actionLabel: accessActionLabel(entry.action),
            submissionId: id,
            receiptNumber,
          },
        ];
      }),
    ),
  );
  return perApplication.flat().sort((a, b) => b.at.localeCompare(a.at));
}
