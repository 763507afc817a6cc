import { expect } from 'chai';
import fc from 'fast-check';
import { type MergeableDraft, mergeDrafts, sameValue } from './draft-merge.ts';

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);

function draft(parts: Partial<MergeableDraft>): MergeableDraft {
  return { values: {}, fieldUpdatedAt: {}, updatedAt: 0, ...parts };
}

describe('draft-merge', () => {
  it('takes each field from the side that edited it last', () => {
    const local = draft({
      values: { school: '山东大学', major: '土木工程', mobile: '13800138000' },
      fieldUpdatedAt: { school: 10, major: 30, mobile: 5 },
      updatedAt: 30,
    });
    const server = draft({
      values: { school: '同济大学', major: '工程管理', mobile: '13912345678' },
      fieldUpdatedAt: { school: 20, major: 25, mobile: 5 },
      updatedAt: 25,
    });
    const { merged, changedFields, keptLocal, localChanged } = mergeDrafts(local, server);
    expect(merged.values).to.deep.equal({ school: '同济大学', major: '土木工程', mobile: '13912345678' });
    expect(merged.fieldUpdatedAt).to.deep.equal({ school: 20, major: 30, mobile: 5 });
    expect(merged.updatedAt).to.equal(30);
    expect(changedFields, 'a tie is the server’s spelling, not news for the person').to.deep.equal(['school']);
    expect(keptLocal).to.deep.equal(['major']);
    expect(localChanged).to.equal(true);
  });

  it('keeps fields only one side has, and a newer removal wins over an older value', () => {
    const local = draft({ values: { ethnicity: '01' }, fieldUpdatedAt: { ethnicity: 3, school: 9 }, updatedAt: 9 });
    const server = draft({ values: { school: '清华大学', degree: '02' }, fieldUpdatedAt: { school: 4, degree: 6 }, updatedAt: 6 });
    const { merged, changedFields, keptLocal } = mergeDrafts(local, server);
    expect(merged.values).to.deep.equal({ ethnicity: '01', degree: '02' });
    expect(merged.fieldUpdatedAt).to.deep.equal({ ethnicity: 3, school: 9, degree: 6 });
    expect(changedFields).to.deep.equal(['degree']);
    expect(keptLocal).to.have.members(['ethnicity', 'school']);
  });

  it('merges nested objects as one field, compared by content, not key order', () => {
    const enterprise = { name: '示例监理有限公司', uscc: '91110000100000000X' };
    const local = draft({ values: { enterprise }, fieldUpdatedAt: { enterprise: 7 }, updatedAt: 7 });
    const server = draft({ values: { enterprise: { uscc: enterprise.uscc, name: enterprise.name } }, fieldUpdatedAt: { enterprise: 8 }, updatedAt: 8 });
    const result = mergeDrafts(local, server);
    expect(result.changedFields).to.deep.equal([]);
    expect(result.keptLocal).to.deep.equal([]);
    expect(sameValue(result.merged.values.enterprise, enterprise)).to.equal(true);
  });

  it('treats photo and signature ids as fields: the local id stays when the local side is newer', () => {
    const local = draft({ photo: SHA_A, signature: SHA_A, fieldUpdatedAt: { photo: 50, signature: 10 }, updatedAt: 50 });
    const server = draft({ photo: SHA_B, signature: SHA_B, fieldUpdatedAt: { photo: 40, signature: 20 }, updatedAt: 40 });
    const { merged, changedFields, keptLocal } = mergeDrafts(local, server);
    expect(merged.photo).to.equal(SHA_A);
    expect(merged.signature).to.equal(SHA_B);
    expect(changedFields).to.deep.equal(['signature']);
    expect(keptLocal).to.deep.equal(['photo']);
  });

  it('drops an attachment removed after the other side set it', () => {
    const local = draft({ fieldUpdatedAt: { photo: 60 }, updatedAt: 60 });
    const server = draft({ photo: SHA_B, fieldUpdatedAt: { photo: 40 }, updatedAt: 40 });
    const { merged, keptLocal } = mergeDrafts(local, server);
    expect('photo' in merged).to.equal(false);
    expect(keptLocal).to.deep.equal(['photo']);
  });

  it('gives a tie to the server', () => {
    const local = draft({ values: { school: '山东大学 ' }, fieldUpdatedAt: { school: 10 }, updatedAt: 10 });
    const server = draft({ values: { school: '山东大学' }, fieldUpdatedAt: { school: 10 }, updatedAt: 10 });
    const { merged, changedFields, keptLocal, localChanged } = mergeDrafts(local, server);
    expect(merged.values.school).to.equal('山东大学');
    expect(changedFields).to.deep.equal([]);
    expect(keptLocal).to.deep.equal([]);
    expect(localChanged).to.equal(true);
  });

  it('lets any edit win over a default (edit time 0)', () => {
    const local = draft({ values: { mobile: '13800138000' }, fieldUpdatedAt: { mobile: 0 }, updatedAt: 100 });
    const server = draft({ values: { mobile: '13912345678' }, fieldUpdatedAt: { mobile: 1 }, updatedAt: 1 });
    expect(mergeDrafts(local, server).merged.values.mobile).to.equal('13912345678');
  });

  it('reports conflicts only for fields edited on both sides since the base', () => {
    const local = draft({ values: { school: 'A', major: 'B' }, fieldUpdatedAt: { school: 15, major: 5 }, updatedAt: 15 });
    const server = draft({ values: { school: 'C', major: 'D' }, fieldUpdatedAt: { school: 12, major: 14 }, updatedAt: 14 });
    expect(mergeDrafts(local, server, { base: 10 }).conflicts).to.deep.equal(['school']);
    expect(mergeDrafts(local, server).conflicts).to.have.members(['school', 'major']);
  });

  it('changes nothing when both sides agree', () => {
    const side = draft({ values: { school: 'A' }, fieldUpdatedAt: { school: 1 }, photo: SHA_A, updatedAt: 1 });
    const result = mergeDrafts(side, structuredClone(side));
    expect(result.localChanged).to.equal(false);
    expect(result.changedFields).to.deep.equal([]);
    expect(result.keptLocal).to.deep.equal([]);
  });

  describe('properties', () => {
    const FIELDS = ['school', 'major', 'mobile', 'enterprise', 'photo', 'signature'] as const;
    const value = fc.oneof(fc.constantFrom('A', 'B', 'C'), fc.record({ name: fc.constantFrom('X', 'Y') }));
    const side: fc.Arbitrary<MergeableDraft> = fc
      .record({
        present: fc.subarray([...FIELDS]),
        timed: fc.subarray([...FIELDS]),
        values: fc.record({ school: value, major: value, mobile: value, enterprise: value }),
        ids: fc.record({ photo: fc.constantFrom(SHA_A, SHA_B), signature: fc.constantFrom(SHA_A, SHA_B) }),
        times: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: FIELDS.length, maxLength: FIELDS.length }),
      })
      .map(({ present, timed, values, ids, times }) => {
        const result: MergeableDraft & { values: Record<string, unknown>; fieldUpdatedAt: Record<string, number> } = {
          values: {},
          fieldUpdatedAt: {},
          updatedAt: Math.max(0, ...times),
        };
        FIELDS.forEach((field, i) => {
          if (timed.includes(field)) result.fieldUpdatedAt[field] = times[i]!;
          if (!present.includes(field)) return;
          if (field === 'photo' || field === 'signature') result[field] = ids[field];
          else result.values[field] = values[field];
        });
        return result;
      });

    it('is idempotent: merging the result with the server again changes nothing', () => {
      fc.assert(
        fc.property(side, side, (local, server) => {
          const once = mergeDrafts(local, server).merged;
          const twice = mergeDrafts(once, server);
          expect(twice.localChanged).to.equal(false);
          expect(mergeDrafts(once, once).localChanged).to.equal(false);
        }),
      );
    });

    it('each field’s edit time is the later of the two, and its value comes from that side', () => {
      fc.assert(
        fc.property(side, side, (local, server) => {
          const { merged } = mergeDrafts(local, server);
          for (const field of FIELDS) {
            const l = local.fieldUpdatedAt[field];
            const s = server.fieldUpdatedAt[field];
            if (l === undefined && s === undefined) expect(field in merged.fieldUpdatedAt).to.equal(false);
            else expect(merged.fieldUpdatedAt[field]).to.equal(Math.max(l ?? 0, s ?? 0));
          }
          expect(merged.updatedAt).to.equal(Math.max(local.updatedAt, server.updatedAt));
        }),
      );
    });

    it('agrees whichever side is called local, except on ties', () => {
      fc.assert(
        fc.property(side, side, (a, b) => {
          const ab = mergeDrafts(a, b).merged;
          const ba = mergeDrafts(b, a).merged;
          for (const field of FIELDS) {
            const ta = a.fieldUpdatedAt[field];
            const tb = b.fieldUpdatedAt[field];
            if (ta === undefined || tb === undefined || ta === tb) continue;
            const pick = (m: typeof ab) => (field === 'photo' || field === 'signature' ? m[field] : m.values[field]);
            expect(sameValue(pick(ab), pick(ba)), field).to.equal(true);
          }
        }),
      );
    });

    it('tells the person only about fields whose value it changed', () => {
      fc.assert(
        fc.property(side, side, (local, server) => {
          const { merged, changedFields, keptLocal } = mergeDrafts(local, server);
          const pick = (d: MergeableDraft, f: string) => (f === 'photo' || f === 'signature' ? d[f] : d.values[f]);
          for (const field of changedFields) expect(sameValue(pick(merged, field), pick(local, field)), field).to.equal(false);
          for (const field of keptLocal) expect(sameValue(pick(merged, field), pick(server, field)), field).to.equal(false);
        }),
      );
    });
  });
});
