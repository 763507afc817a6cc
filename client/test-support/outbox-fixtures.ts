/**
 * What the outbox tests share: an applicant's body and attachments, and a fresh device database per
 * test with drafts and outbox items put in it the way the app puts them.
 */
import { blobSha256 } from '../data/blob-sha256.ts';
import { putDraft } from '../data/drafts.ts';
import { type DraftRecord, LocalDb } from '../data/local-db.ts';
import { enqueueSubmission, type SubmissionAttachmentInput } from '../sync/outbox.ts';
import { FakeClock } from './fake-clock.ts';

export const ACCOUNT = 'account-1';
export const ID_NUMBER = '110101199001011237';
export const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 0xff, 0xd9]);
export const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 8, 7]);

export const BODY = {
  name: '李明',
  sex: 'male',
  idType: 'resident-id',
  idNumber: ID_NUMBER,
  birthDate: '1990-01-01',
  mobile: '13800138000',
  enterprise: { uscc: '91110000100000000X', name: '示例工程监理有限公司' },
  specialty1: '01',
  specialty2: '02',
};

async function attachment(kind: 'photo' | 'signature', bytes: Uint8Array<ArrayBuffer>, type: string) {
  const blob = new Blob([bytes], { type });
  return { kind, blob, sha256: await blobSha256(blob) };
}

/** The photo (JPEG) and the signature (PNG), hashed as the draft store hashes them. */
export function attachments(): Promise<SubmissionAttachmentInput[]> {
  return Promise.all([attachment('photo', JPEG, 'image/jpeg'), attachment('signature', PNG, 'image/png')]);
}

/**
 * Usage, inside a `describe`: `const bed = outboxTestBed();` then `bed.database()`, `bed.draft(db)`,
 * `bed.enqueue(db, draftId)` and `bed.clock` in each test. Every connection is closed and the database
 * deleted after each test.
 */
export function outboxTestBed() {
  let name = '';
  const opened: LocalDb[] = [];
  const bed = {
    clock: new FakeClock(),
    database(): LocalDb {
      const db = new LocalDb(name);
      opened.push(db);
      return db;
    },
    async draft(db: LocalDb, extra: Partial<DraftRecord> = {}): Promise<DraftRecord> {
      const record: DraftRecord = {
        id: crypto.randomUUID(),
        accountId: ACCOUNT,
        values: { name: BODY.name, idNumber: ID_NUMBER },
        photo: new Blob([JPEG], { type: 'image/jpeg' }),
        signature: new Blob([PNG], { type: 'image/png' }),
        fieldUpdatedAt: {},
        updatedAt: bed.clock.now(),
        ...extra,
      };
      await putDraft(db, record);
      return record;
    },
    async enqueue(db: LocalDb, draftId: string, body: Record<string, unknown> = BODY) {
      return enqueueSubmission(db, { accountId: ACCOUNT, draftId, body, attachments: await attachments() }, bed.clock.now);
    },
  };
  beforeEach(() => {
    name = `outbox-test-${crypto.randomUUID()}`;
    bed.clock = new FakeClock();
  });
  afterEach(async () => {
    for (const db of opened.splice(0)) db.close();
    await new LocalDb(name).delete();
  });
  return bed;
}
