/**
 * Table shapes as Kysely sees them. Every column type here works on SQLite and PostgreSQL alike:
 * text, 32-bit integers (pg returns int8 as strings, so none are used) and binary. Timestamps are
 * ISO-8601 UTC text from `Date#toISOString()`, which sorts and compares correctly as text on both.
 */

export interface AccountsTable {
  id: string;
  name: string;
  id_number: string;
  mobile: string;
  password_hash: string;
  created_at: string;
}

export interface SessionsTable {
  /** SHA-256 (hex) of the session token: a leaked table must not let anyone sign in. */
  id: string;
  account_id: string;
  created_at: string;
  expires_at: string;
}

export interface EnterprisesTable {
  uscc: string;
  name: string;
  legal_representative: string;
  province: string;
  city: string;
  /** `normaliseSearchText(name) + '\n' + uscc`, kept by enterprises-store. */
  search_text: string;
}

export type AttachmentKind = 'photo' | 'signature';

export interface AttachmentsTable {
  /** SHA-256 (hex) of `bytes`: the content is its own id, so an upload retry is harmless. */
  sha256: string;
  account_id: string;
  kind: AttachmentKind;
  mime: string;
  /** Both drivers return a Buffer; both accept one. */
  bytes: Uint8Array;
  size: number;
  created_at: string;
}

export interface SubmissionsTable {
  id: string;
  receipt_number: string;
  account_id: string;
  idempotency_key: string;
  body_sha256: string;
  /** The submitted form as JSON text. */
  body: string;
  status: string;
  created_at: string;
  commitment_version: string | null;
  commitment_sha256: string | null;
  committed_at: string | null;
}

export type FaceVerificationResult = 'pass' | 'fail';

export interface FaceVerificationsTable {
  id: string;
  account_id: string;
  result: FaceVerificationResult;
  /** Which verifier answered, e.g. 'development'. */
  provider: string;
  /** The verifier's own reference for this check; the image itself is never stored. */
  reference: string;
  verified_at: string;
}

export interface RateLimitsTable {
  key: string;
  window_start: string;
  count: number;
}

export interface AuditLogTable {
  /** A UUID rather than a serial: portable, and ids can be made before the insert. */
  id: string;
  actor: string;
  action: string;
  subject: string;
  at: string;
}

export interface Database {
  accounts: AccountsTable;
  sessions: SessionsTable;
  enterprises: EnterprisesTable;
  attachments: AttachmentsTable;
  submissions: SubmissionsTable;
  rate_limits: RateLimitsTable;
  audit_log: AuditLogTable;
  face_verifications: FaceVerificationsTable;
}
