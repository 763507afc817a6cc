import { Hono } from 'hono';
import * as v from 'valibot';
import { auditPageSchema, auditQuerySchema } from '../../shared/api/staff-session.ts';
import { type AuditEntry, type AuditQuery, listAudit } from '../db/audit-log-store.ts';
import type { Storage } from '../db/database.ts';
import { csvDownload, excelCsv, type CsvColumn } from '../csv/excel-csv.ts';
import { errorResponse } from '../http/errors.ts';
import { validate } from '../http/validate.ts';
import { describeRoute, errorResponses } from '../openapi/describe-route.ts';
import { requireStaff } from '../staff/staff-auth.ts';
import { recordRequestAudit } from './audit.ts';

export const BAD_AUDIT_CURSOR = 'cursor 无效';

/**
 * The cursor is the (at, id) of a page's last entry, base64url JSON. It needs no seal: it only says
 * where to continue in a list the admin may read whole anyway, so it is checked for shape alone.
 */
const cursorSchema = v.object({ at: v.pipe(v.string(), v.isoTimestamp()), id: v.pipe(v.string(), v.uuid()) });

export function encodeAuditCursor(entry: Pick<AuditEntry, 'at' | 'id'>): string {
  return Buffer.from(JSON.stringify({ at: entry.at, id: entry.id })).toString('base64url');
}

export function decodeAuditCursor(cursor: string): { at: string; id: string } | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  try {
    const parsed = v.safeParse(cursorSchema, JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.output : undefined;
  } catch {
    return undefined;
  }
}

type AuditFilters = v.InferOutput<typeof auditQuerySchema>;

function queryOf(filters: AuditFilters, limit: number): AuditQuery {
  return {
    limit,
    ...(filters.from ? { from: filters.from } : {}),
    ...(filters.to ? { to: filters.to } : {}),
    ...(filters.action ? { action: filters.action } : {}),
    ...(filters.submission ? { subject: `submission:${filters.submission}` } : {}),
  };
}

const CSV_COLUMNS: CsvColumn<AuditEntry>[] = [
  { title: '时间', value: (e) => e.at },
  { title: '操作者', value: (e) => e.actor },
  { title: '角色', value: (e) => e.actorRole },
  { title: '单位', value: (e) => e.organisation },
  { title: '操作', value: (e) => e.action },
  { title: '对象', value: (e) => e.subject },
  { title: '来源地址', value: (e) => e.address },
];

const CSV_PAGE = 1000;

const TAGS = ['工作人员登录与审计'];

/** GET /audit (one page, cursor over (at, id)) and /audit.csv (everything the filters match); admins only. */
export function auditRoutes(storage: Storage, options: { clock?: () => Date } = {}) {
  const clock = options.clock ?? (() => new Date());
  const adminOnly = requireStaff(storage, { roles: ['admin'], clock });
  return new Hono()
    .get(
      '/audit',
      describeRoute({
        operationId: 'listAudit',
        security: 'staff',
        summary: '审计记录',
        description: '按时间先后列出；from 含、to 不含；以 nextCursor 翻页。仅管理员。',
        tags: TAGS,
        responses: { 200: { description: '一页审计记录', schema: auditPageSchema }, ...errorResponses(400, 401, 403) },
      }),
      adminOnly,
      validate('query', auditQuerySchema, { brief: true }),
      async (c) => {
        const filters = c.req.valid('query');
        const after = filters.cursor === undefined ? undefined : decodeAuditCursor(filters.cursor);
        if (filters.cursor !== undefined && !after) return errorResponse(c, 400, BAD_AUDIT_CURSOR);
        // One more than asked tells whether another page follows.
        const rows = await listAudit(storage.db, { ...queryOf(filters, filters.limit + 1), ...(after ? { after } : {}) });
        const entries = rows.slice(0, filters.limit);
        const last = entries.at(-1);
        await recordRequestAudit(c, storage.db, { principal: c.get('staff'), action: 'audit.read', subject: 'audit', at: clock() });
        return c.json({ entries, nextCursor: rows.length > filters.limit && last ? encodeAuditCursor(last) : null }, 200);
      },
    )
    .get(
      '/audit.csv',
      describeRoute({
        operationId: 'exportAudit',
        security: 'staff',
        summary: '导出审计记录（CSV）',
        description: 'UTF-8（含 BOM）、CRLF，可直接用 Excel 打开；筛选条件同 /staff/audit（cursor、limit 除外）。仅管理员。',
        tags: TAGS,
        responses: { 200: { description: 'CSV 文件', contentType: 'text/csv' }, ...errorResponses(400, 401, 403) },
      }),
      adminOnly,
      validate('query', auditQuerySchema, { brief: true }),
      async (c) => {
        const filters = c.req.valid('query');
        const entries: AuditEntry[] = [];
        let after: { at: string; id: string } | undefined;
        for (;;) {
          const page = await listAudit(storage.db, { ...queryOf(filters, CSV_PAGE), ...(after ? { after } : {}) });
          entries.push(...page);
          const last = page.at(-1);
          if (page.length < CSV_PAGE || !last) break;
          after = { at: last.at, id: last.id };
        }
        await recordRequestAudit(c, storage.db, { principal: c.get('staff'), action: 'audit.export', subject: 'audit', at: clock() });
        return csvDownload(c, '审计记录.csv', excelCsv(CSV_COLUMNS, entries), 'audit.csv');
      },
    );
}
