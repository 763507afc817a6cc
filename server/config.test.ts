import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EMPTY_CALENDAR } from '../shared/review/working-days.ts';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.dataDir, './data');
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.production, false);
  });

  it('reads a valid environment', () => {
    const config = loadConfig({ PORT: '8080', DATA_DIR: '/srv/data', DATABASE_URL: 'postgres://u:p@db/app', NODE_ENV: 'production' });
    assert.deepEqual(config, {
      port: 8080,
      host: undefined,
      dataDir: '/srv/data',
      databaseUrl: 'postgres://u:p@db/app',
      production: true,
      receiptSigningKey: undefined,
      submissionLockSeconds: 30,
      holidayCalendar: EMPTY_CALENDAR,
      smsProvider: undefined,
    });
  });

  for (const port of ['abc', '0', '65536', '-1', '80.5', ' 80']) {
    it(`refuses PORT=${JSON.stringify(port)} naming the variable`, () => {
      assert.throws(() => loadConfig({ PORT: port }), (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /\bPORT\b/);
        return true;
      });
    });
  }

  it('reads RECEIPT_SIGNING_KEY as an Ed25519 key, PEM or base64 DER', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const der = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    const fromPem = loadConfig({ RECEIPT_SIGNING_KEY: pem }).receiptSigningKey;
    const fromDer = loadConfig({ RECEIPT_SIGNING_KEY: der }).receiptSigningKey;
    assert.ok(fromPem?.equals(privateKey));
    assert.ok(fromDer?.equals(privateKey));
  });

  it('refuses a RECEIPT_SIGNING_KEY that is no Ed25519 private key, naming it and not repeating it', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    for (const value of ['s3cret-not-a-key', rsa]) {
      assert.throws(() => loadConfig({ RECEIPT_SIGNING_KEY: value }), (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /RECEIPT_SIGNING_KEY/);
        assert.doesNotMatch(err.message, /s3cret|BEGIN/);
        assert.equal(err.message.split('\n').length, 1);
        return true;
      });
    }
  });

  it('reads SUBMISSION_LOCK_SECONDS (default 30, 1–3600)', () => {
    assert.equal(loadConfig({}).submissionLockSeconds, 30);
    assert.equal(loadConfig({ SUBMISSION_LOCK_SECONDS: '2' }).submissionLockSeconds, 2);
    for (const value of ['0', '3601', '1.5', 'abc']) {
      assert.throws(() => loadConfig({ SUBMISSION_LOCK_SECONDS: value }), /SUBMISSION_LOCK_SECONDS/);
    }
  });

  it('reads HOLIDAY_CALENDAR_FILE at start and refuses a file that is missing or wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'calendar-'));
    try {
      const good = join(dir, 'good.json');
      writeFileSync(good, JSON.stringify({ holidays: ['2026-10-01'], workingWeekends: ['2026-09-27'] }));
      const calendar = loadConfig({ HOLIDAY_CALENDAR_FILE: good }).holidayCalendar;
      assert.deepEqual([...calendar.holidays], ['2026-10-01']);
      assert.deepEqual([...calendar.workingWeekends], ['2026-09-27']);
      const weekday = join(dir, 'weekday.json');
      writeFileSync(weekday, JSON.stringify({ workingWeekends: ['2026-09-28'] }));
      const broken = join(dir, 'broken.json');
      writeFileSync(broken, '{ "holidays": [');
      for (const file of [weekday, broken, join(dir, 'missing.json')]) {
        assert.throws(() => loadConfig({ HOLIDAY_CALENDAR_FILE: file }), (err: unknown) => {
          assert.ok(err instanceof ConfigError);
          assert.match(err.message, /HOLIDAY_CALENDAR_FILE/);
          return true;
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never repeats a rejected DATABASE_URL, which may hold a password', () => {
    assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://admin:s3cret-pw@db/app' }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /DATABASE_URL/);
      assert.doesNotMatch(err.message, /s3cret-pw/);
      return true;
    });
  });
});

describe('server start with a bad PORT', () => {
  it('stops at once with one line that names PORT', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, PORT: 'abc' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(result.status, 1);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0]!, /\bPORT\b/);
    assert.doesNotMatch(result.stderr, /^\s+at /m);
  });
});
