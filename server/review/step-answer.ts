import type { Context } from 'hono';
import { reviewMessages } from '../../shared/api/review.ts';
import { submissionStatusLabel } from '../../shared/submission-status.ts';
import { errorResponse } from '../http/errors.ts';
import type { StepResult } from './take-step.ts';

/** The HTTP answer to a step: the new status, or why it was refused (409 for the workflow's refusals). */
export function answerStep(c: Context, result: StepResult) {
  switch (result.kind) {
    case 'done': {
      const { kind: _kind, ...answer } = result;
      return c.json({ ...answer, statusLabel: submissionStatusLabel(answer.status) }, 200);
    }
    case 'not-found':
      return errorResponse(c, 404, reviewMessages.notFound);
    case 'stale':
      return errorResponse(c, 409, reviewMessages.stale);
    case 'illegal':
      return errorResponse(c, 409, reviewMessages.illegal);
    case 'correction-too-late':
      return errorResponse(c, 409, reviewMessages.correctionTooLate);
    case 'reason-required':
      return errorResponse(c, 422, reviewMessages.reasonRequired);
    case 'corrections-required':
      return errorResponse(c, 422, reviewMessages.correctionsRequired);
  }
}
