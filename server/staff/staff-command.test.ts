import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Hono } from 'hono';
import { usccCheckChar } from '../../shared/uscc.ts';
import { jsonRequest } from '../../test/support/route-fixtures.ts';
import { openDatabase } from '../db/database.ts';
import { upsertEnterprises } from '../db/enterprises-store.ts';
import { findStaffByUsername } from '../db/staff-accounts-store.ts';
import { staffAuthRoutes } from './staff-auth-routes.ts';
import { totpCodeAt } from './totp.ts';

const run = promisify(execFile);
const first17 = '91370102MA0000003';
const USCC = first17 + usccCheckChar(first17);

/** The real command, as `npm run staff --` runs it, on its own data directory. */
async function staff(dataDir: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'server/staff/staff-command.ts', ...args], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run staff', () => {
  let dataDir: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'staff-command-'));
    const storage = await openDatabase({ dataDir });
    await upsertEnterprises(storage.db, [{ uscc: USCC, name: '济南泉城建设工程监理有限公司', legalRepresentative: '张三', province: '山东省', city: '济南市' }]);
    await storage.close();
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('adds a reviewer: a one-time password, the enrolment URI and a QR code; the account then signs in after changing it', async () => {
    const added = await staff(dataDir, 'add', 'wang.li', '--role', 'reviewer');
    assert.equal(added.code, 0, added.stderr);
    const lines = added.stdout.split('\n');
    const password = /^password: (\S+)$/.exec(lines[0] ?? '')?.[1];
    assert.ok(password, lines[0]);
    const uri = new URL(lines[1] ?? '');
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(uri.searchParams.get('algorithm'), 'SHA1');
    assert.equal(uri.searchParams.get('digits'), '6');
    assert.equal(uri.searchParams.get('period'), '30');
    assert.ok(uri.searchParams.get('issuer'));
    const secret = uri.searchParams.get('secret');
    assert.match(secret ?? '', /^[A-Z2-7]+$/);
    assert.ok(lines.slice(2).some((line) => /[█▀▄]/.test(line)), 'a QR code drawn in block characters');

    const storage = await openDatabase({ dataDir });
    try {
      const app = new Hono().route('/api/staff', staffAuthRoutes(storage));
      const code = totpCodeAt(secret!, new Date());
      const signIn = await app.request('/api/staff/session', jsonRequest('POST', { username: 'wang.li', password, code }));
      assert.equal(signIn.status, 403);
      const changed = await app.request('/api/staff/password', jsonRequest('POST', { username: 'wang.li', password, newPassword: 'Reviewer2030', code }));
      assert.equal(changed.status, 200);
    } finally {
      await storage.close();
    }
  });

  it('adds an employer only with a USCC from the directory', async () => {
    const missing = await staff(dataDir, 'add', 'corp', '--role', 'employer', '--uscc', '91110000000000000X');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /不在企业名录中/);
    assert.equal((await staff(dataDir, 'add', 'corp', '--role', 'employer')).code, 2);
    const added = await staff(dataDir, 'add', 'corp', '--role', 'employer', '--uscc', USCC.toLowerCase());
    assert.equal(added.code, 0, added.stderr);
    const storage = await openDatabase({ dataDir });
    try {
      assert.equal((await findStaffByUsername(storage.db, 'corp'))?.uscc, USCC);
    } finally {
      await storage.close();
    }
    const again = await staff(dataDir, 'add', 'corp', '--role', 'admin');
    assert.equal(again.code, 1);
    assert.match(again.stderr, /已存在/);
  });

  it('resets the second factor (a new URI), disables, lists, and refuses what it does not know', async () => {
    await staff(dataDir, 'add', 'zhao', '--role', 'admin');
    const reset = await staff(dataDir, 'reset-2fa', 'zhao');
    assert.equal(reset.code, 0, reset.stderr);
    assert.match(reset.stdout.split('\n')[0] ?? '', /^otpauth:\/\/totp\/.*secret=/);
    assert.equal((await staff(dataDir, 'disable', 'zhao')).code, 0);
    const list = await staff(dataDir, 'list');
    assert.match(list.stdout, /zhao\tadmin\t-\t已停用/);
    assert.match(list.stdout, /corp\temployer\t/);
    assert.equal((await staff(dataDir, 'disable', 'nobody')).code, 1);
    assert.equal((await staff(dataDir, 'add', 'x', '--role', 'boss')).code, 2);
    assert.equal((await staff(dataDir, 'frobnicate')).code, 2);
  });

  it('adds a token printed once and stores only its hash; revokes it by name', async () => {
    const added = await staff(dataDir, 'token', 'add', 'province-sd');
    assert.equal(added.code, 0, added.stderr);
    const token = /^token: (\S+)$/m.exec(added.stdout)?.[1];
    assert.ok(token);
    const storage = await openDatabase({ dataDir });
    try {
      const row = await storage.db.selectFrom('api_tokens').selectAll().where('name', '=', 'province-sd').executeTakeFirstOrThrow();
      assert.notEqual(row.token_sha256, token);
      assert.doesNotMatch(JSON.stringify(row), new RegExp(token!));
    } finally {
      await storage.close();
    }
    assert.equal((await staff(dataDir, 'token', 'add', 'province-sd')).code, 1);
    assert.equal((await staff(dataDir, 'token', 'revoke', 'province-sd')).code, 0);
    assert.equal((await staff(dataDir, 'token', 'revoke', 'province-sd')).code, 1);
    assert.match((await staff(dataDir, 'list')).stdout, /province-sd\t.*已吊销/);
  });
});
