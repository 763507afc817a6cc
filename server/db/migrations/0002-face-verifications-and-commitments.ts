import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Only the verifier's verdict and its reference are kept: never a face image (PIPL).
  await db.schema
    .createTable('face_verifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('verified_at', 'text', (c) => c.notNull())
    .addCheckConstraint('face_verifications_result_check', sql`result in ('pass', 'fail')`)
    .execute();
  await db.schema
    .createIndex('face_verifications_account_id_index')
    .on('face_verifications')
    .columns(['account_id', 'verified_at'])
    .execute();

  // The commitment a person accepted: which version of the text, its exact SHA-256, and when.
  for (const column of ['commitment_version', 'commitment_sha256', 'committed_at']) {
    await db.schema.alterTable('submissions').addColumn(column, 'text').execute();
  }
}
