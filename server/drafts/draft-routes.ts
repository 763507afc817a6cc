import { Hono } from 'hono';
import * as v from 'valibot';
import {
  createDraftWriteSchema,
  type DraftCopy,
  draftConflictSchema,
  draftIdParamSchema,
  draftIdSchema,
  draftListSchema,
  draftMessages,
  draftSavedSchema,
} from '../../shared/api/drafts.ts';
import type { CodeLists } from '../../shared/code-lists.ts';
import { requireAccount, type SignedIn } from '../accounts/session.ts';
import type { Storage } from '../db/database.ts';
import { deleteDraft, listDrafts, writeDraft } from '../db/drafts-store.ts';
import { errorResponse } from '../http/errors.ts';
import { validate } from '../http/validate.ts';
import { describeRoute, errorResponses } from '../openapi/describe-route.ts';
import type { StoredDraft } from './draft.ts';

export interface DraftRoutesOptions {
  /** The clock; tests pin it. */
  now?: () => Date;
  /** The deployment's code lists, as for submissions. */
  codeLists?: CodeLists;
}

function copyOf(draft: StoredDraft): DraftCopy {
  return {
    id: draft.id,
    revision: draft.revision,
    values: draft.values,
    fieldUpdatedAt: draft.fieldUpdatedAt,
    ...(draft.photo === undefined ? {} : { photo: draft.photo }),
    ...(draft.signature === undefined ? {} : { signature: draft.signature }),
    updatedAt: draft.updatedAt,
  };
}

const TAGS = ['草稿'];

/**
 * A person's drafts, kept per account so a second device gets them. Each write names the revision it
 * was based on; a stale one is refused with the server copy, which the device merges field by field.
 * JSON bodies are held to the API-wide cap (app.ts).
 */
export function draftRoutes(storage: Storage, options: DraftRoutesOptions = {}) {
  const now = options.now ?? (() => new Date());
  const schema = createDraftWriteSchema({ codeLists: options.codeLists });
  return new Hono<SignedIn>()
    .get(
      '/',
      describeRoute({
        operationId: 'listDrafts',
        summary: '我的草稿（最近保存的在前）',
        description: '在另一台设备登录后据此取回草稿。',
        tags: TAGS,
        security: 'session',
        responses: { 200: { description: '本人的草稿', schema: draftListSchema } },
      }),
      requireAccount(storage),
      async (c) => {
        const drafts = await listDrafts(storage.db, c.get('account').id);
        return c.json({ drafts: drafts.map(copyOf) }, 200);
      },
    )
    .put(
      '/:id',
      describeRoute({
        operationId: 'saveDraft',
        summary: '保存草稿（按版本号）',
        description:
          '服务器上的版本号等于 baseRevision（新草稿为 0）时保存并返回新版本号；否则返回 409 和服务器上的草稿，由设备逐字段合并后再保存。' +
          '同一内容的重试得到相同的版本号。不属于本人的草稿 id 与不存在的相同（404）。',
        tags: TAGS,
        security: 'session',
        responses: {
          200: { description: '已保存', schema: draftSavedSchema },
          ...errorResponses(404),
          409: { description: '草稿已在其他设备上修改：附服务器上的草稿', schema: draftConflictSchema },
        },
      }),
      requireAccount(storage),
      validate('param', draftIdParamSchema, { brief: true }),
      validate('json', schema),
      async (c) => {
        const { id } = c.req.valid('param');
        const { baseRevision, values, fieldUpdatedAt, photo, signature, updatedAt } = c.req.valid('json');
        const result = await writeDraft(storage.db, {
          id,
          accountId: c.get('account').id,
          baseRevision,
          content: { values, fieldUpdatedAt, photo, signature, updatedAt },
          now: now(),
        });
        if (result.status === 'saved') return c.json({ revision: result.revision }, 200);
        // Someone else's draft id is answered exactly like a missing one.
        if (result.status === 'not-found') return errorResponse(c, 404, draftMessages.notFound);
        return c.json({ error: draftMessages.conflict, draft: copyOf(result.draft) }, 409);
      },
    )
    .delete(
      '/:id',
      describeRoute({
        operationId: 'deleteDraft',
        summary: '删除草稿',
        description: '草稿不存在时同样返回 204。',
        tags: TAGS,
        security: 'session',
        responses: { 204: { description: '已删除' } },
      }),
      requireAccount(storage),
      async (c) => {
        // Deleting is idempotent: a draft that is not there (whatever its id) is as good as deleted.
        const id = v.safeParse(draftIdSchema, c.req.param('id'));
        if (id.success) await deleteDraft(storage.db, c.get('account').id, id.output);
        return c.body(null, 204);
      },
    );
}
