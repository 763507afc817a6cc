import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AttachmentKind, Database } from './schema.ts';

export interface AttachmentInfo {
  sha256: string;
  accountId: string;
  kind: AttachmentKind;
  mime: string;
  size: number;
  createdAt: string;
}

export interface Attachment extends AttachmentInfo {
  bytes: Uint8Array;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

// better-sqlite3 binds only Buffers as blobs; a plain Uint8Array would be rejected.
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const INFO_COLUMNS = ['sha256', 'account_id', 'kind', 'mime', 'size', 'created_at'] as const;

function toInfo(row: {
  sha256: string;
  account_id: string;
  kind: AttachmentKind;
  mime: string;
  size: number;
  created_at: string;
}): AttachmentInfo {
  return {
    sha256: row.sha256,
    accountId: row.account_id,
    kind: row.kind,
    mime: row.mime,
    size: Number(row.size),
    createdAt: row.created_at,
  };
}

/**
 * Stores already re-encoded bytes under their SHA-256. Storing the same bytes again (an upload retry)
 * writes nothing and returns the stored row with `created: false`; the caller should check that
 * its `accountId` is the uploader's before handing it out.
 */
export async function putAttachment(
  db: Kysely<Database>,
  input: { accountId: string; kind: AttachmentKind; mime: string; bytes: Uint8Array; now?: Date },
): Promise<{ created: boolean; attachment: AttachmentInfo }> {
  const sha256 = sha256Hex(input.bytes);
  const inserted = await db
    .insertInto('attachments')
    .values({
      sha256,
      account_id: input.accountId,
      kind: input.kind,
      mime: input.mime,
      bytes: asBuffer(input.bytes),
      size: input.bytes.byteLength,
      created_at: (input.now ?? new Date()).toISOString(),
    })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .returning(INFO_COLUMNS)
    .executeTakeFirst();
  if (inserted) return { created: true, attachment: toInfo(inserted) };
  const existing = await db.selectFrom('attachments').select(INFO_COLUMNS).where('sha256', '=', sha256).executeTakeFirstOrThrow();
  return { created: false, attachment: toInfo(existing) };
}

export async function getAttachment(db: Kysely<Database>, sha256: string): Promise<Attachment | undefined> {
  const row = await db.selectFrom('attachments').selectAll().where('sha256', '=', sha256).executeTakeFirst();
  return row && { ...toInfo(row), bytes: row.bytes };
}
