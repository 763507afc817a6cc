import { canonicalJson } from '../../shared/canonical-json.ts';
import type { SubmissionStatus } from '../../shared/submission-status.ts';
import { sha256Hex } from '../crypto/sha256.ts';

/** Where every accepted application starts. */
export const INITIAL_SUBMISSION_STATUS = 'submitted' satisfies SubmissionStatus;

/** The validated application as stored: canonical JSON text and the SHA-256 (hex) of its UTF-8 bytes. */
export interface SubmissionBody {
  json: string;
  sha256: string;
}

/**
 * Canonical JSON (sorted keys), so the same application sent with its keys in another order is the
 * same body; hashed here, once, and the hash travels with the text from then on.
 */
export function submissionBody(application: unknown): SubmissionBody {
  const json = canonicalJson(application);
  return { json, sha256: sha256Hex(json) };
}

/** The receipt's signature as issued at acceptance. */
export interface ReceiptSignature {
  keyId: string;
  /** Ed25519, base64url. */
  signature: string;
}

/** The commitment text the person accepted, pinned by version and exact SHA-256. */
export interface SubmissionCommitment {
  version: string;
  sha256: string;
  acceptedAt: string;
}

/** An accepted application. */
export interface Submission {
  id: string;
  receiptNumber: string;
  accountId: string;
  idempotencyKey: string;
  /** SHA-256 (hex) of `bodyJson`'s UTF-8 bytes: same key + other body is told apart by this. */
  bodySha256: string;
  bodyJson: string;
  status: SubmissionStatus;
  /** The current version: 1 until a resubmission after 补正. The fields above and below are its. */
  version: number;
  /** When the application was first submitted (each version's own time is in submission_versions). */
  createdAt: string;
  commitment: SubmissionCommitment | null;
  /** Null for rows stored before receipts were signed. */
  receiptSignature: ReceiptSignature | null;
}
