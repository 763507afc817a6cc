import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { usccCheckChar } from '../../shared/uscc.ts';
import { decodeCsvBytes, parseCsvRecords, parseEnterpriseCsv } from './enterprise-csv.ts';

function validUscc(first17: string): string {
  return first17 + usccCheckChar(first17);
}

/** Same first 17 chars, a check char that is in the alphabet but wrong. */
function badChecksumUscc(first17: string): string {
  const right = usccCheckChar(first17);
  return first17 + (right === '0' ? '1' : '0');
}

const A = validUscc('91370100MA0000001');
const B = validUscc('91440101MA0000002');
const C = validUscc('91510100MA0000003');
const HEADER = '统一社会信用代码,企业名称,法定代表人,工商注册省份,工商注册市区';

describe('parseEnterpriseCsv', () => {
  it('reads a good file with CRLF line ends and a trailing newline', () => {
    const text = [HEADER, `${A},济南泉城监理有限公司,张三,山东省,济南市`, `${B},广州穗诚咨询有限公司,李四,广东省,广州市`, ''].join(
      '\r\n',
    );
    const result = parseEnterpriseCsv(text);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(result.rows, [
      { uscc: A, name: '济南泉城监理有限公司', legalRepresentative: '张三', province: '山东省', city: '济南市' },
      { uscc: B, name: '广州穗诚咨询有限公司', legalRepresentative: '李四', province: '广东省', city: '广州市' },
    ]);
  });

  it('strips a BOM and accepts English headers in any order, ignoring extra columns', () => {
    const text = `\uFEFFname,uscc,City,province,legal_representative,note\n成都蓉安监理有限公司,${C},成都市,四川省,王五,x\n`;
    const result = parseEnterpriseCsv(text);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.rows, [
      { uscc: C, name: '成都蓉安监理有限公司', legalRepresentative: '王五', province: '四川省', city: '成都市' },
    ]);
  });

  it('keeps commas, doubled quotes and line breaks inside quoted fields, counting lines as an editor does', () => {
    const text = [
      HEADER,
      `${A},"济南""泉城""监理,有限公司",张三,山东省,济南市`,
      `${B},"广州穗诚`,
      `咨询有限公司",李四,广东省,广州市`,
      `${C},,王五,四川省,成都市`,
    ].join('\n');
    const result = parseEnterpriseCsv(text);
    assert.deepEqual(
      result.rows.map((r) => r.name),
      ['济南"泉城"监理,有限公司', '广州穗诚\n咨询有限公司'],
    );
    // The record after the two-line field starts on line 5.
    assert.deepEqual(result.errors, [{ line: 5, message: '第 5 行：企业名称为空' }]);
  });

  it('reports every bad row by its line and keeps the good ones', () => {
    const text = [
      HEADER,
      `${A},甲监理有限公司,张三,山东省,济南市`,
      '91370100MA00000O1,乙监理有限公司,李四,山东省,济南市', // letter O is not in the alphabet
      `${B},丙监理有限公司,,广东省,`,
      `${C},丁监理,有限公司,王五,四川省,成都市`, // an unquoted comma
      `${validUscc('91110105MA0000004')},${'长'.repeat(101)},赵六,北京市,北京市`,
    ].join('\n');
    const result = parseEnterpriseCsv(text);
    assert.deepEqual(result.errors, [
      { line: 3, message: '第 3 行：统一社会信用代码格式不正确' },
      { line: 4, message: '第 4 行：法定代表人为空' },
      { line: 4, message: '第 4 行：工商注册市区为空' },
      { line: 5, message: '第 5 行：应有 5 列，实有 6 列（内容含逗号时请用英文双引号括起）' },
      { line: 6, message: '第 6 行：企业名称超过 100 个字' },
    ]);
    assert.deepEqual(
      result.rows.map((r) => r.uscc),
      [A],
    );
  });

  it('only warns about a check char that does not match', () => {
    const early = badChecksumUscc('91330100MA0000005');
    const result = parseEnterpriseCsv(`${HEADER}\n${early},杭州西湖监理有限公司,钱七,浙江省,杭州市\n`);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.warnings, [{ line: 2, message: '第 2 行：统一社会信用代码校验位不符，请核对' }]);
    assert.equal(result.rows.length, 1);
  });

  it('refuses a USCC repeated in the file, naming both lines', () => {
    const text = `${HEADER}\n${A},甲监理有限公司,张三,山东省,济南市\n\n${A.toLowerCase()},乙监理有限公司,李四,山东省,济南市\n`;
    const result = parseEnterpriseCsv(text);
    assert.deepEqual(result.errors, [{ line: 4, message: '第 4 行：统一社会信用代码与第 2 行重复' }]);
  });

  it('normalises a USCC typed in full-width characters or with spaces', () => {
    const fullWidth = [...A].map((ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0)).join('');
    const result = parseEnterpriseCsv(`${HEADER}\n" ${fullWidth.slice(0, 6)} ${fullWidth.slice(6)} ",甲监理有限公司,张三,山东省,济南市\n`);
    assert.deepEqual(result.errors, []);
    assert.equal(result.rows[0]?.uscc, A);
  });

  it('skips empty rows that spreadsheets export as commas', () => {
    const result = parseEnterpriseCsv(`${HEADER}\n,,,,\n${A},甲监理有限公司,张三,山东省,济南市\n,,,,\n`);
    assert.deepEqual(result.errors, []);
    assert.equal(result.rows.length, 1);
  });

  it('names missing header columns and an empty file', () => {
    assert.deepEqual(parseEnterpriseCsv('uscc,name,province\n').errors, [
      { line: 1, message: '第 1 行：表头缺少“法定代表人”、“工商注册市区”列' },
    ]);
    assert.deepEqual(parseEnterpriseCsv('\uFEFF').errors, [{ line: 1, message: '第 1 行：文件为空，缺少表头' }]);
  });

  it('reports an unclosed quote at the line where it opens', () => {
    const result = parseEnterpriseCsv(`${HEADER}\n${A},"甲监理有限公司,张三,山东省,济南市\n${B},乙,李四,广东省,广州市\n`);
    assert.deepEqual(result.errors, [{ line: 2, message: '第 2 行：引号未闭合' }]);
  });
});

describe('parseCsvRecords', () => {
  it('flags text after a closing quote and keeps a stray quote inside a bare field', () => {
    const { records, errors } = parseCsvRecords('a,"b"c,d\ne,f"g,h\n');
    assert.deepEqual(errors, [{ line: 1, message: '第 1 行：引号后有多余的字符' }]);
    assert.deepEqual(records, [{ line: 2, fields: ['e', 'f"g', 'h'] }]);
  });
});

describe('decodeCsvBytes', () => {
  it('refuses bytes that are not UTF-8 (a GBK export)', () => {
    const gbk = Uint8Array.from([0xc6, 0xf3, 0xd2, 0xb5]); // 企业 in GBK
    const decoded = decodeCsvBytes(gbk);
    assert.equal(decoded.ok, false);
    assert.deepEqual(decodeCsvBytes(new TextEncoder().encode('企业')), { ok: true, text: '企业' });
  });
});
