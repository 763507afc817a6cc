import type { Kysely, Selectable } from 'kysely';
import type { AttachmentKind } from '../../shared/api/attachments.ts';
import type { AttachmentInfo, StoredAttachment } from '../attachments/attachment.ts';
import { sha256Hex } from '../crypto/sha256.ts';
import type { AttachmentsTable, Database } from './schema.ts';

export interface NewAttachment {
  accountId: string;
  /** SHA-256 (hex) of the uploaded bytes, already checked by the caller. */
  id: string;
  kind: AttachmentKind;
  mime: string;
  /** The re-encoded bytes that are kept. */
  bytes: Uint8Array;
  width?: number;
  height?: number;
  now?: Date;
}

// better-sqlite3 binds only Buffers as blobs; a plain Uint8Array would be rejected.
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const INFO_COLUMNS = ['account_id', 'source_sha256', 'sha256', 'kind', 'mime', 'size', 'width', 'height', 'created_at'] as const;

type InfoRow = Pick<Selectable<AttachmentsTable>, (typeof INFO_COLUMNS)[number]>;

const toNumber = (value: number | null): number | null => (value === null ? null : Number(value));

function toInfo(row: InfoRow): AttachmentInfo {
  return {
    id: row.source_sha256,
    accountId: row.account_id,
    kind: row.kind,
    mime: row.mime,
    sha256: row.sha256,
    size: Number(row.size),
    width: toNumber(row.width),
    height: toNumber(row.height),
    createdAt: row.created_at,
  };
}

/**
 * Stores an account's attachment under the hash the device computed. The same id again for the same
 * account (an upload retry, possibly from another server instance at the same moment) writes nothing
 * and returns the stored row with `created: false`: the (account_id, source_sha256) key decides.
 * Other accounts never see or collide with it.
 */
export async function putAttachment(
  db: Kysely<Database>,
  input: NewAttachment,
): Promise<{ created: boolean; attachment: AttachmentInfo }> {
  const inserted = await db
    .insertInto('attachments')
    .values({
      account_id: input.accountId,
      source_sha256: input.id,
      sha256: sha256Hex(input.bytes),
      kind: input.kind,
      mime: input.mime,
      bytes: asBuffer(input.bytes),
      size: input.bytes.byteLength,
      width: input.width ?? null,
      height: input.height ?? null,
      created_at: (input.now ?? new Date()).toISOString(),
    })
    .onConflict((oc) => oc.columns(['account_id', 'source_sha256']).doNothing())
    .returning(INFO_COLUMNS)
    .executeTakeFirst();
  if (inserted) return { created: true, attachment: toInfo(inserted) };
  const existing = await findAttachmentInfo(db, input.accountId, input.id);
  if (!existing) throw new Error('attachment vanished between insert and read');
  return { created: false, attachment: existing };
}

/** The account's attachment without its bytes (to answer HEAD, a retry, or a submission check). */
export async function findAttachmentInfo(
  db: Kysely<Database>,
  accountId: string,
  id: string,
): Promise<AttachmentInfo | undefined> {
  const row = await db
    .selectFrom('attachments')
    .select(INFO_COLUMNS)
    .where('account_id', '=', accountId)
    .where('source_sha256', '=', id)
    .executeTakeFirst();
  return row && toInfo(row);
}

/** The account's attachment with its bytes; undefined when missing or another account's. */
export async function getAttachment(db: Kysely<Database>, accountId: string, id: string): Promise<StoredAttachment | undefined> {
  const row = await db
    .selectFrom('attachments')
    .select([...INFO_COLUMNS, 'bytes'])
    .where('account_id', '=', accountId)
    .where('source_sha256', '=', id)
    .executeTakeFirst();
  return row && { ...toInfo(row), bytes: row.bytes };
}
