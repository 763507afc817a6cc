import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { upsertEnterprises } from '../db/enterprises-store.ts';
import { type CommandIo, runWhenMain } from '../commands/command-io.ts';
import { decodeCsvBytes, parseEnterpriseCsv } from './enterprise-csv.ts';

/**
 * Imports the enterprise directory from a CSV file, all or nothing:
 *   npm run enterprises:import -- enterprises.csv
 * Any row with an error stops the whole import, so the directory never holds half a file.
 * Exit codes: 0 imported, 1 file or data problem, 2 usage.
 */

export const USAGE = [
  '用法：npm run enterprises:import -- <文件.csv>',
  'CSV 为 UTF-8 编码，首行为表头：统一社会信用代码,企业名称,法定代表人,工商注册省份,工商注册市区',
  '（也可用英文表头：uscc,name,legal_representative,province,city）',
].join('\n');

export async function runImportCommand(
  args: readonly string[],
  env: Record<string, string | undefined>,
  io: CommandIo,
): Promise<number> {
  const file = args[0];
  if (args.length !== 1 || !file || file.startsWith('-')) {
    io.err(USAGE);
    return 2;
  }
  const config = loadConfig(env);

  let bytes: Uint8Array;
  try {
    bytes = await readFile(resolve(file));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    io.err(code === 'ENOENT' ? `找不到文件：${file}` : `无法读取文件：${file}`);
    return 1;
  }
  const decoded = decodeCsvBytes(bytes);
  if (!decoded.ok) {
    io.err(decoded.message);
    return 1;
  }
  const { rows, errors, warnings } = parseEnterpriseCsv(decoded.text);
  if (errors.length > 0) {
    for (const problem of errors) io.err(problem.message);
    io.err(`未导入任何企业：共 ${errors.length} 处错误，请修改后重新导入`);
    return 1;
  }
  if (rows.length === 0) {
    io.err('文件中没有企业数据，未导入任何企业');
    return 1;
  }

  const storage = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    const count = await upsertEnterprises(storage.db, rows);
    for (const problem of warnings) io.out(`提示：${problem.message}`);
    io.out(`已导入 ${count} 家企业`);
    return 0;
  } finally {
    await storage.close();
  }
}

runWhenMain(import.meta.url, runImportCommand, '导入失败');
