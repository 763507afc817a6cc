import { Hono } from 'hono';
import { queueFilterSchema, type QueueItem } from '../../shared/api/review.ts';
import { isoDateOf } from '../../shared/calendar-date.ts';
import { EMPTY_CALENDAR } from '../../shared/review/working-days.ts';
import { clientAddress, recordAudit } from '../audit/audit.ts';
import { type CsvColumn, csvDownload, excelCsv } from '../csv/excel-csv.ts';
import type { Storage } from '../db/database.ts';
import { validate } from '../http/validate.ts';
import { describeRoute, errorResponses } from '../openapi/describe-route.ts';
import { requireStaff, type StaffEnv } from '../staff/staff-auth.ts';
import { eventsOf, listAllMatching } from './review-store.ts';
import { noStore, type ReviewRoutesOptions, TAGS } from './staff-submission-routes.ts';
import { queueItemOf } from './submission-views.ts';

/** The export's columns; the ID number and the USCC stay text in Excel (docs/adr/0009-excel-safe-export.md). */
export const EXPORT_COLUMNS: readonly CsvColumn<QueueItem>[] = [
  { title: '受理回执编号', value: (item) => item.receiptNumber },
  { title: '提交时间', value: (item) => item.submittedAt },
  { title: '版本', value: (item) => item.version },
  { title: '状态', value: (item) => item.statusLabel },
  { title: '姓名', value: (item) => item.name },
  { title: '证件号码', value: (item) => item.idNumber, code: true },
  { title: '企业名称', value: (item) => item.enterprise.name },
  { title: '统一社会信用代码', value: (item) => item.enterprise.uscc, code: true },
  { title: '工商注册省份', value: (item) => item.enterprise.province },
  { title: '申请注册专业', value: (item) => item.specialties.join('、') },
  { title: '当前期限', value: (item) => item.deadline?.label },
  { title: '期限届满日', value: (item) => item.deadline?.due },
  { title: '剩余工作日', value: (item) => item.deadline?.workingDaysLeft },
];

/** /api/staff/submissions.csv: the queue's filters, every matching application, for Excel. */
export function submissionExportRoutes(storage: Storage, options: ReviewRoutesOptions = {}) {
  const calendar = options.calendar ?? EMPTY_CALENDAR;
  const now = options.now ?? (() => new Date());
  return new Hono<StaffEnv>().use('*', noStore).get(
    '/',
    describeRoute({
      operationId: 'exportStaffSubmissions',
      security: 'staff',
      summary: '导出申请（CSV，可用 Excel 打开）',
      description:
        '筛选条件与待办列表相同，导出全部符合条件的申请。UTF-8（带 BOM）、CRLF 换行；以 = + - @、制表符或回车开头的单元格前加 \'，证件号码和统一社会信用代码保持为文本。',
      tags: TAGS,
      responses: { 200: { description: 'CSV 文件', contentType: 'text/csv' }, ...errorResponses(401, 403) },
    }),
    requireStaff(storage, { roles: ['reviewer', 'admin'] }),
    validate('query', queueFilterSchema),
    async (c) => {
      const at = now();
      const rows = await listAllMatching(storage, c.req.valid('query'));
      const events = await eventsOf(storage.db, rows.map((row) => row.id));
      const items = rows.map((row) => queueItemOf(row, events.get(row.id) ?? [], calendar, at));
      await recordAudit(storage.db, { principal: c.get('staff'), action: 'submissions.export', address: clientAddress(c), at });
      const day = isoDateOf(at);
      return csvDownload(c, `申请导出-${day}.csv`, excelCsv(EXPORT_COLUMNS, items), `submissions-${day}.csv`);
    },
  );
}
