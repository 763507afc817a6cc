/** GET /api/openapi.json: an OpenAPI 3.1 document; only its outline is checked here. */
import * as v from 'valibot';

export const openApiDocumentSchema = v.looseObject({
  openapi: v.literal('3.1.0'),
  info: v.looseObject({ title: v.string(), version: v.string() }),
  paths: v.record(v.string(), v.looseObject({})),
});

export type OpenApiDocumentOutline = v.InferOutput<typeof openApiDocumentSchema>;
