/**
 * Backup under load, restore, and nothing acknowledged is missing: the real server (server/main.ts)
 * takes parallel submissions while `npm run backup` (SQLite) or `pg_dump -Fc` (PostgreSQL) runs;
 * the copy is restored (`npm run restore`, `pg_restore`) and a server started on it. Every submission
 * answered before the backup began must be there with its attachments, its receipt verifying against
 * the restored server's published key, its audit entry and its feed event, the feed numbered 1..head
 * without a gap, and every stored submission complete (no half-written state in the copy).
 *
 * Run from the project root: node --import tsx --test test/fault/backup-restore.test.ts
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import type { SubmissionReceipt } from '../../shared/api/submissions.ts';
import { type SignedReceipt, verifyReceipt } from '../../shared/receipt-signature.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../postgres/throwaway-postgres.ts';
import { type RunningServer, startServer } from '../server-process.ts';
import { type Applicant, prepareApplicant } from './applicant.ts';
import { ensureClientBuilt, readAnswer, submit } from './submission-client.ts';

/** Submissions per applicant at most: bounds the load if the backup were quick to start. */
const MAX_PER_APPLICANT = 15;
const APPLICANTS = 4;

interface Ack {
  applicant: Applicant;
  answer: SubmissionReceipt;
  at: number;
}

/** Every applicant submits one application after another (a new key each) until told to stop. */
function startLoad(baseUrl: string, applicants: Applicant[]) {
  const acks: Ack[] = [];
  let stopping = false;
  const workers = applicants.map(async (applicant) => {
    for (let n = 0; n < MAX_PER_APPLICANT && !stopping; n++) {
      const response = await submit(baseUrl, applicant, randomUUID());
      assert.equal(response.status, 201, await response.clone().text());
      acks.push({ applicant, answer: await readAnswer(response), at: Date.now() });
    }
  });
  return {
    acks,
    /** Resolves once `count` submissions have been answered (or every worker is done). */
    async atLeast(count: number) {
      for (let polls = 0; acks.length < count && polls < 600; polls++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(acks.length >= count, `only ${acks.length} submissions answered`);
    },
    async stop() {
      stopping = true;
      await Promise.all(workers);
    },
  };
}

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

const sha256 = (bytes: ArrayBuffer) => createHash('sha256').update(Buffer.from(bytes)).digest('hex');

async function attachmentHash(baseUrl: string, applicant: Applicant, id: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/attachments/${id}`, { headers: { cookie: applicant.cookie } });
  assert.equal(response.status, 200, `attachment ${id}`);
  return sha256(await response.arrayBuffer());
}

/** The stored attachments of every applicant, by id, as the original server serves them. */
async function attachmentHashes(baseUrl: string, applicants: Applicant[]): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  for (const applicant of applicants) {
    for (const id of [applicant.application.photo, applicant.application.signature] as string[]) {
      hashes.set(`${applicant.accountId}/${id}`, await attachmentHash(baseUrl, applicant, id));
    }
  }
  return hashes;
}

type Query = <Row>(text: string) => Promise<Row[]>;

/** What the restored server and database must show for the submissions answered before the backup. */
async function assertRestored(baseUrl: string, query: Query, acknowledged: Ack[], hashes: Map<string, string>): Promise<void> {
  const key = (await (await fetch(`${baseUrl}/api/receipts/public-key`)).json()) as { publicKey: string };
  for (const { applicant, answer } of acknowledged) {
    const response = await fetch(`${baseUrl}/api/submissions/${answer.id}`, { headers: { cookie: applicant.cookie } });
    assert.equal(response.status, 200, `submission ${answer.receiptNumber} after the restore`);
    const { receipt } = (await response.json()) as { receipt: SignedReceipt };
    assert.deepEqual(receipt, answer.receipt, 'the same receipt, signature included');
    assert.equal(await verifyReceipt(receipt, key.publicKey), true, 'the receipt verifies against the restored key');
  }
  for (const [where, hash] of hashes) {
    const [accountId, id] = where.split('/') as [string, string];
    const applicant = acknowledged.find((ack) => ack.applicant.accountId === accountId)?.applicant;
    if (applicant) assert.equal(await attachmentHash(baseUrl, applicant, id), hash, `attachment ${id}`);
  }

  const audited = new Set(
    (await query<{ subject: string }>("select subject from audit_log where action = 'submission.submit'")).map((row) => row.subject),
  );
  const submittedEvents = new Set(
    (await query<{ submission_id: string }>("select submission_id from submission_events where kind = 'submitted'")).map((row) => row.submission_id),
  );
  for (const { answer } of acknowledged) {
    assert.ok(audited.has(`submission:${answer.id}`), `audit entry of ${answer.receiptNumber}`);
    assert.ok(submittedEvents.has(answer.id), `feed event of ${answer.receiptNumber}`);
  }

  const seqs = (await query<{ seq: number }>('select seq from submission_events order by seq')).map((row) => Number(row.seq));
  const [head] = await query<{ value: number }>('select value from feed_counter where id = 1');
  assert.deepEqual(seqs, Array.from({ length: Number(head?.value) }, (_, i) => i + 1), 'feed 1..head, no gap');

  // The copy is of one committed state: every stored submission is whole.
  const stored = await query<{ id: string; idempotency_key: string }>('select id, idempotency_key from submissions');
  const done = new Set(
    (await query<{ key: string }>("select key from idempotency_keys where state = 'done'")).map((row) => row.key),
  );
  const versions = new Set((await query<{ submission_id: string }>('select submission_id from submission_versions')).map((r) => r.submission_id));
  for (const submission of stored) {
    assert.ok(done.has(submission.idempotency_key), 'its idempotency key is done');
    assert.ok(submittedEvents.has(submission.id), 'its feed event is there');
    assert.ok(audited.has(`submission:${submission.id}`), 'its audit entry is there');
    assert.ok(versions.has(submission.id), 'its first version is there');
  }
  assert.ok(stored.length >= acknowledged.length);
}

/** Debian's client binaries of the newest installed PostgreSQL (the throwaway server's version). */
function postgresBin(program: string): string {
  const root = '/usr/lib/postgresql';
  const newest = readdirSync(root)
    .filter((version) => existsSync(join(root, version, 'bin', program)))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))[0];
  assert.ok(newest, `${program} not found under ${root}`);
  return join(root, newest, 'bin', program);
}

describe('backup under load and restore', { timeout: 300_000 }, () => {
  before(() => ensureClientBuilt());

  describe('SQLite: npm run backup / npm run restore', () => {
    let root: string;
    let server: RunningServer | undefined;

    before(async () => {
      root = await mkdtemp(join(tmpdir(), 'backup-restore-'));
    });
    after(async () => {
      await server?.stop();
      await rm(root, { recursive: true, force: true });
    });

    it('finds every submission answered before the backup began, whole, after the restore', async (t) => {
      const dataDir = join(root, 'data');
      server = await startServer({}, { dataDir });
      const applicants = await Promise.all(Array.from({ length: APPLICANTS }, (_, i) => prepareApplicant(server!.url, i)));
      const hashes = await attachmentHashes(server.url, applicants);

      const load = startLoad(server.url, applicants);
      await load.atLeast(APPLICANTS);
      const backupFile = join(root, 'backup.sqlite');
      const startedAt = Date.now();
      const backup = await run('npm', ['run', '--silent', 'backup', '--', backupFile], { DATA_DIR: dataDir });
      const finishedAt = Date.now();
      await load.stop();
      assert.equal(backup.code, 0, backup.output);
      assert.match(backup.output, /已备份到/);
      const acknowledged = load.acks.filter((ack) => ack.at < startedAt);
      const during = load.acks.filter((ack) => ack.at >= startedAt && ack.at <= finishedAt).length;
      t.diagnostic(`${acknowledged.length} answered before the backup, ${during} while it ran, ${load.acks.length} in all`);
      assert.ok(acknowledged.length >= APPLICANTS);

      // Not over a running server, even an idle one.
      const refused = await run('npm', ['run', '--silent', 'restore', '--', backupFile], { DATA_DIR: dataDir });
      assert.equal(refused.code, 1, refused.output);
      assert.match(refused.output, /服务器仍在运行/);

      await server.stop();
      server = undefined;
      const restoredDir = join(root, 'restored');
      const restore = await run('npm', ['run', '--silent', 'restore', '--', backupFile], { DATA_DIR: restoredDir });
      assert.equal(restore.code, 0, restore.output);
      assert.match(restore.output, /已恢复到/);

      server = await startServer({}, { dataDir: restoredDir });
      const file = new SqliteDatabase(join(restoredDir, 'app.sqlite'), { readonly: true });
      try {
        const query: Query = async <Row>(text: string) => file.prepare(text).all() as Row[];
        await assertRestored(server.url, query, acknowledged, hashes);
      } finally {
        file.close();
      }
    });
  });

  describe('PostgreSQL: pg_dump -Fc / pg_restore', () => {
    let postgres: ThrowawayPostgres;
    let server: RunningServer | undefined;
    let root: string;
    const urlOf = (name: string) => {
      const url = new URL(postgres.url);
      url.pathname = `/${name}`;
      return url.toString();
    };
    async function admin(text: string, url = postgres.url): Promise<pg.QueryResult> {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return await client.query(text);
      } finally {
        await client.end();
      }
    }

    before(async () => {
      root = await mkdtemp(join(tmpdir(), 'backup-restore-pg-'));
      postgres = await startThrowawayPostgres();
      await admin('create database app');
    });
    after(async () => {
      await server?.stop();
      postgres?.stop();
      await rm(root, { recursive: true, force: true });
    });

    it('finds every submission answered before pg_dump began in a fresh database and in the original one restored over', async (t) => {
      server = await startServer({ DATABASE_URL: urlOf('app') });
      const applicants = await Promise.all(Array.from({ length: APPLICANTS }, (_, i) => prepareApplicant(server!.url, i)));
      const hashes = await attachmentHashes(server.url, applicants);

      const load = startLoad(server.url, applicants);
      await load.atLeast(APPLICANTS);
      const dumpFile = join(root, 'app.dump');
      const startedAt = Date.now();
      const dump = await run(postgresBin('pg_dump'), ['-Fc', '-d', urlOf('app'), '-f', dumpFile]);
      await load.stop();
      assert.equal(dump.code, 0, dump.output);
      const acknowledged = load.acks.filter((ack) => ack.at < startedAt);
      t.diagnostic(`${acknowledged.length} answered before pg_dump, ${load.acks.length} in all`);
      await server.stop();
      server = undefined;

      // Into a fresh database, as on a new machine.
      await admin('create database restored');
      const fresh = await run(postgresBin('pg_restore'), ['--no-owner', '-d', urlOf('restored'), dumpFile]);
      assert.equal(fresh.code, 0, fresh.output);
      // Over the original: --clean drops each table (the audit's append-only trigger fires on
      // DELETE, not on DROP) and recreates it from the dump.
      const over = await run(postgresBin('pg_restore'), ['--clean', '--if-exists', '--no-owner', '-d', urlOf('app'), dumpFile]);
      assert.equal(over.code, 0, over.output);

      server = await startServer({ DATABASE_URL: urlOf('restored') });
      const client = new pg.Client({ connectionString: urlOf('restored') });
      await client.connect();
      try {
        const query: Query = async <Row>(text: string) => (await client.query(text)).rows as Row[];
        await assertRestored(server.url, query, acknowledged, hashes);
        // The restored audit is still append-only.
        await assert.rejects(client.query("update audit_log set action = 'changed'"), /append-only/);
      } finally {
        await client.end();
      }
      // The original, restored over, holds the same as the fresh copy.
      const snapshot = async (name: string) => {
        const rows = await Promise.all(
          ['submissions', 'submission_events', 'audit_log', 'attachments', 'accounts'].map(
            async (table) => (await admin(`select count(*)::int as n from ${table}`, urlOf(name))).rows[0].n as number,
          ),
        );
        const head = (await admin('select value from feed_counter', urlOf(name))).rows[0].value as number;
        return [...rows, head];
      };
      assert.deepEqual(await snapshot('app'), await snapshot('restored'));
      await assert.rejects(admin("delete from audit_log", urlOf('app')), /append-only/);
    });
  });
});
