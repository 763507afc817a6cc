import { Hono } from 'hono';
import { type OpenApiOptions, buildOpenApiDocument } from './openapi-document.ts';
import { renderDocsHtml } from './openapi-html.ts';

// The page has no script and loads nothing: the policy says so, so an injected tag could not run.
const DOCS_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Mounted at /api: the OpenAPI document and the same document as a readable page. */
export function openApiRoutes(options: OpenApiOptions = {}) {
  // Built once: it depends only on the schemas and the code lists, which are fixed at start.
  const document = buildOpenApiDocument(options);
  const html = renderDocsHtml(document);
  return new Hono()
    .get('/openapi.json', (c) => c.json(document, 200))
    .get('/docs', (c) =>
      c.html(html, 200, {
        'Content-Security-Policy': DOCS_CSP,
        'X-Content-Type-Options': 'nosniff',
      }),
    );
}
