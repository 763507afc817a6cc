import { Hono } from 'hono';
import type { CodeLists } from '../../shared/code-lists.ts';
import { requireAccount, type SignedIn } from '../accounts/session.ts';
import type { Storage } from '../db/database.ts';
import { deleteDraft, listDrafts, type StoredDraft, writeDraft } from '../db/drafts-store.ts';
import { errorResponse } from '../http/errors.ts';
import { readJson } from '../http/json-body.ts';
import { createDraftWriteSchema, type DraftCopy, parseDraftId } from './draft-schemas.ts';

export const draftMessages = {
  badId: '草稿标识不正确',
  conflict: '草稿已在其他设备上修改',
  notFound: '未找到该草稿',
} as const;

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

/**
 * A person's drafts, kept per account so a second device gets them. Each write names the revision it
 * was based on; a stale one is refused with the server copy, which the device merges field by field.
 * JSON bodies are held to the API-wide cap (app.ts).
 */
export function draftRoutes(storage: Storage, options: DraftRoutesOptions = {}) {
  const now = options.now ?? (() => new Date());
  const schema = createDraftWriteSchema({ codeLists: options.codeLists });
  return new Hono<SignedIn>()
    .get('/', requireAccount(storage), async (c) => {
      const drafts = await listDrafts(storage.db, c.get('account').id);
      return c.json({ drafts: drafts.map(copyOf) }, 200);
    })
    .put('/:id', requireAccount(storage), async (c) => {
      const id = parseDraftId(c.req.param('id'));
      if (!id) return errorResponse(c, 400, draftMessages.badId);
      const parsed = await readJson(c, schema);
      if (!parsed.ok) return parsed.response;
      const { baseRevision, values, fieldUpdatedAt, photo, signature, updatedAt } = parsed.value;
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
    })
    .delete('/:id', requireAccount(storage), async (c) => {
      const id = parseDraftId(c.req.param('id'));
      // Deleting is idempotent: a draft that is not there (whatever its id) is as good as deleted.
      if (id) await deleteDraft(storage.db, c.get('account').id, id);
      return c.body(null, 204);
    });
}
