import { Hono } from 'hono';
import * as v from 'valibot';
import { openApiDocumentSchema } from '../../shared/api/openapi.ts';
import { describeRoute } from './describe-route.ts';
import { buildOpenApiDocument, type OpenApiDocument, type OpenApiOptions } from './openapi-document.ts';
import type { RouteTableOwner } from './route-table.ts';
import { renderDocsHtml } from './openapi-html.ts';

// The page has no script and loads nothing: the policy says so, so an injected tag could not run.
export const DOCS_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const docsPageSchema = v.string();

/**
 * The OpenAPI document and the same document as a readable page, built from the routes of the app
 * that mounts them (`app()` is read on first request, once that app is complete).
 */
export function openApiRoutes(app: () => RouteTableOwner, options: OpenApiOptions = {}) {
  let built: { document: OpenApiDocument; html: string } | undefined;
  // Built once: the routes, schemas and code lists are fixed at start.
  const current = () => {
    if (!built) {
      const document = buildOpenApiDocument(app(), options);
      built = { document, html: renderDocsHtml(document) };
    }
    return built;
  };
  return new Hono()
    .get(
      '/openapi.json',
      describeRoute({
        operationId: 'getOpenApiDocument',
        summary: '接口说明（OpenAPI 3.1）',
        tags: ['接口文档'],
        responses: { 200: { description: '本文档', schema: openApiDocumentSchema } },
      }),
      (c) => c.json(current().document, 200),
    )
    .get(
      '/docs',
      describeRoute({
        operationId: 'getApiDocs',
        summary: '接口说明网页',
        tags: ['接口文档'],
        responses: { 200: { description: '中文网页', schema: docsPageSchema, contentType: 'text/html' } },
      }),
      (c) =>
        c.html(current().html, 200, {
          'Content-Security-Policy': DOCS_CSP,
          'X-Content-Type-Options': 'nosniff',
        }),
    );
}
