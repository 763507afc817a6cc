import { Hono } from 'hono';
import { confirmationBodySchema, decisionResultSchema, employerListSchema, staffSubmissionParamSchema } from '../../shared/api/review.ts';
import { EMPTY_CALENDAR } from '../../shared/review/working-days.ts';
import { clientAddress, recordAudit } from '../audit/audit.ts';
import type { Storage } from '../db/database.ts';
import { errorResponse } from '../http/errors.ts';
import { NOT_ALLOWED, requireStaff, type StaffEnv } from '../staff/staff-auth.ts';
import { validate } from '../http/validate.ts';
import { describeRoute, errorSpec, errorResponses } from '../openapi/describe-route.ts';
import { listForEmployer } from './review-store.ts';
import { noStore, type ReviewRoutesOptions } from './staff-submission-routes.ts';
import { answerStep } from './step-answer.ts';
import { employerItemOf } from './submission-views.ts';
import { takeStep } from './take-step.ts';

const TAGS = ['单位确认'];

/**
 * /api/employer: an employer account's applications (those naming its USCC) and its confirmation that
 * the applicant works there. Another employer's application is answered exactly like a missing one.
 */
export function employerRoutes(storage: Storage, options: ReviewRoutesOptions = {}) {
  const calendar = options.calendar ?? EMPTY_CALENDAR;
  const now = options.now ?? (() => new Date());
  const employers = requireStaff(storage, { roles: ['employer'] });
  return new Hono<StaffEnv>()
    .use('*', noStore)
    .get(
      '/submissions',
      describeRoute({
        operationId: 'listEmployerSubmissions',
        security: 'staff',
        summary: '本单位的申请（最新的在前）',
        description: '仅列出申报信息中受聘单位为本单位（统一社会信用代码）的申请。',
        tags: TAGS,
        responses: { 200: { description: '本单位的申请', schema: employerListSchema }, ...errorResponses(401, 403) },
      }),
      employers,
      async (c) => {
        const principal = c.get('staff');
        if (principal.kind !== 'staff' || !principal.uscc) return errorResponse(c, 403, NOT_ALLOWED);
        const rows = await listForEmployer(storage.db, principal.uscc);
        await recordAudit(storage.db, { principal, action: 'submissions.list', address: clientAddress(c), at: now() });
        return c.json({ submissions: rows.map(employerItemOf) }, 200);
      },
    )
    .post(
      '/submissions/:id/confirmation',
      describeRoute({
        operationId: 'confirmEmployerSubmission',
        security: 'staff',
        summary: '单位确认或不予确认',
        description: '确认申请人受聘于本单位；不予确认须写理由。只能在提交后、单位确认前办理，否则返回 409。',
        tags: TAGS,
        responses: {
          200: { description: '已办理', schema: decisionResultSchema },
          ...errorResponses(401, 403, 404),
          409: errorSpec('当前状态不能确认'),
          422: errorSpec('不予确认时须写理由'),
        },
      }),
      employers,
      validate('param', staffSubmissionParamSchema, { status: 404 }),
      validate('json', confirmationBodySchema),
      async (c) => {
        const principal = c.get('staff');
        if (principal.kind !== 'staff' || !principal.uscc) return errorResponse(c, 403, NOT_ALLOWED);
        const body = c.req.valid('json');
        const result = await takeStep(storage, {
          submissionId: c.req.valid('param').id,
          principal,
          step: { by: 'employer', action: body.confirmed ? 'confirm' : 'decline' },
          ...(body.reason === undefined ? {} : { reason: body.reason }),
          employerUscc: principal.uscc,
          address: clientAddress(c),
          calendar,
          now: now(),
        });
        return answerStep(c, result);
      },
    );
}
