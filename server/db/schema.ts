/**
 * Table shapes as Kysely sees them. Every column type here works on SQLite and PostgreSQL alike:
 * text, 32-bit integers (pg returns int8 as strings, so none are used) and binary. Timestamps are
 * ISO-8601 UTC text from `Date#toISOString()`, which sorts and compares correctly as text on both.
 */
import type { AttachmentKind } from '../../shared/api/attachments.ts';
import type { Generated } from 'kysely';
import type { FaceVerificationResult } from '../face-verification/face-verification-record.ts';

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

/**
 * Every distinct trigram of an enterprise's normalised name followed by '\n\n' (so each of its
 * characters starts one), kept by enterprises-store; keyed (gram, name_length, uscc), the order of results.
 */
export interface EnterpriseSearchGramsTable {
  gram: string;
  /** `length(name)`: characters (code points) of the stored name. */
  name_length: number;
  uscc: string;
}


/** Keyed by (account_id, source_sha256): each account has its own copy of a picture. */
export interface AttachmentsTable {
  account_id: string;
  /**
   * SHA-256 (hex) of the bytes the device uploaded, computed there: the attachment's id, so a
   * submission built offline can name it and an upload retry is harmless.
   */
  source_sha256: string;
  /** SHA-256 (hex) of `bytes`, the server's re-encoding. */
  sha256: string;
  kind: AttachmentKind;
  mime: string;
  /** Both drivers return a Buffer; both accept one. */
  bytes: Uint8Array;
  size: number;
  /** Pixels of `bytes`; null for rows stored before these columns existed. */
  width: number | null;
  height: number | null;
  created_at: string;
}

export interface DraftsTable {
  /** A UUID made on the device. */
  id: string;
  account_id: string;
  /** Compare-and-set counter: 1 for the first write, +1 for each accepted one. */
  revision: number;
  /** JSON text: values, fieldUpdatedAt, photo, signature and the device's updatedAt. */
  body: string;
  /** The server's time of the last accepted write. */
  updated_at: string;
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
  /** The signed receipt's key id and Ed25519 signature (base64url); null for rows from before 0004. */
  receipt_key_id: string | null;
  receipt_signature: string | null;
  /** The current version (1 until a resubmission after 补正). */
  version: Generated<number>;
  /** The USCC the application names: what an employer's list is read by. */
  enterprise_uscc: string | null;
}

/** Every version of an application, the first included; the current one is also in submissions. */
export interface SubmissionVersionsTable {
  submission_id: string;
  version: number;
  idempotency_key: string;
  body_sha256: string;
  body: string;
  receipt_key_id: string | null;
  receipt_signature: string | null;
  created_at: string;
}

export type SubmissionEventKind = 'submitted' | 'resubmitted' | 'status' | 'withdrawn';

/** The change feed and each application's history, numbered in commit order (see feed_counter). */
export interface SubmissionEventsTable {
  seq: number;
  submission_id: string;
  version: number;
  /** The status after the event. */
  status: string;
  kind: SubmissionEventKind;
  /** `account:<id>`, `staff:<id>` or `system`. */
  actor: string;
  /** JSON text `{ reason?, corrections?: [{ field, note }] }`, or null. */
  detail: string | null;
  at: string;
}

/** One row (id 1): the last seq handed out, updated as the last statement of each writing transaction. */
export interface FeedCounterTable {
  id: number;
  value: number;
}

/** One row (id 1): the HMAC key of feed cursors, random, made by migration 0007. */
export interface FeedSecretTable {
  id: number;
  /** 32 random bytes, base64url. */
  secret: string;
}

export type StaffRole = 'reviewer' | 'admin' | 'employer';

export interface StaffAccountsTable {
  id: string;
  username: string;
  role: StaffRole;
  /** The employer's USCC (in the directory); null for reviewers and admins. */
  uscc: string | null;
  password_hash: string;
  /** 1 while the password is the one-time one printed at creation: it cannot sign in. */
  password_temporary: number;
  /** Base32 TOTP secret. */
  totp_secret: string;
  /** Time step of the last accepted code; that step and older ones are refused. */
  totp_last_step: number | null;
  failed_attempts: Generated<number>;
  locked_until: string | null;
  disabled_at: string | null;
  created_at: string;
}

export interface StaffSessionsTable {
  /** SHA-256 of the cookie's token. */
  id: string;
  staff_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  token_sha256: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export type IdempotencyKeyState = 'in_flight' | 'done';

/**
 * One row per Idempotency-Key of POST /api/submissions: claimed ('in_flight') before the work starts,
 * 'done' with the answer in the same transaction as the submission. Shared by all server instances.
 */
export interface IdempotencyKeysTable {
  key: string;
  account_id: string;
  /** SHA-256 (hex) of the canonical body the key was claimed for. */
  body_sha256: string;
  state: IdempotencyKeyState;
  /** JSON text `{ status, body }` of the first answer; null while in flight. */
  response: string | null;
  /** Until when the claim holds (ISO); after it, the holder is taken for dead and another may take over. */
  locked_until: string;
  /** A fresh UUID per claim or takeover: only its holder may release it. */
  claim_id: string;
  created_at: string;
}

/** Signing keys the server made itself (when none is configured). */
export interface ServerKeysTable {
  /** First 16 hex digits of the SHA-256 of the raw public key. */
  id: string;
  /** 'Ed25519'. */
  algorithm: string;
  /** PKCS#8 DER, base64; null for a configured key (RECEIPT_SIGNING_KEY), kept only to publish it. */
  private_pkcs8: string | null;
  /** The raw 32-byte public key, base64url. */
  public_raw: string;
  created_at: string;
  /** The algorithm while this key signs, null once retired; unique, so one key signs at a time. */
  active_for: string | null;
  retired_at: string | null;
}


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

/** 忘记密码 attempts; see migration 0008. */
export interface PasswordResetsTable {
  /** SHA-256 of the reset id the client holds. */
  id: string;
  /** null when the name and ID number matched no account. */
  account_id: string | null;
  created_at: string;
  expires_at: string;
  face_failures: Generated<number>;
  face_passed_at: string | null;
  used_at: string | null;
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
  /** The actor's role when it acted: applicant, reviewer, admin, employer, token. */
  actor_role: string | null;
  /** The employer's USCC, or the machine client's name. */
  organisation: string | null;
  /** The client address the request came from. */
  address: string | null;
}

export type NoticeEvent = 'received' | 'correction_requested' | 'decision';
export type NoticeState = 'pending' | 'sending' | 'sent' | 'failed';

/** The outbox of text messages to applicants (server/notices/). */
export interface NoticesTable {
  id: string;
  account_id: string;
  submission_id: string;
  event: NoticeEvent;
  /** The application's status the message tells of. */
  status: string;
  /** The message as sent: 申请编号 and a short status, nothing personal. */
  text: string;
  state: NoticeState;
  /** Hand-overs to the provider so far. */
  attempts: Generated<number>;
  /** Not sent before this (ISO): the backoff after a failed attempt. */
  next_attempt_at: string;
  /** The sender holding the row while state is 'sending', and until when (then another may take it). */
  claim_id: string | null;
  claimed_until: string | null;
  /** The provider that took the message. */
  provider: string | null;
  created_at: string;
  sent_at: string | null;
}

/** Messages the development SMS provider "sent", keyed by the notice id. */
export interface DevelopmentSmsTable {
  reference: string;
  mobile: string;
  text: string;
  sent_at: string;
}

/** Accounts closed by their owner (注销账号): the row in accounts stays for the decided applications. */
export interface ClosedAccountsTable {
  account_id: string;
  closed_at: string;
}

/** One row per audit archive file (migration 0012): entries before cutoff_at were copied there, then deleted. */
export interface AuditArchivesTable {
  id: string;
  cutoff_at: string;
  entry_count: number;
  first_at: string | null;
  last_at: string | null;
  /** The file's name as given to the command (no directory). */
  file_name: string;
  file_sha256: string;
  created_at: string;
}

export interface Database {
  accounts: AccountsTable;
  sessions: SessionsTable;
  enterprises: EnterprisesTable;
  enterprise_search_grams: EnterpriseSearchGramsTable;
  attachments: AttachmentsTable;
  drafts: DraftsTable;
  submissions: SubmissionsTable;
  rate_limits: RateLimitsTable;
  audit_log: AuditLogTable;
  audit_archives: AuditArchivesTable;
  face_verifications: FaceVerificationsTable;
  idempotency_keys: IdempotencyKeysTable;
  server_keys: ServerKeysTable;
  submission_versions: SubmissionVersionsTable;
  submission_events: SubmissionEventsTable;
  feed_counter: FeedCounterTable;
  feed_secret: FeedSecretTable;
  staff_accounts: StaffAccountsTable;
  staff_sessions: StaffSessionsTable;
  api_tokens: ApiTokensTable;
  closed_accounts: ClosedAccountsTable;
  notices: NoticesTable;
  development_sms: DevelopmentSmsTable;
  password_resets: PasswordResetsTable;
}
