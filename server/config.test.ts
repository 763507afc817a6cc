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
      receiptKeyCheckSeconds: 60,
      submissionLockSeconds: 30,
      holidayCalendar: EMPTY_CALENDAR,
      smsProvider: undefined,
      draftRetentionDays: 90,
      auditRetentionDays: 183,
      trustedProxies: [],
      shutdownGraceSeconds: 10,
      metricsToken: undefined,
      metricsAllow: [],
      logLevel: 'info',
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

  it('reads RECEIPT_KEY_CHECK_SECONDS (default 60, 1–3600)', () => {
    assert.equal(loadConfig({}).receiptKeyCheckSeconds, 60);
    assert.equal(loadConfig({ RECEIPT_KEY_CHECK_SECONDS: '1' }).receiptKeyCheckSeconds, 1);
    for (const value of ['0', '3601', '1.5', 'abc']) {
      assert.throws(() => loadConfig({ RECEIPT_KEY_CHECK_SECONDS: value }), /RECEIPT_KEY_CHECK_SECONDS/);
    }
  });

  it('reads TRUSTED_PROXIES as addresses and ranges, and refuses anything else naming the variable', () => {
    assert.deepEqual(loadConfig({ TRUSTED_PROXIES: ' 127.0.0.1, 10.0.0.0/8,::1 ,fd00::/8' }).trustedProxies, ['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8']);
    for (const value of ['localhost', '10.0.0.0/33', '::1/129', '10.0.0.1/8/2', '127.0.0.1;10.0.0.1']) {
      assert.throws(() => loadConfig({ TRUSTED_PROXIES: value }), /TRUSTED_PROXIES/, value);
    }
  });

  it('reads SHUTDOWN_GRACE_SECONDS (default 10, 1–300)', () => {
    assert.equal(loadConfig({ SHUTDOWN_GRACE_SECONDS: '25' }).shutdownGraceSeconds, 25);
    for (const value of ['0', '301', '1.5', 'ten']) assert.throws(() => loadConfig({ SHUTDOWN_GRACE_SECONDS: value }), /SHUTDOWN_GRACE_SECONDS/);
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
    // The log's JSON line, as every other; its message is the one a person needs.
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.length, 1, result.stdout);
    const line = JSON.parse(lines[0]!) as { level: number; msg: string };
    assert.equal(line.level, 60);
    assert.match(line.msg, /\bPORT\b/);
    assert.doesNotMatch(result.stdout + result.stderr, /^\s+at /m);
  });
});
