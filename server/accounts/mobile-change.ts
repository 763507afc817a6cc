import { recordAudit } from '../audit/audit.ts';
import type { Storage } from '../db/database.ts';
import type { Account } from './account.ts';
import { hasFreshFaceCheck } from './fresh-face.ts';

export type MobileChangeOutcome = { kind: 'changed'; account: Account } | { kind: 'face-required' };

/** 更换手机号码: only right after a face check, so a borrowed session cannot redirect the notices. */
export async function changeMobile(
  storage: Storage,
  account: Account,
  mobile: string,
  requester: { address: string; now?: Date },
): Promise<MobileChangeOutcome> {
  const now = requester.now ?? new Date();
  if (!(await hasFreshFaceCheck(storage.db, account.id, now))) return { kind: 'face-required' };
  await storage.db.transaction().execute(async (trx) => {
    await trx.updateTable('accounts').set({ mobile }).where('id', '=', account.id).execute();
    await recordAudit(trx, {
      principal: { kind: 'applicant', accountId: account.id },
      action: 'account.mobile-change',
      subject: `account:${account.id}`,
      address: requester.address,
      at: now,
    });
  });
  return { kind: 'changed', account: { ...account, mobile } };
}
