import { expect } from 'chai';
import { correctionDraftOf, draftsOf, keepCorrectionDraft, newestDraftOf, putDraft } from './drafts.ts';
import { type CorrectionOf, type DraftRecord, LocalDb } from './local-db.ts';

const ACCOUNT = 'account-drafts';

function draft(updatedAt: number, correctionOf?: CorrectionOf): DraftRecord {
  return {
    id: crypto.randomUUID(),
    accountId: ACCOUNT,
    values: { school: `学校${updatedAt}` },
    fieldUpdatedAt: {},
    updatedAt,
    ...(correctionOf ? { correctionOf } : {}),
  };
}

const correction = (version: number): CorrectionOf => ({ submissionId: 'sub-1', version, corrections: [{ field: 'photo', note: '请重新上传' }] });

describe('drafts: a 补正 beside new applications', () => {
  let name: string;
  let db: LocalDb;

  beforeEach(() => {
    name = `drafts-test-${crypto.randomUUID()}`;
    db = new LocalDb(name);
  });

  afterEach(async () => {
    db.close();
    await new LocalDb(name).delete();
  });

  it('a 补正 opens only for its submission: the form of a new application and draft sync never see it', async () => {
    const plain = draft(1);
    const fixing = draft(2, correction(1));
    await putDraft(db, plain);
    await putDraft(db, fixing);
    expect((await newestDraftOf(db, ACCOUNT))?.id).to.equal(plain.id);
    expect((await draftsOf(db, ACCOUNT)).map((d) => d.id)).to.deep.equal([plain.id]);
    expect((await correctionDraftOf(db, ACCOUNT, 'sub-1'))?.id).to.equal(fixing.id);
    expect(await correctionDraftOf(db, ACCOUNT, 'sub-2')).to.equal(undefined);
  });

  it('keeps the 补正 begun for the same version (no edit lost), and replaces one of an older version', async () => {
    const begun = await keepCorrectionDraft(db, { ...draft(1), correctionOf: correction(1) });
    const again = await keepCorrectionDraft(db, { ...draft(5), correctionOf: correction(1) });
    expect(again.id).to.equal(begun.id);
    expect(await db.drafts.count()).to.equal(1);

    const second = await keepCorrectionDraft(db, { ...draft(9), correctionOf: correction(2) });
    expect(second.id).to.not.equal(begun.id);
    expect((await db.drafts.toArray()).map((d) => d.id)).to.deep.equal([second.id]);
  });
});
