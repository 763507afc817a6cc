import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type CodeList,
  codeLists,
  codeOf,
  createCodeLists,
  defaultSpecialties,
  degrees,
  educationLevels,
  ethnicities,
  hasCode,
  nameOf,
} from './code-lists.ts';

function assertUnique(list: CodeList): void {
  assert.equal(new Set(list.map((item) => item.code)).size, list.length);
  assert.equal(new Set(list.map((item) => item.name)).size, list.length);
}

test('民族: all 58 entries of GB/T 3304 with two-digit codes', () => {
  assert.equal(ethnicities.length, 58);
  assertUnique(ethnicities);
  for (const { code } of ethnicities) assert.match(code, /^\d{2}$/);
  assert.equal(nameOf(ethnicities, '01'), '汉族');
  assert.equal(nameOf(ethnicities, '56'), '基诺族');
  assert.equal(nameOf(ethnicities, '97'), '其他');
  assert.equal(nameOf(ethnicities, '98'), '外国血统中国籍人士');
  assert.equal(nameOf(ethnicities, '57'), undefined);
});

test('学历 and 学位 hold the levels of the form, 无 included', () => {
  assert.deepEqual(
    educationLevels.map((item) => item.name),
    ['博士研究生', '硕士研究生', '大学本科', '大学专科', '中等专科', '其他', '无'],
  );
  assert.deepEqual(
    degrees.map((item) => item.name),
    ['博士', '硕士', '学士', '无'],
  );
  assertUnique(educationLevels);
  assertUnique(degrees);
  assert.equal(codeOf(degrees, '学士'), '400');
});

test('the default 专业 list has the 14 specialties with stable codes', () => {
  assert.equal(defaultSpecialties.length, 14);
  assertUnique(defaultSpecialties);
  assert.equal(nameOf(codeLists.specialties, '01'), '房屋建筑工程');
  assert.equal(nameOf(codeLists.specialties, '14'), '机电安装工程');
  assert.equal(hasCode(codeLists.specialties, '15'), false);
});

test('a deployment can supply its own 专业 list; unusable lists are refused', () => {
  const lists = createCodeLists({ specialties: [{ code: 'A1', name: '房屋建筑工程' }, { code: 'B2', name: '公路工程' }] });
  assert.equal(lists.specialties.length, 2);
  assert.equal(nameOf(lists.specialties, 'B2'), '公路工程');
  assert.equal(lists.ethnicities, ethnicities);
  assert.throws(() => createCodeLists({ specialties: [{ code: '01', name: '房屋建筑工程' }] }), /至少需要2项/);
  assert.throws(
    () => createCodeLists({ specialties: [{ code: '01', name: '甲' }, { code: '01', name: '乙' }] }),
    /专业代码重复/,
  );
  assert.throws(() => createCodeLists({ specialties: [{ code: '01', name: '甲' }, { code: '02', name: ' ' }] }), /专业名称不能为空/);
});
