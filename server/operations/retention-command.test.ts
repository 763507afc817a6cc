import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Config, ConfigError, loadConfig } from '../config.ts';
import { createAccount } from '../db/accounts-store.ts';
import { appendAudit } from '../db/audit-log-store.ts';
import { openDatabase } from '../db/database.ts';
import { writeDraft } from '../db/drafts-store.ts';
import { readAuditArchive } from './audit-archive.ts';
import type { CommandIo } from '../commands/command-io.ts';
import { runRetentionCommand } from './retention-command.ts';

const DAY = 24 * 60 * 60 * 1000;
const pick = (config: Config) => [config.draftRetentionDays, config.auditRetentionDays];

function capture(): CommandIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (line) => lines.push(line), err: (line) => lines.push(line) };
}

describe('npm run retention', () => {
  let root: string;
  const now = new Date();
  const ago = (days: number) => new Date(now.getTime() - days * DAY);

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'retention-command-'));
    const storage = await openDatabase({ dataDir: root });
    try {
      const { id } = await createAccount(storage.db, { name: '测试', idNumber: '11010519491231002X', mobile: '13800000000', passwordHash: 'h' });
      for (const days of [40, 20]) {
        const content = { values: {}, fieldUpdatedAt: {}, updatedAt: ago(days).getTime() };
        await writeDraft(storage.db, { id: randomUUID(), accountId: id, baseRevision: 0, content, now: ago(days) });
      }
      await appendAudit(storage.db, { actor: 'staff:x', action: 'staff.sign-in', subject: 'staff', now: ago(300) });
      await appendAudit(storage.db, { actor: 'staff:x', action: 'staff.sign-in', subject: 'staff', now: ago(10) });
    } finally {
      await storage.close();
    }
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('deletes drafts past DRAFT_RETENTION_DAYS and only reports the audit due without --archive-audit', async () => {
    const io = capture();
    assert.equal(await runRetentionCommand([], { DATA_DIR: root, DRAFT_RETENTION_DAYS: '30' }, io, now), 0);
    assert.match(io.lines[0] ?? '', /已删除 1 份 30 天/);
    assert.match(io.lines[1] ?? '', /有 1 条早于 .* 的审计记录可归档/);
  });

  it('archives with --archive-audit, never over an existing file', async () => {
    const existing = join(root, 'taken.jsonl.gz');
    writeFileSync(existing, 'x');
    let io = capture();
    assert.equal(await runRetentionCommand(['--archive-audit', existing], { DATA_DIR: root }, io, now), 1);
    assert.match(io.lines.join(''), /归档文件已存在/);

    const file = join(root, 'audit.jsonl.gz');
    io = capture();
    assert.equal(await runRetentionCommand(['--archive-audit', file], { DATA_DIR: root }, io, now), 0, io.lines.join('\n'));
    assert.match(io.lines.at(-1) ?? '', /已归档 1 条/);
    assert.equal(readAuditArchive(file).entries.length, 1);

    io = capture();
    const second = join(root, 'second.jsonl.gz');
    assert.equal(await runRetentionCommand(['--archive-audit', second], { DATA_DIR: root }, io, now), 0);
    assert.match(io.lines.at(-1) ?? '', /没有.*需要归档，未写文件/);
    assert.equal(existsSync(second), false);
  });

  it('reads the retention periods from the environment, with 90 and 183 days by default', () => {
    assert.deepEqual(pick(loadConfig({})), [90, 183]);
    assert.deepEqual(pick(loadConfig({ DRAFT_RETENTION_DAYS: '30', AUDIT_RETENTION_DAYS: '365' })), [30, 365]);
    for (const value of ['0', '3651', '-1', '1.5', 'abc']) {
      assert.throws(() => loadConfig({ DRAFT_RETENTION_DAYS: value }), /DRAFT_RETENTION_DAYS/);
    }
    for (const value of ['182', '36501', '180.5']) {
      assert.throws(() => loadConfig({ AUDIT_RETENTION_DAYS: value }), /AUDIT_RETENTION_DAYS.*6 个月/);
    }
  });

  it('refuses an audit retention under 6 months and bad arguments', async () => {
    await assert.rejects(runRetentionCommand([], { DATA_DIR: root, AUDIT_RETENTION_DAYS: '182' }, capture(), now), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /AUDIT_RETENTION_DAYS.*183/);
      return true;
    });
    const io = capture();
    assert.equal(await runRetentionCommand(['--archive-audit'], { DATA_DIR: root }, io, now), 2);
    assert.match(io.lines.join(''), /用法/);
  });
});
