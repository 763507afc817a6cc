import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  COMMITMENT_INTRO,
  COMMITMENT_VERSION,
  commitmentChoices,
  commitmentClauses,
  commitmentPlainText,
  renderCommitment,
} from './commitment.ts';

const party = { name: '张三', idNumber: '11010519491231002X', mobile: '13800138000', employer: '上海示例工程监理有限公司' };

test('the commitment has exactly 14 clauses, numbered 1、 to 14、', () => {
  assert.equal(commitmentClauses.length, 14);
  const { version, paragraphs } = renderCommitment(party);
  assert.equal(version, COMMITMENT_VERSION);
  assert.equal(paragraphs.length, 16);
  paragraphs.slice(2).forEach((paragraph, index) => {
    assert.ok(paragraph.startsWith(`${index + 1}、本人`), paragraph);
  });
});

test('name, ID number, mobile and employer are filled in', () => {
  const { paragraphs } = renderCommitment(party);
  assert.equal(paragraphs[0], COMMITMENT_INTRO);
  assert.equal(COMMITMENT_INTRO, '办理该业务，请仔细阅读下列承诺条款，确认无误后方可提交。');
  assert.ok(
    paragraphs[1]?.startsWith(
      '本人姓名：张三，身份证号：11010519491231002X，手机号：13800138000，申请监理工程师注册业务。本人已充分知悉',
    ),
  );
  assert.ok(paragraphs[1]?.endsWith('现郑重承诺如下：'));
  assert.equal(
    paragraphs[6],
    '5、本人受聘于上海示例工程监理有限公司，该受聘单位符合有关主管部门规定的注册单位要求，该受聘单位为本人唯一受聘单位。',
  );
  assert.ok(paragraphs.every((paragraph) => !paragraph.includes('{')));
});

test('the canonical text is the paragraphs joined by newlines, and special characters stay literal', () => {
  const text = commitmentPlainText(party);
  assert.equal(text, renderCommitment(party).paragraphs.join('\n'));
  assert.equal(text.split('\n').length, 16);
  assert.ok(text.endsWith('14、本人具有完全民事行为能力，以上承诺均为本人真实意思表示。'));
  assert.ok(commitmentPlainText({ ...party, employer: "甲$&乙$'" }).includes("本人受聘于甲$&乙$'，"));
});

test('the two choices carry the labels of the dialog', () => {
  assert.deepEqual(
    commitmentChoices.map((choice) => [choice.value, choice.label]),
    [
      ['accept', '本人作出上述承诺'],
      ['decline', '本人不作出上述承诺'],
    ],
  );
});
