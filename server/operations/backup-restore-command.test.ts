import assert from 'node:assert/strict';
import { chownSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { createAccount } from '../db/accounts-store.ts';
import { openDatabase, type Storage } from '../db/database.ts';
import { runBackupCommand } from './backup-command.ts';
import type { CommandIo } from '../commands/command-io.ts';
import { runRestoreCommand } from './restore-command.ts';

function capture(): CommandIo & { out_: string[]; err_: string[] } {
  const out_: string[] = [];
  const err_: string[] = [];
  return { out_, err_, out: (line) => out_.push(line), err: (line) => err_.push(line) };
}

const accountCount = (file: string) => {
  const db = new SqliteDatabase(file, { readonly: true });
  try {
    return Number((db.prepare('select count(*) as n from accounts').get() as { n: number }).n);
  } finally {
    db.close();
  }
};

describe('npm run backup / npm run restore (SQLite)', () => {
  let root: string;
  let dataDir: string;
  let storage: Storage | undefined;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'backup-command-'));
    dataDir = join(root, 'data');
    storage = await openDatabase({ dataDir });
    await createAccount(storage.db, { name: '测试', idNumber: '11010519491231002X', mobile: '13800000000', passwordHash: 'h' });
  });
  after(async () => {
    await storage?.close();
    await rm(root, { recursive: true, force: true });
  });

  const env = () => ({ DATA_DIR: dataDir });

  it('copies the database while it is open, owner-readable only, and says what it holds', async () => {
    const io = capture();
    const file = join(root, 'one.sqlite');
    assert.equal(await runBackupCommand([file], env(), io), 0, io.err_.join('\n'));
    assert.match(io.out_.join('\n'), /已备份到 .*one\.sqlite.*账号 1 个/);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(accountCount(file), 1);
    assert.deepEqual(readdirSync(root).sort(), ['data', 'one.sqlite'], 'no partial file left');
  });

  it('refuses an existing file unless --force, a missing directory, and PostgreSQL', async () => {
    const file = join(root, 'exists.sqlite');
    writeFileSync(file, 'x');
    let io = capture();
    assert.equal(await runBackupCommand([file], env(), io), 1);
    assert.match(io.err_.join(''), /备份文件已存在.*--force/);
    io = capture();
    assert.equal(await runBackupCommand([file, '--force'], env(), io), 0, io.err_.join('\n'));
    assert.equal(accountCount(file), 1);

    io = capture();
    assert.equal(await runBackupCommand([join(root, 'no-such-dir', 'b.sqlite')], env(), io), 1);
    assert.match(io.err_.join(''), /目录不存在/);

    io = capture();
    assert.equal(await runBackupCommand([join(root, 'pg.sqlite')], { ...env(), DATABASE_URL: 'postgres://u:secret@db/app' }, io), 1);
    assert.match(io.err_.join(''), /pg_dump/);
    assert.doesNotMatch(io.err_.join(''), /secret/);

    io = capture();
    assert.equal(await runBackupCommand([], env(), io), 2);
    assert.match(io.err_.join(''), /用法/);
    io = capture();
    assert.equal(await runBackupCommand([join(root, 'x.sqlite')], { DATA_DIR: join(root, 'empty') }, io), 1);
    assert.match(io.err_.join(''), /找不到数据库文件/);
  });

  it('refuses to restore while the database is open, and files that are not a backup of this app', async () => {
    const file = join(root, 'one.sqlite');
    let io = capture();
    assert.equal(await runRestoreCommand([file], env(), io), 1);
    assert.match(io.err_.join(''), /服务器仍在运行.*请先停止服务器/);
    assert.equal(accountCount(join(dataDir, 'app.sqlite')), 1, 'the current database is untouched');

    const notSqlite = join(root, 'not.sqlite');
    writeFileSync(notSqlite, 'this is not a database, just some text that is long enough to have a header');
    io = capture();
    assert.equal(await runRestoreCommand([notSqlite], env(), io), 1);
    assert.match(io.err_.join(''), /不是 SQLite 数据库文件/);

    const foreign = join(root, 'foreign.sqlite');
    const other = new SqliteDatabase(foreign);
    other.exec('create table t (x)');
    other.close();
    io = capture();
    assert.equal(await runRestoreCommand([foreign], env(), io), 1);
    assert.match(io.err_.join(''), /不是本系统的数据库/);

    const newer = join(root, 'newer.sqlite');
    io = capture();
    assert.equal(await runBackupCommand([newer], env(), io), 0);
    const edit = new SqliteDatabase(newer);
    edit.prepare("insert into kysely_migration (name, timestamp) values ('9999_future', '2099-01-01')").run();
    edit.close();
    io = capture();
    assert.equal(await runRestoreCommand([newer], env(), io), 1);
    assert.match(io.err_.join(''), /更新的版本.*9999_future/);

    io = capture();
    assert.equal(await runRestoreCommand([join(root, 'missing.sqlite')], env(), io), 1);
    assert.match(io.err_.join(''), /找不到备份文件/);
    assert.deepEqual(readdirSync(dataDir).filter((name) => name.includes('restoring') || name.includes('before-restore')), []);
  });

  it('on a stopped server: keeps the current database aside, puts the backup in place, and the server opens it', async () => {
    const file = join(root, 'one.sqlite');
    // A second account after the backup: the restore must bring back the state of the backup.
    await createAccount(storage!.db, { name: '测试', idNumber: '110105194912310029', mobile: '13800000001', passwordHash: 'h' });
    await storage!.close();
    storage = undefined;
    // What a killed server leaves: a -wal and -shm beside the file.
    writeFileSync(join(dataDir, 'app.sqlite-wal'), '');
    writeFileSync(join(dataDir, 'app.sqlite-shm'), '');

    const io = capture();
    assert.equal(await runRestoreCommand([file], env(), io), 0, io.err_.join('\n'));
    assert.match(io.out_.join('\n'), /已恢复到 .*账号 1 个/);
    const names = readdirSync(dataDir).sort();
    const kept = names.find((name) => /^app\.sqlite\.before-restore-\d{8}T\d{6}Z$/.test(name));
    assert.ok(kept, names.join(', '));
    assert.match(io.out_.join('\n'), new RegExp(`原数据库已保留为 .*${kept}`));
    assert.equal(accountCount(join(dataDir, kept)), 2, 'the replaced database, as it was');
    assert.equal(existsSync(join(dataDir, 'app.sqlite-wal')), false);
    assert.equal(accountCount(join(dataDir, 'app.sqlite')), 1);

    storage = await openDatabase({ dataDir });
    assert.equal((await storage.db.selectFrom('accounts').select('id').execute()).length, 1);
  });

  it('shows progress on a large database and finishes while another connection keeps writing', async () => {
    const bigDir = join(root, 'big');
    const big = await openDatabase({ dataDir: bigDir });
    const { id } = await createAccount(big.db, { name: '测试', idNumber: '11010519491231002X', mobile: '13800000000', passwordHash: 'h' });
    await big.close();
    // About 12 MB of pictures, written outside Kysely for speed.
    const file = new SqliteDatabase(join(bigDir, 'app.sqlite'));
    const insert = file.prepare(
      `insert into attachments (account_id, source_sha256, sha256, kind, mime, bytes, size, created_at)
       values (?, ?, 'x', 'photo', 'image/jpeg', ?, ?, '2026-01-01T00:00:00.000Z')`,
    );
    const blob = Buffer.alloc(200_000, 7);
    file.transaction(() => {
      for (let n = 0; n < 60; n++) insert.run(id, `p${n}`, blob, blob.byteLength);
    })();
    // A writer on its own connection between the backup's steps: each write makes SQLite start over.
    let writes = 0;
    let writing = true;
    const writer = (async () => {
      while (writing && writes < 5_000) {
        insert.run(id, `w${writes++}`, Buffer.alloc(10, 1), 10);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const io = capture();
    const target = join(root, 'big.sqlite');
    try {
      assert.equal(await runBackupCommand([target], { DATA_DIR: bigDir }, io), 0, io.err_.join('\n'));
    } finally {
      writing = false;
      await writer;
      file.close();
    }
    assert.match(io.out_[0] ?? '', /^备份中：0%（0\/\d+ 页）$/);
    assert.ok(io.out_.some((line) => /^备份中：[1-9]0%/.test(line)), io.out_.join('\n'));
    const copy = new SqliteDatabase(target, { readonly: true });
    try {
      assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
      const copied = Number((copy.prepare('select count(*) as n from attachments').get() as { n: number }).n);
      assert.ok(copied >= 60 && copied <= 60 + writes, `${copied} attachments in the copy, ${writes} written meanwhile`);
    } finally {
      copy.close();
    }
  });

  it('restores into an empty data directory', async () => {
    const fresh = join(root, 'fresh', 'data');
    mkdirSync(join(root, 'fresh'));
    const io = capture();
    assert.equal(await runRestoreCommand([join(root, 'one.sqlite')], { DATA_DIR: fresh }, io), 0, io.err_.join('\n'));
    assert.equal(accountCount(join(fresh, 'app.sqlite')), 1);
    assert.equal(statSync(fresh).mode & 0o777, 0o700);
  });

  it('run as root, gives the restored file to the owner of the data directory (the server’s user)', async () => {
    const owned = join(root, 'owned', 'data');
    mkdirSync(owned, { recursive: true });
    // 65534 is nobody on Debian: any user other than root will do.
    chownSync(owned, 65534, 65534);
    const io = capture();
    assert.equal(await runRestoreCommand([join(root, 'one.sqlite')], { DATA_DIR: owned }, io), 0, io.err_.join('\n'));
    const { uid, gid } = statSync(join(owned, 'app.sqlite'));
    assert.deepEqual([uid, gid], [65534, 65534]);
  });
});
