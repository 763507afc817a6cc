import type { Migration } from 'kysely';
import * as m0001 from './0001-initial.ts';
import * as m0002 from './0002-face-verifications-and-commitments.ts';
import * as m0003 from './0003-drafts-and-attachment-sources.ts';
import * as m0004 from './0004-idempotency-and-signing-keys.ts';
import * as m0005 from './0005-staff-review-and-feed.ts';
import * as m0007 from './0007-feed-secret.ts';
import * as m0008 from './0008-password-resets.ts';
import * as m0009 from './0009-notices.ts';
import * as m0010 from './0010-account-closing.ts';
import * as m0011 from './0011-signing-key-rotation.ts';
import * as m0012 from './0012-audit-archives.ts';
import * as m0013 from './0013-enterprise-search-index.ts';
import * as m0014 from './0014-drafts-index-by-account.ts';

/**
 * Schema changes as code, one file per migration, applied in name order. A migration, once shipped, is
 * never edited: later work adds a new file and its line here. Every migration must run unchanged on
 * SQLite and PostgreSQL, and must not depend on the current `Database` interface (schema.ts), which
 * describes only the latest shape.
 */
export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_face_verifications_and_commitments': m0002,
  '0003_drafts_and_attachment_sources': m0003,
  '0004_idempotency_and_signing_keys': m0004,
  '0005_staff_review_and_feed': m0005,
  '0007_feed_secret': m0007,
  '0008_password_resets': m0008,
  '0009_notices': m0009,
  '0010_account_closing': m0010,
  '0011_signing_key_rotation': m0011,
  '0012_audit_archives': m0012,
  '0013_enterprise_search_index': m0013,
  '0014_drafts_index_by_account': m0014,
};
