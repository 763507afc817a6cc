/**
 * CSV that opens cleanly in Excel and WPS and cannot run anything there (docs/adr/0009-excel-safe-export.md):
 * UTF-8 with a BOM (else Excel reads the Chinese as ANSI), CRLF line ends, every cell quoted, a cell that
 * a spreadsheet would take for a formula (= + - @, tab, CR) prefixed with `'`, and code columns (ID numbers,
 * USCCs) written as the text formula `="…"` so they are not turned into numbers: only when the value is
 * made of digits and capital letters, so the formula is ours over known-safe characters, never a person's text.
 */
import type { Context } from 'hono';

export interface CsvColumn<Row> {
  /** The heading, in Chinese. */
  title: string;
  value: (row: Row) => string | number | null | undefined;
  /** A code that must stay text (ID number, USCC, mobile number): leading zeros and every digit kept. */
  code?: boolean;
}

/** Cells a spreadsheet would evaluate or split: a formula's first characters, and tab or CR. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** What a code column may hold to be written as a text formula. */
const SAFE_CODE = /^[0-9A-Z]+$/;

export const CSV_BOM = '\uFEFF';

/** One cell's content as the spreadsheet should show it, before CSV quoting. */
export function safeCell(value: string, code = false): string {
  if (code && SAFE_CODE.test(value)) return `="${value}"`;
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** RFC 4180 quoting, applied to every cell alike. */
function quoted(cell: string): string {
  return `"${cell.replaceAll('"', '""')}"`;
}

function line(cells: readonly string[]): string {
  return `${cells.map(quoted).join(',')}\r\n`;
}

/** The whole file: BOM, heading line, one line per row. */
export function excelCsv<Row>(columns: readonly CsvColumn<Row>[], rows: Iterable<Row>): string {
  let out = CSV_BOM + line(columns.map((column) => safeCell(column.title)));
  for (const row of rows) {
    out += line(
      columns.map((column) => {
        const value = column.value(row);
        return safeCell(value === null || value === undefined ? '' : String(value), column.code);
      }),
    );
  }
  return out;
}

/**
 * The answer carrying a CSV file as a download. The file name goes in `filename*` (RFC 6266, UTF-8) with
 * an ASCII fallback, so Chinese names survive every browser.
 */
export function csvDownload(c: Context, fileName: string, csv: string, asciiFallback = 'export.csv'): Response {
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="${asciiFallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`);
  c.header('Cache-Control', 'no-store');
  return c.body(csv, 200);
}
