import { appendAudit } from '../db/audit-log-store.ts';
import type { Storage } from '../db/database.ts';
import { recordFaceVerification } from '../db/face-verifications-store.ts';
import { errorFields, logger } from '../observability/logger.ts';
import type { FaceVerification } from './face-verification-record.ts';
import type { FaceUpload } from './face-upload.ts';
import type { FaceVerifier } from './verifier.ts';

/**
 * Asks the verifier, then records its verdict and an audit entry together. The image goes to the
 * verifier and nowhere else; 'unavailable' when the verifier itself failed (nothing is recorded).
 */
export async function runFaceVerification(
  storage: Storage,
  verifier: FaceVerifier,
  accountId: string,
  upload: FaceUpload,
): Promise<FaceVerification | 'unavailable'> {
  let outcome: Awaited<ReturnType<FaceVerifier['verify']>>;
  try {
    outcome = await verifier.verify({ image: upload.image, mime: upload.mime, accountId });
  } catch (err) {
    logger.error({ verifier: verifier.name, ...errorFields(err) }, '人脸核验服务出错');
    return 'unavailable';
  }
  const now = new Date();
  const result = outcome.passed ? 'pass' : 'fail';
  return storage.db.transaction().execute(async (trx) => {
    const recorded = await recordFaceVerification(trx, {
      accountId,
      result,
      provider: verifier.name,
      reference: outcome.reference,
      now,
    });
    // Sensitive personal information (PIPL): every check is logged, by whom and on whom.
    await appendAudit(trx, {
      actor: `account:${accountId}`,
      action: `face-verification.${result}`,
      subject: `account:${accountId}`,
      now,
    });
    return recorded;
  });
}
