import * as v from 'valibot';
import type { ApplicationSubmission, FieldIssue } from '../../shared/application-schema.ts';
import { nameSchema } from '../../shared/field-schemas.ts';
import type { Account } from '../accounts/account.ts';
import { findAttachmentInfo } from '../db/attachments-store.ts';
import { findEnterprise } from '../db/enterprises-store.ts';
import type { Database } from '../db/schema.ts';
import type { Kysely } from 'kysely';

export const checkMessages = {
  idNumber: '证件号码与登录账号不一致',
  name: '姓名与登录账号不一致',
  enterprise: '所选企业不在企业库中，请重新选择',
  photo: '请重新上传一寸免冠照片',
  signature: '请重新上传签名',
} as const;

/** The account's name in the form the submit schema produces, so spelling of the middle dot does not matter. */
function canonicalName(name: string): string {
  const parsed = v.safeParse(nameSchema, name);
  return parsed.success ? parsed.output : name.trim();
}

/**
 * What the schema alone cannot know: the application must be the signed-in person's own, name an
 * enterprise of the directory exactly as listed, and point at attachments this account uploaded for
 * that purpose. Returns every problem at once, each naming its field; never the values.
 */
export async function checkAgainstRecords(
  db: Kysely<Database>,
  account: Account,
  application: ApplicationSubmission,
): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = [];
  if (application.idNumber !== account.idNumber.trim().toUpperCase()) {
    issues.push({ field: 'idNumber', message: checkMessages.idNumber });
  }
  if (application.name !== canonicalName(account.name)) {
    issues.push({ field: 'name', message: checkMessages.name });
  }

  // The name is compared too: the commitment text names the employer, and it must be the directory's.
  const enterprise = await findEnterprise(db, application.enterprise.uscc);
  if (!enterprise || enterprise.name !== application.enterprise.name) {
    issues.push({ field: 'enterprise.name', message: checkMessages.enterprise });
  }

  for (const kind of ['photo', 'signature'] as const) {
    // Looked up among this account's uploads only: someone else's looks exactly like a missing one.
    const attachment = await findAttachmentInfo(db, account.id, application[kind]);
    if (!attachment || attachment.accountId !== account.id || attachment.kind !== kind) {
      issues.push({ field: kind, message: checkMessages[kind] });
    }
  }
  return issues;
}
