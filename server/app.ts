import { type ErrorHandler, Hono } from 'hono';
import type { Storage } from './db/database.ts';
import { errorResponse, messages } from './http/errors.ts';
import { JSON_LIMIT_BYTES, limitJsonBodies } from './http/json-body.ts';
import { healthRoutes } from './health/health-routes.ts';
import { closeConnectionsWhileDraining, type Readiness } from './health/readiness.ts';
import { trustForwardedHeaders } from './http/forwarded.ts';
import { accountRoutes } from './accounts/account-routes.ts';
import { identityCheckRoutes } from './accounts/identity-check-routes.ts';
import { sessionRoutes } from './accounts/session-routes.ts';
import { passwordResetRoutes } from './accounts/password-reset-routes.ts';
import { mobileChangeRoutes } from './accounts/mobile-change-routes.ts';
import { myDataRoutes } from './my-data/my-data-routes.ts';
import { faceVerificationRoutes } from './face-verification/face-verification-routes.ts';
import type { FaceVerifier } from './face-verification/verifier.ts';
import { attachmentRoutes } from './attachments/attachment-routes.ts';
import { draftRoutes } from './drafts/draft-routes.ts';
import { enterpriseRoutes } from './enterprises/enterprise-routes.ts';
import { openApiRoutes } from './openapi/openapi-routes.ts';
import type { RouteTableOwner } from './openapi/route-table.ts';
import { receiptRoutes } from './receipts/receipt-routes.ts';
import type { ReceiptSignerSource } from './receipts/receipt-signer.ts';
import { submissionRoutes } from './submissions/submission-routes.ts';
import { securityHeaders } from './security-headers.ts';
import { staffAuthRoutes } from './staff/staff-auth-routes.ts';
import { feedRoutes } from './feed/feed-routes.ts';
import { employerRoutes } from './review/employer-routes.ts';
import { submissionExportRoutes } from './review/export-routes.ts';
import { staffSubmissionRoutes } from './review/staff-submission-routes.ts';
import type { HolidayCalendar } from '../shared/review/working-days.ts';
import { mountClient } from './static-client.ts';
import { errorFields, type Logger, silentLogger } from './observability/logger.ts';
import { createMetrics, type Metrics } from './observability/metrics.ts';
import { type MetricsAccess, metricsEnabled, metricsRoutes } from './observability/metrics-routes.ts';
import { requestIdOf } from './observability/request-id.ts';
import { requestLog } from './observability/request-log.ts';
import { routeLabel } from './observability/route-label.ts';

export interface AppDeps {
  storage: Storage;
  faceVerifier: FaceVerifier;
  /** Where request lines and errors go (main.ts: JSON lines on stdout); nowhere without it. */
  logger?: Logger;
  /** Who may read GET /metrics (METRICS_TOKEN, METRICS_ALLOW); without it /metrics is off (404). */
  metrics?: MetricsAccess;
  /** A signer, or where to get the current one; without it, the database's key is loaded on first use. */
  receiptSigner?: ReceiptSignerSource;
  /** How long a submission's Idempotency-Key stays claimed by a request before another may take it over. */
  submissionLockMs?: number;
  /** Public holidays and worked weekends, for the review's deadlines; weekends only without it. */
  holidayCalendar?: HolidayCalendar;
  /** Marked draining by main.ts on SIGTERM: readiness answers 503 and answers close their connection. */
  readiness?: Readiness;
  /** Proxies whose X-Forwarded-For names the client (TRUSTED_PROXIES); none without it. */
  trustedProxies?: readonly string[];
}

/**
 * A 500 for what no handler expected: the person sees a short, safe message; the log gets where it broke,
 * never the message, which may quote input (errorFields). Hono's own handler would print the whole error.
 */
function answerUnexpectedError(logger: Logger): ErrorHandler {
  return (err, c) => {
    logger.error({ reqId: requestIdOf(c), method: c.req.method, route: routeLabel(c), ...errorFields(err) }, '请求处理失败');
    return errorResponse(c, 500, messages.internal);
  };
}

/** Where main.ts mounts the API; the OpenAPI document's paths start with it. */
export const API_BASE_PATH = '/api';

/** The API: one small sub-app per resource, chained so the client can derive its types from `AppType`. */
export function createApi(deps: AppDeps, metrics?: Metrics) {
  const logger = deps.logger ?? silentLogger;
  const api = new Hono()
    .use('*', limitJsonBodies(JSON_LIMIT_BYTES))
    .route('/health', healthRoutes(deps.storage, deps.readiness))
    .route('/identity-checks', identityCheckRoutes(deps.storage))
    .route('/accounts', accountRoutes(deps.storage))
    .route('/session', sessionRoutes(deps.storage))
    .route('/face-verifications', faceVerificationRoutes(deps.storage, deps.faceVerifier))
    .route('/password-resets', passwordResetRoutes(deps.storage, deps.faceVerifier))
    .route('/account/mobile', mobileChangeRoutes(deps.storage))
    .route('/me', myDataRoutes(deps.storage))
    .route('/enterprises', enterpriseRoutes(deps.storage))
    .route('/attachments', attachmentRoutes(deps.storage))
    .route('/drafts', draftRoutes(deps.storage))
    .route(
      '/submissions',
      submissionRoutes(deps.storage, {
        receiptSigner: deps.receiptSigner,
        lockMs: deps.submissionLockMs,
        onIdempotency: metrics?.idempotency,
      }),
    )
    .route('/receipts', receiptRoutes(deps.storage, deps.receiptSigner))
    .route('/staff', staffAuthRoutes(deps.storage))
    .route('/staff/feed', feedRoutes(deps.storage))
    .route('/staff/submissions', staffSubmissionRoutes(deps.storage, { calendar: deps.holidayCalendar }))
    .route('/staff/submissions.csv', submissionExportRoutes(deps.storage, { calendar: deps.holidayCalendar }))
    .route('/employer', employerRoutes(deps.storage, { calendar: deps.holidayCalendar }))
    // The document is built from this very app's route table, on first request, once it is complete.
    .route('/', openApiRoutes((): RouteTableOwner => api, { basePath: API_BASE_PATH }));

  // A catch-all inside the sub-app: once mounted, the parent's fallback (the app shell) would answer instead.
  api.all('*', (c) => errorResponse(c, 404, messages.notFound));
  // Inside the sub-app too: once mounted, the parent's handler would not see the API's errors.
  api.onError(answerUnexpectedError(logger));
  return api;
}

export type AppType = ReturnType<typeof createApi>;

/** The whole server: security headers on every answer, the API under /api, the built client beside it. */
export function createApp(deps: AppDeps, clientRoot?: string) {
  const app = new Hono();
  const logger = deps.logger ?? silentLogger;
  const metrics = metricsEnabled(deps.metrics) ? createMetrics(deps.storage) : undefined;
  // First, so its id and its timing cover every answer, the other middleware's included.
  app.use('*', requestLog(logger, metrics?.requestCompleted));
  app.use('*', securityHeaders());
  app.use('*', trustForwardedHeaders(deps.trustedProxies ?? []));
  if (deps.readiness) app.use('*', closeConnectionsWhileDraining(deps.readiness));
  app.route(API_BASE_PATH, createApi(deps, metrics));
  app.route('/metrics', metricsRoutes(metrics, deps.metrics));
  if (clientRoot) mountClient(app, clientRoot);
  app.onError(answerUnexpectedError(logger));
  return app;
}
