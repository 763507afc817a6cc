import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import * as v from 'valibot';
import { fieldLabel } from './application-fields.ts';
import {
  createDraftSchema,
  createSubmitSchema,
  draftSchema,
  issuesByField,
  mobileSchema,
  residentIdSchema,
  submitSchema,
  usccSchema,
} from './application-schema.ts';
import { createCodeLists } from './code-lists.ts';
import { COMMITMENT_VERSION } from './commitment.ts';
import { residentIdCheckChar } from './resident-id.ts';
import { usccCheckChar } from './uscc.ts';

const TODAY = '2026-01-05';
const submit = createSubmitSchema({ today: TODAY });
const draft = createDraftSchema({ today: TODAY });

/** An ID for a birth date (YYYY-MM-DD) and sequence; the last sequence digit sets the sex. */
function idFor(birthDate: string, sequence = '123'): string {
  const first17 = `110105${birthDate.replaceAll('-', '')}${sequence}`;
  return first17 + residentIdCheckChar(first17);
}

function validApplication() {
  return {
    name: '张三',
    sex: 'male',
    idType: 'resident-id',
    idNumber: idFor('1980-01-01'),
    birthDate: '1980-01-01',
    mobile: '13800138000',
    ethnicity: '01',
    education: '21',
    degree: '400',
    school: '同济大学',
    major: '土木工程',
    graduationDate: '2002-07-01',
    enterprise: {
      name: '上海示例工程监理有限公司',
      uscc: `91310115MA1K3B7X2${usccCheckChar('91310115MA1K3B7X2')}`,
      legalRepresentative: '李四',
      province: '上海市',
      city: '浦东新区',
    },
    specialty1: '01',
    specialty2: '13',
    photo: 'a'.repeat(64),
    signature: 'b'.repeat(64),
    commitment: { version: COMMITMENT_VERSION, choice: 'accept', acceptedAt: '2026-01-05T02:00:00.000Z' },
  };
}

function fieldsOf(schema: typeof submit | typeof draft, input: unknown) {
  return issuesByField(v.safeParse(schema, input));
}

test('a complete, consistent application passes and comes out normalised', () => {
  const application = validApplication();
  const ok = v.safeParse(submit, { ...application, name: ' 阿卜杜.热合曼 ', mobile: '138 0013 8000' });
  assert.equal(ok.success, true, JSON.stringify(issuesByField(ok)));
  assert.equal(ok.output?.name, '阿卜杜·热合曼');
  assert.equal(ok.output?.mobile, '13800138000');
  assert.equal(v.safeParse(submitSchema, application).success, true, 'default schema reads today itself');
});

test('a lowercase x in the ID is stored upper-case', () => {
  // Find a sequence whose check char is X (about one in eleven are).
  const sequence = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0')).find((seq) =>
    idFor('1971-06-30', seq).endsWith('X'),
  )!;
  const idNumber = idFor('1971-06-30', sequence);
  const result = v.safeParse(submit, {
    ...validApplication(),
    idNumber: idNumber.toLowerCase(),
    birthDate: '1971-06-30',
    sex: Number(sequence[2]) % 2 === 1 ? 'male' : 'female',
  });
  assert.equal(result.success, true, JSON.stringify(issuesByField(result)));
  assert.equal(result.output?.idNumber, idNumber);
});

test('specialty1 equal to specialty2 is refused at path specialty2', () => {
  assert.deepEqual(fieldsOf(submit, { ...validApplication(), specialty2: '01' }), [
    { field: 'specialty2', message: '申请注册专业2不能与申请注册专业1相同' },
  ]);
});

test('birth date and sex must agree with the ID number', () => {
  assert.deepEqual(fieldsOf(submit, { ...validApplication(), birthDate: '1980-01-02' }), [
    { field: 'birthDate', message: '出生日期与证件号码不一致' },
  ]);
  assert.deepEqual(fieldsOf(submit, { ...validApplication(), sex: 'female' }), [
    { field: 'sex', message: '性别与证件号码不一致' },
  ]);
});

test('cross-field rules still report when an unrelated field is malformed', () => {
  const fields = fieldsOf(submit, { ...validApplication(), mobile: '123', specialty2: '01' }).map((i) => i.field);
  assert.deepEqual(fields.sort(), ['mobile', 'specialty2']);
});

test('age boundary on the day of submission: 65 allowed, from the 66th birthday refused', () => {
  const at = (birthDate: string, today: string) =>
    fieldsOf(createSubmitSchema({ today }), {
      ...validApplication(),
      idNumber: idFor(birthDate),
      birthDate,
      graduationDate: '1985-07-01',
    });
  assert.deepEqual(at('1960-01-05', '2025-01-05'), [], '65th birthday');
  assert.deepEqual(at('1960-01-05', '2026-01-04'), [], 'day before the 66th birthday');
  assert.deepEqual(at('1960-01-05', '2026-01-05'), [
    { field: 'birthDate', message: '出生日期显示申请人已超过65周岁，不能申请监理工程师注册' },
  ]);
  assert.equal(at('1960-01-05', '2026-01-06').length, 1, 'day after the 66th birthday');
});

test('graduation on the birth date or in the future is refused at path graduationDate', () => {
  assert.deepEqual(fieldsOf(submit, { ...validApplication(), graduationDate: '1980-01-01' }), [
    { field: 'graduationDate', message: '毕业时间应晚于出生日期' },
  ]);
  assert.deepEqual(fieldsOf(submit, { ...validApplication(), graduationDate: '2026-01-06' }), [
    { field: 'graduationDate', message: '毕业时间不能晚于今天' },
  ]);
  assert.deepEqual(fieldsOf(submit, { ...validApplication(), graduationDate: TODAY }), []);
});

test('only an accepted commitment of the current version can be submitted', () => {
  const application = validApplication();
  assert.deepEqual(
    fieldsOf(submit, { ...application, commitment: { ...application.commitment, choice: 'decline' } }),
    [{ field: 'commitment.choice', message: '承诺选择须为“本人作出上述承诺”，方可提交' }],
  );
  assert.deepEqual(
    fieldsOf(submit, { ...application, commitment: { ...application.commitment, version: '2020-01' } }),
    [{ field: 'commitment.version', message: '承诺书已更新，请重新查看承诺书并确认个人承诺' }],
  );
});

test('a deployment list of specialties is honoured', () => {
  const lists = createCodeLists({ specialties: [{ code: 'A1', name: '甲' }, { code: 'B2', name: '乙' }] });
  const schema = createSubmitSchema({ today: TODAY, codeLists: lists });
  assert.deepEqual(fieldsOf(schema, { ...validApplication(), specialty1: 'A1', specialty2: 'B2' }), []);
  assert.deepEqual(fieldsOf(schema, { ...validApplication(), specialty2: 'A1' }), [
    { field: 'specialty1', message: '请从列表中选择申请注册专业1' },
  ]);
  assert.deepEqual(fieldsOf(schema, { ...validApplication(), specialty1: 'A1', specialty2: 'A1' }), [
    { field: 'specialty2', message: '申请注册专业2不能与申请注册专业1相同' },
  ]);
});

test('drafts: empty and half-filled are fine, anything malformed is not', () => {
  assert.equal(v.safeParse(draft, {}).success, true);
  assert.equal(v.safeParse(draftSchema, {}).success, true);
  assert.equal(v.safeParse(draft, { name: '张三', enterprise: { name: '某公司' }, commitment: {} }).success, true);
  assert.deepEqual(fieldsOf(draft, { mobile: '12345' }), [
    { field: 'mobile', message: '手机号码应为11位数字，以1开头，第二位为3至9' },
  ]);
  assert.deepEqual(fieldsOf(draft, { enterprise: { uscc: 'ABC' } }).map((i) => i.field), ['enterprise.uscc']);
  assert.deepEqual(fieldsOf(draft, { idNumber: '110105198001011231' }).map((i) => i.field), ['idNumber']);
  // Drafts carry no cross-field rules: those wait for submission.
  assert.equal(v.safeParse(draft, { specialty1: '01', specialty2: '01' }).success, true);
});

test('a missing field gets a message with its Chinese name', () => {
  const issues = fieldsOf(submit, {});
  assert.equal(issues.length, 18);
  assert.deepEqual(issues.find((i) => i.field === 'mobile'), { field: 'mobile', message: '请填写手机号码' });
  assert.deepEqual(issues.find((i) => i.field === 'specialty1'), { field: 'specialty1', message: '请选择申请注册专业1' });
  assert.deepEqual(issues.find((i) => i.field === 'photo'), { field: 'photo', message: '请上传一寸免冠照片' });
});

test('every submit message is Chinese and names its field', () => {
  const bad = {
    name: 'John',
    sex: 'x',
    idType: 'passport',
    idNumber: '123',
    birthDate: '1980-02-30',
    mobile: 42,
    ethnicity: '99',
    education: '00',
    degree: '1',
    school: '',
    major: 'x',
    graduationDate: 'yesterday',
    enterprise: { name: '甲', uscc: 'I', legalRepresentative: '', province: '', city: 7 },
    specialty1: '01',
    photo: 'ABC',
    signature: null,
    commitment: { version: 'v1', choice: 'maybe', acceptedAt: 'now' },
  };
  const issues = fieldsOf(submit, bad);
  assert.ok(issues.length >= 20, String(issues.length));
  for (const { field, message } of issues) {
    assert.ok(message.includes(fieldLabel(field)), `${field}: ${message}`);
    assert.match(message, /\p{Script=Han}/u);
  }
  for (const { field, message } of fieldsOf(submit, 'not an object')) {
    assert.equal(field, '');
    assert.equal(message, '申报信息格式不正确');
  }
});

test('issuesByField never includes the rejected value', () => {
  const marker = 'ZQX7781SECRET';
  const everyFieldWrong = {
    name: marker,
    sex: marker,
    idType: marker,
    idNumber: marker,
    birthDate: marker,
    mobile: marker,
    ethnicity: marker,
    education: marker,
    degree: marker,
    school: marker.repeat(10),
    major: marker.repeat(10),
    graduationDate: marker,
    enterprise: { name: marker.repeat(10), uscc: marker, legalRepresentative: marker.repeat(10), province: marker.repeat(3), city: marker.repeat(3) },
    specialty1: marker,
    specialty2: marker,
    photo: marker,
    signature: marker,
    commitment: { version: marker, choice: marker, acceptedAt: marker },
  };
  const issues = fieldsOf(submit, everyFieldWrong);
  assert.equal(issues.length, 24);
  assert.ok(!JSON.stringify(issues).includes('ZQX'));
  // Property: whatever arrives in whichever field, only paths and our messages come back.
  const value = fc.oneof(
    fc.string().map((s) => `ZQX${s}`),
    fc.constant(marker.repeat(40)),
    fc.integer({ min: 1_000_000_000 }),
    fc.constant(null),
    fc.array(fc.string().map((s) => `ZQX${s}`), { maxLength: 2 }),
  );
  const keys = Object.keys(everyFieldWrong) as (keyof typeof everyFieldWrong)[];
  fc.assert(
    fc.property(fc.dictionary(fc.constantFrom(...keys), value), (input) => {
      const text = JSON.stringify([...fieldsOf(submit, input), ...fieldsOf(draft, input)]);
      assert.ok(!text.includes('ZQX'), text);
      for (const given of Object.values(input)) {
        if (typeof given === 'number') assert.ok(!text.includes(String(given)), text);
      }
    }),
    { numRuns: 300 },
  );
});

test('issuesByField takes a result or an issue list and drops duplicates', () => {
  assert.deepEqual(issuesByField(v.safeParse(draft, {})), []);
  const result = v.safeParse(submit, {});
  assert.deepEqual(issuesByField(result.issues ?? []), issuesByField(result));
});

test('field schemas are reusable on their own', () => {
  assert.equal(v.parse(residentIdSchema, '11010519491231002x'), '11010519491231002X');
  assert.equal(v.safeParse(residentIdSchema, '110105194912310021').success, false);
  assert.equal(v.parse(mobileSchema, '13800138000'), '13800138000');
  // A failed USCC check char is only a warning: the schema lets it through.
  assert.equal(v.parse(usccSchema, '91350100m000100y40'), '91350100M000100Y40');
  assert.equal(v.safeParse(usccSchema, '91350100M000100Y4').success, false);
});

test('姓名: 2 to 30 Han characters, a middle dot only between parts', () => {
  const nameIssues = (name: string) => fieldsOf(draft, { name });
  assert.deepEqual(nameIssues('欧阳娜娜'), []);
  assert.deepEqual(nameIssues('阿卜杜・热合曼'), []);
  for (const bad of ['张', 'John', '·张三', '张三·', '张··三', '张 三', '张'.repeat(31)]) {
    assert.deepEqual(nameIssues(bad), [{ field: 'name', message: '姓名应为2至30个汉字，少数民族姓名可用“·”分隔' }], bad);
  }
});
