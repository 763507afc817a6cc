import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SUBMISSION_STATUSES, isSubmissionStatus, submissionStatusLabel, submissionStatusLabels } from './submission-status.ts';

test('every status code has a distinct Chinese label', () => {
  assert.equal(SUBMISSION_STATUSES.length, 11);
  assert.deepEqual(Object.keys(submissionStatusLabels).sort(), [...SUBMISSION_STATUSES].sort());
  assert.equal(new Set(Object.values(submissionStatusLabels)).size, SUBMISSION_STATUSES.length);
  assert.equal(submissionStatusLabel('submitted'), '已提交，待单位确认');
  assert.equal(submissionStatusLabel('approved'), '准予注册');
});

test('an unknown code is not a status and still gets a label', () => {
  assert.equal(isSubmissionStatus('archived'), false);
  assert.equal(isSubmissionStatus(1), false);
  assert.equal(submissionStatusLabel('archived'), '状态更新中');
});
