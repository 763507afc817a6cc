import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SUBMISSION_STATUSES, type SubmissionStatus } from '../submission-status.ts';
import { availableSteps, checkStep, FINAL_STATUSES, isFinal, type ReviewDecision, type WorkflowStep } from './workflow.ts';

const reviewer = (action: ReviewDecision): WorkflowStep => ({ by: 'reviewer', action });

test('the whole path: employer, 受理, 审查, 公示, 准予注册', () => {
  const path: [WorkflowStep, SubmissionStatus][] = [
    [{ by: 'employer', action: 'confirm' }, 'employer_confirmed'],
    [reviewer('accept'), 'accepted'],
    [reviewer('start_review'), 'under_review'],
    [reviewer('publicise'), 'publicised'],
    [reviewer('approve'), 'approved'],
  ];
  let status: SubmissionStatus = 'submitted';
  for (const [step, expected] of path) {
    const result = checkStep(status, step);
    assert.deepEqual(result, { ok: true, to: expected });
    status = expected;
  }
  assert.equal(isFinal(status), true);
});

test('补正 reopens the application; the resubmission goes back to the reviewer', () => {
  const asked = checkStep('employer_confirmed', reviewer('request_correction'), { corrections: [{ field: 'photo', note: '请更换照片' }] });
  assert.deepEqual(asked, { ok: true, to: 'correction_requested' });
  assert.deepEqual(checkStep('correction_requested', { by: 'applicant', action: 'resubmit' }), { ok: true, to: 'employer_confirmed' });
  assert.deepEqual(checkStep('employer_confirmed', reviewer('request_correction')), { ok: false, reason: 'corrections-required' });
});

test('refusals need a reason', () => {
  assert.deepEqual(checkStep('employer_confirmed', reviewer('not_accept')), { ok: false, reason: 'reason-required' });
  assert.deepEqual(checkStep('employer_confirmed', reviewer('not_accept'), { reason: '  ' }), { ok: false, reason: 'reason-required' });
  assert.deepEqual(checkStep('employer_confirmed', reviewer('not_accept'), { reason: '年龄超过65周岁' }), { ok: true, to: 'not_accepted' });
  assert.deepEqual(checkStep('submitted', { by: 'employer', action: 'decline' }), { ok: false, reason: 'reason-required' });
  assert.deepEqual(checkStep('publicised', reviewer('reject'), { reason: '公示期间收到实名举报，经核实' }), { ok: true, to: 'rejected' });
});

test('the applicant may withdraw only before 受理', () => {
  for (const status of ['submitted', 'employer_confirmed', 'correction_requested'] as const) {
    assert.deepEqual(checkStep(status, { by: 'applicant', action: 'withdraw' }), { ok: true, to: 'withdrawn' });
  }
  for (const status of ['accepted', 'under_review', 'publicised', 'approved'] as const) {
    assert.deepEqual(checkStep(status, { by: 'applicant', action: 'withdraw' }), { ok: false, reason: 'illegal' });
  }
});

test('nothing skips a stage, nobody takes another party\'s step, and final statuses are final', () => {
  assert.equal(checkStep('submitted', reviewer('accept')).ok, false, 'the employer confirms first');
  assert.equal(checkStep('accepted', reviewer('approve')).ok, false, 'no approval without review and 公示');
  assert.equal(checkStep('employer_confirmed', { by: 'employer', action: 'confirm' }).ok, false, 'confirmed once');
  for (const status of FINAL_STATUSES) {
    for (const actor of ['employer', 'reviewer', 'applicant'] as const) {
      assert.deepEqual(availableSteps(status, actor), [], `${status} by ${actor}`);
    }
  }
});

test('every status is reachable and the console is offered exactly the legal steps', () => {
  const reached = new Set<SubmissionStatus>(['submitted']);
  for (let round = 0; round < SUBMISSION_STATUSES.length; round++) {
    for (const status of [...reached]) {
      for (const actor of ['employer', 'reviewer', 'applicant'] as const) {
        for (const step of availableSteps(status, actor)) {
          const result = checkStep(status, step, { reason: '理由', corrections: [{}] });
          assert.equal(result.ok, true, `${status}: ${step.by} ${step.action}`);
          if (result.ok) reached.add(result.to);
        }
      }
    }
  }
  assert.deepEqual([...reached].sort(), [...SUBMISSION_STATUSES].sort());
  assert.deepEqual(
    availableSteps('employer_confirmed', 'reviewer').map((step) => step.action),
    ['accept', 'not_accept', 'request_correction'],
  );
});
