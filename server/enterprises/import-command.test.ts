import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { usccCheckChar } from '../../shared/uscc.ts';
import { openDatabase } from '../db/database.ts';
import { searchEnterprises } from '../db/enterprise-search-store.ts';
import { findEnterprise } from '../db/enterprises-store.ts';

function validUscc(first17: string): string {
  return first17 + usccCheckChar(first17);
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the command exactly as `npm run enterprises:import -- <file>` does. */
function runImport(dataDir: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/enterprises/import-command.ts', ...args], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const HEADER = '统一社会信用代码,企业名称,法定代表人,工商注册省份,工商注册市区';

describe('enterprises:import command', () => {
  let dir: string;
  let dataDir: string;
  const good = Array.from({ length: 3 }, (_, i) => validUscc(`91370100MA000010${i}`));

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'enterprise-import-'));
    dataDir = join(dir, 'data');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function countAndFind(uscc: string) {
    const storage = await openDatabase({ dataDir });
    try {
      const all = await storage.db.selectFrom('enterprises').select('uscc').execute();
      return { count: all.length, found: await findEnterprise(storage.db, uscc) };
    } finally {
      await storage.close();
    }
  }

  it('prints usage and exits 2 without a file', async () => {
    const run = await runImport(dataDir);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /用法：npm run enterprises:import -- <文件\.csv>/);
  });

  it('exits 1 for a file that does not exist', async () => {
    const run = await runImport(dataDir, join(dir, 'missing.csv'));
    assert.equal(run.code, 1);
    assert.match(run.stderr, /找不到文件/);
  });

  it('imports a good file and reports how many, with warnings', async () => {
    const early = `91370100MA0000199`;
    const wrongCheck = early + (usccCheckChar(early) === '0' ? '1' : '0');
    const lines = [
      HEADER,
      `${good[0]},济南泉城建设工程监理有限公司,张三,山东省,济南市`,
      `${good[1]},"济南""历下""工程咨询有限公司",李四,山东省,济南市`,
      `${good[2]},山东鲁信工程管理有限公司,王五,山东省,济南市`,
      `${wrongCheck},济南早期监理有限公司,赵六,山东省,济南市`,
    ];
    const file = join(dir, 'good.csv');
    await writeFile(file, `\uFEFF${lines.join('\r\n')}\r\n`);
    const run = await runImport(dataDir, file);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /已导入 4 家企业/);
    assert.match(run.stdout, /第 5 行：统一社会信用代码校验位不符/);

    const { count, found } = await countAndFind(good[1]!);
    assert.equal(count, 4);
    assert.equal(found?.name, '济南"历下"工程咨询有限公司');
    const storage = await openDatabase({ dataDir });
    try {
      assert.equal((await searchEnterprises(storage.db, '泉城建设')).length, 1);
    } finally {
      await storage.close();
    }
  });

  it('imports nothing when one row is bad, naming its line', async () => {
    const fresh = validUscc('91370100MA0000200');
    const lines = [
      HEADER,
      `${fresh},济南新建监理有限公司,孙七,山东省,济南市`,
      `${good[0]},济南泉城建设工程监理有限公司（已改名）,张三,山东省,济南市`,
      '91370100MA00002I0,济南坏码监理有限公司,周八,山东省,济南市',
    ];
    const file = join(dir, 'bad.csv');
    await writeFile(file, lines.join('\n'));
    const run = await runImport(dataDir, file);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /第 4 行：统一社会信用代码格式不正确/);
    assert.match(run.stderr, /未导入任何企业/);
    assert.equal(run.stdout, '');

    const { count, found } = await countAndFind(good[0]!);
    assert.equal(count, 4);
    assert.equal(found?.name, '济南泉城建设工程监理有限公司');
    assert.equal((await countAndFind(fresh)).found, undefined);
  });
});
