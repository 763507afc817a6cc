import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { excelCsv, safeCell } from './excel-csv.ts';

/** An RFC 4180 reader over the decoded text: the cells exactly as a spreadsheet receives them. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  while (i < text.length) {
    assert.equal(text[i], '"', `every cell is quoted (at ${i})`);
    i++;
    for (;;) {
      const quote = text.indexOf('"', i);
      assert.ok(quote >= 0, 'quoted cell is closed');
      cell += text.slice(i, quote);
      if (text[quote + 1] === '"') {
        cell += '"';
        i = quote + 2;
        continue;
      }
      i = quote + 1;
      break;
    }
    row.push(cell);
    cell = '';
    if (text[i] === ',') {
      i++;
    } else {
      assert.equal(text.slice(i, i + 2), '\r\n', 'lines end with CRLF');
      rows.push(row);
      row = [];
      i += 2;
    }
  }
  return rows;
}

interface Row {
  name: string;
  idNumber: string;
  uscc: string | null;
  count: number;
}

const columns = [
  { title: '姓名', value: (row: Row) => row.name },
  { title: '证件号码', value: (row: Row) => row.idNumber, code: true },
  { title: '统一社会信用代码', value: (row: Row) => row.uscc, code: true },
  { title: '件数', value: (row: Row) => row.count },
];

describe('excelCsv', () => {
  const rows: Row[] = [
    { name: '张三', idNumber: '11010519900101001X', uscc: '91370102MA0000001A', count: 1 },
    { name: '=HYPERLINK("http://x","点我")', idNumber: '=1+1', uscc: null, count: -3 },
    { name: '+86 138', idNumber: '0012', uscc: '9137 0102', count: 0 },
    { name: '@SUM(A1)', idNumber: '-5', uscc: '\t91', count: 2 },
    { name: '\r第二行', idNumber: 'abc', uscc: '"引号",逗号\n换行', count: 3 },
    { name: '-', idNumber: '', uscc: '', count: 4 },
  ];
  const bytes = new TextEncoder().encode(excelCsv(columns, rows));
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  const [heading, ...cells] = parseCsv(text.slice(1));

  it('starts with the UTF-8 BOM and ends every line with CRLF', () => {
    assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.ok(text.endsWith('\r\n'));
    // One CRLF per line (heading + rows); the only other LF is the one inside a quoted cell.
    assert.equal(text.split('\r\n').length - 1, rows.length + 1);
    assert.equal(text.replaceAll('\r\n', '').split('\n').length - 1, 1);
  });

  it('keeps the heading and every row, cell by cell', () => {
    assert.deepEqual(heading, ['姓名', '证件号码', '统一社会信用代码', '件数']);
    assert.equal(cells.length, rows.length);
    assert.deepEqual(cells[0], ['张三', '="11010519900101001X"', '="91370102MA0000001A"', '1']);
  });

  it('prefixes with an apostrophe every cell starting with = + - @, tab or CR', () => {
    assert.deepEqual(cells[1], [`'=HYPERLINK("http://x","点我")`, `'=1+1`, '', `'-3`]);
    assert.deepEqual(cells[3], [`'@SUM(A1)`, `'-5`, `'\t91`, '2']);
    assert.equal(cells[4]![0], `'\r第二行`);
    assert.equal(cells[5]![0], `'-`);
  });

  it('writes a code as a text formula only over digits and capital letters', () => {
    assert.equal(cells[2]![1], '="0012"');
    // A space, a lower-case letter or a quote is the person's text: neutralised like any cell, never a formula.
    assert.equal(cells[2]![2], '9137 0102');
    assert.equal(cells[4]![1], 'abc');
    assert.equal(cells[4]![2], '"引号",逗号\n换行');
    assert.equal(cells[5]![1], '');
  });

  it('no cell but our own text formulas starts with a formula character', () => {
    for (const line of cells) {
      for (const cell of line) {
        if (/^="[0-9A-Z]+"$/.test(cell)) continue;
        assert.doesNotMatch(cell, /^[=+\-@\t\r]/, cell);
      }
    }
  });

  it('safeCell leaves ordinary text alone', () => {
    assert.equal(safeCell('上海示例工程监理有限公司'), '上海示例工程监理有限公司');
    assert.equal(safeCell('2026-05-01T08:00:00.000Z'), '2026-05-01T08:00:00.000Z');
  });
});
