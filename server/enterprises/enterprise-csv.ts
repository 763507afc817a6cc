import { validateUscc } from '../../shared/uscc.ts';
import { normaliseSearchText } from '../../shared/search-text.ts';
import type { Enterprise } from '../../shared/enterprise.ts';

/** One problem in the file, with the line number a person sees in an editor (the header is line 1). */
export interface CsvProblem {
  line: number;
  message: string;
}

export interface EnterpriseCsvResult {
  /** Every row without an error (rows with only a warning included), USCC in canonical form. */
  rows: Enterprise[];
  errors: CsvProblem[];
  warnings: CsvProblem[];
}

export const NAME_MAX_CHARS = 100;
// Not in the brief's rules, but a cell this long is a shifted column, not a person or a place.
const OTHER_MAX_CHARS = 50;

type Column = 'uscc' | 'name' | 'legalRepresentative' | 'province' | 'city';

const COLUMNS: readonly { key: Column; chinese: string; english: string }[] = [
  { key: 'uscc', chinese: '统一社会信用代码', english: 'uscc' },
  { key: 'name', chinese: '企业名称', english: 'name' },
  { key: 'legalRepresentative', chinese: '法定代表人', english: 'legal_representative' },
  { key: 'province', chinese: '工商注册省份', english: 'province' },
  { key: 'city', chinese: '工商注册市区', english: 'city' },
];

interface CsvRecord {
  /** Line on which the record starts; a quoted field may carry it over several lines. */
  line: number;
  fields: string[];
}

/**
 * RFC 4180 records: fields separated by commas, records by CRLF or LF, a field in double quotes may
 * hold commas, line breaks and doubled quotes. A stray quote inside an unquoted field is kept as
 * text (hand-made files have them); text after a closing quote and an unclosed quote are errors.
 */
export function parseCsvRecords(text: string): { records: CsvRecord[]; errors: CsvProblem[] } {
  const records: CsvRecord[] = [];
  const errors: CsvProblem[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let broken = false;
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        const quoteLine = line;
        i++;
        let closed = false;
        while (i < n) {
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (ch === '\n') line++;
          field += ch;
          i++;
        }
        if (!closed) {
          errors.push({ line: quoteLine, message: `第 ${quoteLine} 行：引号未闭合` });
          return { records, errors };
        }
        if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          if (!broken) errors.push({ line, message: `第 ${line} 行：引号后有多余的字符` });
          broken = true;
          while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') i++;
        }
      } else {
        while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') field += text[i++];
      }
      fields.push(field);
      if (i < n && text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    // End of record: CRLF, LF or a lone CR (old Mac exports).
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    line++;
    // Spreadsheets export empty rows as ",,,,"; they are skipped like empty lines.
    const blank = fields.every((f) => f.trim() === '');
    if (!broken && !blank) records.push({ line: start, fields });
  }
  return { records, errors };
}

function headerKey(cell: string): Column | undefined {
  const name = cell.trim();
  return COLUMNS.find((c) => c.chinese === name || c.english === name.toLowerCase())?.key;
}

function charCount(text: string): number {
  return [...text].length;
}

/**
 * Parses and checks an enterprise directory file. Every row is checked, so one run lists every
 * problem; the caller imports nothing while `errors` is not empty. A USCC whose check char does not
 * match is only a warning (some early codes fail it).
 */
export function parseEnterpriseCsv(text: string): EnterpriseCsvResult {
  const rows: Enterprise[] = [];
  const warnings: CsvProblem[] = [];
  const { records, errors } = parseCsvRecords(text.replace(/^\uFEFF/, ''));
  const header = records[0];
  if (!header) {
    errors.push({ line: 1, message: '第 1 行：文件为空，缺少表头' });
    return { rows, errors, warnings };
  }

  const index = new Map<Column, number>();
  header.fields.forEach((cell, at) => {
    const key = headerKey(cell);
    if (key === undefined) return; // extra columns (序号, 备注…) are ignored
    if (index.has(key)) errors.push({ line: header.line, message: `第 ${header.line} 行：表头“${cell.trim()}”列重复` });
    else index.set(key, at);
  });
  const missing = COLUMNS.filter((c) => !index.has(c.key));
  if (missing.length > 0) {
    const names = missing.map((c) => `“${c.chinese}”`).join('、');
    errors.push({ line: header.line, message: `第 ${header.line} 行：表头缺少${names}列` });
    return { rows, errors, warnings };
  }

  const seen = new Map<string, number>();
  for (const record of records.slice(1)) {
    const { line } = record;
    const fail = (message: string) => errors.push({ line, message: `第 ${line} 行：${message}` });
    if (record.fields.length !== header.fields.length) {
      // Most often an unquoted comma inside a name.
      fail(`应有 ${header.fields.length} 列，实有 ${record.fields.length} 列（内容含逗号时请用英文双引号括起）`);
      continue;
    }
    const cell = (key: Column) => record.fields[index.get(key)!]!.trim();
    const before = errors.length;

    let uscc: string | undefined;
    const rawUscc = normaliseSearchText(cell('uscc'));
    if (rawUscc === '') fail('统一社会信用代码为空');
    else {
      const check = validateUscc(rawUscc);
      if (!check.ok) fail('统一社会信用代码格式不正确');
      else {
        uscc = check.uscc;
        if (!check.checksumValid) warnings.push({ line, message: `第 ${line} 行：统一社会信用代码校验位不符，请核对` });
        const first = seen.get(uscc);
        if (first !== undefined) fail(`统一社会信用代码与第 ${first} 行重复`);
        else seen.set(uscc, line);
      }
    }

    const name = cell('name');
    if (name === '') fail('企业名称为空');
    else if (charCount(name) > NAME_MAX_CHARS) fail(`企业名称超过 ${NAME_MAX_CHARS} 个字`);

    const others: [Column, string][] = [
      ['legalRepresentative', '法定代表人'],
      ['province', '工商注册省份'],
      ['city', '工商注册市区'],
    ];
    for (const [key, label] of others) {
      const value = cell(key);
      if (value === '') fail(`${label}为空`);
      else if (charCount(value) > OTHER_MAX_CHARS) fail(`${label}超过 ${OTHER_MAX_CHARS} 个字`);
    }

    if (errors.length === before && uscc !== undefined) {
      rows.push({
        uscc,
        name,
        legalRepresentative: cell('legalRepresentative'),
        province: cell('province'),
        city: cell('city'),
      });
    }
  }
  return { rows, errors, warnings };
}

/**
 * The file's bytes as text. Spreadsheet programs in China often save CSV as GBK; that is refused with
 * a hint rather than imported as garbled names.
 */
export function decodeCsvBytes(bytes: Uint8Array): { ok: true; text: string } | { ok: false; message: string } {
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, message: '文件不是 UTF-8 编码，请在表格软件中另存为“CSV UTF-8”格式后重试' };
  }
}
