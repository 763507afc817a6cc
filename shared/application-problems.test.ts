import assert from 'node:assert/strict';
import { test } from 'node:test';
import { APPLICATION_FIELDS } from './application-fields.ts';
import {
  applicationProblems,
  COMMITMENT_MESSAGE,
  checkSubmission,
  inFormOrder,
  problemsFromIssues,
} from './application-problems.ts';
import { createDeviceSubmitSchema } from './application-schema.ts';
import { COMMITMENT_VERSION } from './commitment.ts';
import { residentIdCheckChar } from './resident-id.ts';

const TODAY = '2026-01-05';
const schema = createDeviceSubmitSchema({ today: TODAY });
const first17 = '11010519800101123';
const PICKED = {
  name: '上海示例工程监理有限公司',
  uscc: '91110000100000000X',
  legalRepresentative: '李四',
  province: '上海市',
  city: '浦东新区',
};

/** A complete application as the device holds it: Blobs for the attachments. */
function deviceApplication(): Record<string, unknown> {
  return {
    name: '张三',
    sex: 'male',
    idType: 'resident-id',
    idNumber: first17 + residentIdCheckChar(first17),
    birthDate: '1980-01-01',
    mobile: '13800138000',
    ethnicity: '01',
    education: '21',
    degree: '400',
    school: '同济大学',
    major: '土木工程',
    graduationDate: '2002-07-01',
    enterprise: PICKED,
    specialty1: '01',
    specialty2: '13',
    photo: new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xd9])], { type: 'image/jpeg' }),
    signature: new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: 'image/png' }),
    commitment: { version: COMMITMENT_VERSION, choice: 'accept', acceptedAt: '2026-01-05T02:00:00.000Z' },
  };
}

test('a complete application with Blobs and a picked employer is ready, normalised', () => {
  const input: Record<string, unknown> = { ...deviceApplication(), mobile: '138 0013 8000' };
  const check = checkSubmission(input, schema);
  assert.equal(check.ok, true, JSON.stringify(!check.ok && [...check.problems]));
  if (!check.ok) return;
  assert.equal(check.submission.mobile, '13800138000');
  assert.deepEqual(check.submission.enterprise, PICKED);
  assert.equal(check.submission.photo, input.photo);
  assert.equal(check.submission.signature, input.signature);
  assert.equal(applicationProblems(input, schema).size, 0);
});

test('an empty form: one message per field, in the form order, the commitment asked for', () => {
  const problems = applicationProblems({}, schema);
  assert.deepEqual([...problems.keys()], [...APPLICATION_FIELDS]);
  assert.equal(problems.get('ethnicity'), '请选择民族');
  assert.equal(problems.get('school'), '请填写毕业院校');
  assert.equal(problems.get('photo'), '请上传一寸免冠照片');
  assert.equal(problems.get('signature'), '请上传签名');
  assert.equal(problems.get('enterprise'), '请填写企业信息：输入企业名称关键字，选中对应的企业');
  assert.equal(problems.get('commitment'), COMMITMENT_MESSAGE);
});

test('an employer typed but not picked counts: only its name goes on, trimmed, to be matched later', () => {
  const check = checkSubmission({ ...deviceApplication(), enterprise: { name: ' 示例工程监理 有限公司' } }, schema);
  assert.equal(check.ok, true);
  if (check.ok) assert.deepEqual(check.submission.enterprise, { name: '示例工程监理 有限公司' });
});

test('a typed name that is no valid name is caught on the device', () => {
  const problems = applicationProblems({ ...deviceApplication(), enterprise: { name: 'x'.repeat(101) } }, schema);
  assert.deepEqual([...problems], [['enterprise', '企业名称应为2至100个字']]);
});

test('a pick is checked as a pick: a bad USCC is not passed off as a typed name', () => {
  const problems = applicationProblems({ ...deviceApplication(), enterprise: { ...PICKED, uscc: 'ABC' } }, schema);
  assert.deepEqual([...problems.keys()], ['enterprise']);
  assert.match(problems.get('enterprise')!, /统一社会信用代码/);
});

test('an attachment id in place of the Blob is no photo on this device', () => {
  const problems = applicationProblems({ ...deviceApplication(), photo: 'a'.repeat(64) }, schema);
  assert.deepEqual([...problems], [['photo', '请上传一寸免冠照片']]);
});

test('the rules between fields name the field to fix, one message each', () => {
  const problems = applicationProblems({ ...deviceApplication(), specialty2: '01', birthDate: '1980-01-02' }, schema);
  assert.deepEqual([...problems], [
    ['birthDate', '出生日期与证件号码不一致'],
    ['specialty2', '申请注册专业2不能与申请注册专业1相同'],
  ]);
});

test('the commitment: declined asks to read it; accepted on an old version says it changed', () => {
  const application = deviceApplication();
  const commitment = application.commitment as Record<string, unknown>;
  assert.deepEqual([...applicationProblems({ ...application, commitment: { ...commitment, choice: 'decline' } }, schema)], [
    ['commitment', COMMITMENT_MESSAGE],
  ]);
  assert.deepEqual([...applicationProblems({ ...application, commitment: { ...commitment, version: '2020-01' } }, schema)], [
    ['commitment', '承诺书已更新，请重新查看承诺书并确认个人承诺'],
  ]);
});

test('issues by top-level field: the first message wins, whole-application ones are general', () => {
  const { fields, general } = problemsFromIssues([
    { field: 'school', message: '毕业院校与学历证书不一致' },
    { field: 'enterprise.uscc', message: '统一社会信用代码不正确' },
    { field: 'enterprise.name', message: '企业名称不正确' },
    { field: 'mobile', message: '手机号码已被其他申请使用' },
    { field: '', message: '申请内容有误' },
  ]);
  assert.deepEqual([...fields], [
    ['mobile', '手机号码已被其他申请使用'],
    ['school', '毕业院校与学历证书不一致'],
    ['enterprise', '统一社会信用代码不正确'],
  ]);
  assert.deepEqual(general, ['申请内容有误']);
});

test('inFormOrder sorts fields as the form shows them', () => {
  assert.deepEqual(inFormOrder(['commitment', 'name', 'photo', 'enterprise']), ['name', 'enterprise', 'photo', 'commitment']);
});
