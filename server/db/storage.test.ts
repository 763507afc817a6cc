import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createAccount, findAccountById, findAccountByIdNumber } from './accounts-store.ts';
import { sha256Hex } from '../crypto/sha256.ts';
import { findAttachmentInfo, getAttachment, putAttachment } from './attachments-store.ts';
import { appendAudit, listAuditForSubject } from './audit-log-store.ts';
import { openDatabase, readDurabilitySettings, SQLITE_FILE_NAME, type Storage } from './database.ts';
import type { DraftContent } from '../drafts/draft.ts';
import { deleteDraft, listDrafts, writeDraft } from './drafts-store.ts';
import { normaliseSearchText } from '../../shared/search-text.ts';
import type { Enterprise } from '../../shared/enterprise.ts';
import { searchEnterprises } from './enterprise-search-store.ts';
import { deleteEnterprises, findEnterprise, upsertEnterprises } from './enterprises-store.ts';
import { migrateToLatest } from './migrate.ts';
import { migrations } from './migrations/index.ts';
import { hitRateLimit } from './rate-limits-store.ts';
import { createSession, deleteSession, findAccountBySessionToken } from './sessions-store.ts';
import { DuplicateError } from './storage-errors.ts';
import { submissionBody } from '../submissions/submission.ts';
import { freshTestDatabaseConfig, type TestDatabaseConfig } from '../../test/support/test-database.ts';
import { findSubmissionByIdempotencyKey, insertSubmission } from './submissions-store.ts';

/**
 * One suite for both dialects: SQLite in a fresh temp dir by default; PostgreSQL when
 * TEST_DATABASE_URL is set (a fresh database is created beside it for every run and dropped after).
 * Run on PostgreSQL with: node --import tsx test/postgres/run-storage-suite.ts
 */

const dialect = process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite';
const freshDatabase = () => freshTestDatabaseConfig();

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** A USCC with a correct check character, different for every n. */
function uscc(prefix17: string): string {
  const sum = [...prefix17].reduce((acc, ch, i) => acc + USCC_ALPHABET.indexOf(ch) * (USCC_WEIGHTS[i] ?? 0), 0);
  return prefix17 + USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

function enterprise(name: string, code17: string): Enterprise {
  return { uscc: uscc(code17), name, legalRepresentative: '张三', province: '北京市', city: '海淀区' };
}

describe(`storage (${dialect})`, () => {
  let fixture: TestDatabaseConfig;
  let storage: Storage;
  let accountId: string;

  before(async () => {
    fixture = await freshDatabase();
    storage = await openDatabase(fixture.config);
    accountId = (
      await createAccount(storage.db, { name: '测试账户', idNumber: '11010519491231002X', mobile: '13800000000', passwordHash: 'h' })
    ).id;
  });

  after(async () => {
    await storage?.close();
    await fixture?.cleanup();
  });

  describe('migrations', () => {
    it('running them again, also from a second handle, changes nothing', async () => {
      await migrateToLatest(storage.db);
      await migrateToLatest(storage.db);
      const second = await openDatabase(fixture.config);
      await second.close();
      const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(storage.db);
      assert.deepEqual(
        rows.map((r) => r.name),
        Object.keys(migrations).sort(),
      );
      assert.ok(await findAccountById(storage.db, accountId), 'data survives re-running migrations');
    });

    it('lets several processes migrate a fresh database at once', async () => {
      const fresh = await freshDatabase();
      try {
        const databaseModule = new URL('./database.ts', import.meta.url).href;
        const script = `const { openDatabase } = await import(${JSON.stringify(databaseModule)});
          const storage = await openDatabase(JSON.parse(process.env.STORAGE_CONFIG));
          await storage.close();`;
        const codes = await Promise.all(
          Array.from(
            { length: 4 },
            () =>
              new Promise<number | null>((resolve) => {
                const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
                  env: { ...process.env, STORAGE_CONFIG: JSON.stringify(fresh.config) },
                  stdio: ['ignore', 'ignore', 'inherit'],
                });
                child.on('close', resolve);
              }),
          ),
        );
        assert.deepEqual(codes, [0, 0, 0, 0]);
      } finally {
        await fresh.cleanup();
      }
    });

    it('0003 keeps the attachments stored before it, under the ids devices already hold', async () => {
      const fresh = await freshDatabase();
      const later = Object.entries(migrations).filter(([name]) => name >= '0003');
      for (const [name] of later) delete migrations[name];
      let old: Storage | undefined;
      try {
        old = await openDatabase(fresh.config);
        const owner = (await createAccount(old.db, { name: '旧数据', idNumber: '11010519491231002X', mobile: '13800000000', passwordHash: 'h' })).id;
        const bytes = randomBytes(300);
        const hash = sha256Hex(bytes);
        await sql`insert into attachments (sha256, account_id, kind, mime, bytes, size, created_at)
          values (${hash}, ${owner}, 'signature', 'image/png', ${bytes}, ${bytes.length}, '2030-01-01T00:00:00.000Z')`.execute(old.db);
        for (const [name, migration] of later) migrations[name] = migration;
        await migrateToLatest(old.db);
        const got = await getAttachment(old.db, owner, hash);
        assert.deepEqual(
          { ...got, bytes: undefined },
          { id: hash, accountId: owner, kind: 'signature', mime: 'image/png', sha256: hash, size: 300, width: null, height: null, createdAt: '2030-01-01T00:00:00.000Z', bytes: undefined },
        );
        assert.ok(Buffer.from(got?.bytes ?? []).equals(bytes));
      } finally {
        for (const [name, migration] of later) migrations[name] = migration;
        await old?.close();
        await fresh.cleanup();
      }
    });

    it('names a failing migration and leaves nothing of it behind', async () => {
      migrations['9999_broken'] = {
        async up(db) {
          await db.schema.createTable('half_done').addColumn('id', 'text').execute();
          throw new Error('deliberate');
        },
      };
      try {
        await assert.rejects(migrateToLatest(storage.db), /migration 9999_broken failed: deliberate/);
      } finally {
        delete migrations['9999_broken'];
      }
      const tables = await storage.db.introspection.getTables();
      assert.ok(!tables.some((t) => t.name === 'half_done'));
      assert.ok(tables.some((t) => t.name === 'accounts'));
    });
  });

  if (dialect === 'sqlite') {
    describe('sqlite durability', () => {
      it('uses WAL, synchronous=FULL, foreign keys and a busy timeout', async () => {
        assert.ok(existsSync(join(fixture.config.dataDir, SQLITE_FILE_NAME)));
        assert.deepEqual(await readDurabilitySettings(storage), {
          dialect: 'sqlite',
          journalMode: 'wal',
          synchronous: 2,
          foreignKeys: true,
          busyTimeoutMs: 5000,
        });
      });
    });
  }

  describe('accounts', () => {
    it('finds an account by ID number, whatever the case of its check character', async () => {
      const created = await createAccount(storage.db, {
        name: '李四',
        idNumber: '11010519491231003x',
        mobile: '13900000000',
        passwordHash: 'scrypt$abc',
      });
      assert.equal(created.idNumber, '11010519491231003X');
      assert.deepEqual(await findAccountByIdNumber(storage.db, '11010519491231003x'), created);
      assert.equal(await findAccountByIdNumber(storage.db, '110105194912310049'), undefined);
    });

    it('refuses a duplicate ID number with DuplicateError and changes nothing', async () => {
      const idNumber = '110105194912310057';
      const first = await createAccount(storage.db, { name: '王五', idNumber, mobile: '13700000000', passwordHash: 'a' });
      const countBefore = await countAccounts();
      await assert.rejects(
        createAccount(storage.db, { name: '冒名', idNumber, mobile: '13600000000', passwordHash: 'b' }),
        (err: unknown) => {
          assert.ok(err instanceof DuplicateError);
          assert.equal(err.table, 'accounts');
          assert.deepEqual(err.columns, ['id_number']);
          assert.ok(!err.message.includes(idNumber), 'the message must not carry the ID number');
          return true;
        },
      );
      assert.equal(await countAccounts(), countBefore);
      assert.deepEqual(await findAccountByIdNumber(storage.db, idNumber), first);
    });
  });

  describe('sessions', () => {
    it('stores only a hash of the token and honours expiry', async () => {
      const token = randomBytes(32).toString('base64url');
      const now = new Date('2030-01-01T00:00:00.000Z');
      await createSession(storage.db, { token, accountId, expiresAt: new Date('2030-01-02T00:00:00.000Z'), now });
      const ids = (await storage.db.selectFrom('sessions').select('id').execute()).map((r) => r.id);
      assert.ok(!ids.includes(token));
      assert.ok(ids.includes(sha256Hex(Buffer.from(token, 'utf8'))));
      assert.equal((await findAccountBySessionToken(storage.db, token, now))?.id, accountId);
      assert.equal(await findAccountBySessionToken(storage.db, token, new Date('2030-01-02T00:00:00.000Z')), undefined);
      await deleteSession(storage.db, token);
      assert.equal(await findAccountBySessionToken(storage.db, token, now), undefined);
    });

    it('refuses a session for an account that does not exist (foreign keys are on)', async () => {
      await assert.rejects(
        createSession(storage.db, { token: 'x', accountId: randomUUID(), expiresAt: new Date(Date.now() + 60_000) }),
      );
    });
  });

  describe('enterprises', () => {
    const directory = [
      enterprise('北京建设工程监理有限公司', '91110108MA0000001'),
      enterprise('上海ABC工程咨询（集团）有限公司', '91310000MA0000002'),
      enterprise('广州市政监理有限公司', '91440101MA0000003'),
      ...Array.from({ length: 30 }, (_, i) => enterprise(`批量监理第${i}号有限公司`, `9133010${String(i).padStart(2, '0')}MB000000`)),
    ];

    before(async () => {
      assert.equal(await upsertEnterprises(storage.db, directory), directory.length);
    });

    it('normalises full-width ASCII, spaces and case', () => {
      assert.equal(normaliseSearchText(' ａｂｃ　Ｄ１２ （集团） x y '), 'ABCD12(集团)XY');
    });

    it('finds by any part of the name', async () => {
      const found = await searchEnterprises(storage.db, '建设工程');
      assert.deepEqual(
        found.map((e) => e.name),
        ['北京建设工程监理有限公司'],
      );
      assert.deepEqual(found[0], directory[0]);
    });

    it('finds by USCC prefix but not by a fragment from its middle', async () => {
      const target = directory[1]!;
      assert.deepEqual(
        (await searchEnterprises(storage.db, target.uscc.slice(0, 10))).map((e) => e.uscc),
        [target.uscc],
      );
      assert.deepEqual(await searchEnterprises(storage.db, target.uscc.slice(3, 12)), []);
    });

    it('finds with full-width, lower-case and space-mangled input', async () => {
      assert.deepEqual(
        (await searchEnterprises(storage.db, 'ａｂｃ 工程　咨询(集团)')).map((e) => e.name),
        ['上海ABC工程咨询（集团）有限公司'],
      );
      const usccTyped = [...directory[2]!.uscc.slice(0, 8).toLowerCase()]
        .map((ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0))
        .join(' ');
      assert.deepEqual(
        (await searchEnterprises(storage.db, usccTyped)).map((e) => e.uscc),
        [directory[2]!.uscc],
      );
    });

    it('respects the limit and treats LIKE wildcards as text', async () => {
      assert.equal((await searchEnterprises(storage.db, '批量监理', 5)).length, 5);
      assert.equal((await searchEnterprises(storage.db, '监理', 100)).length, 32);
      assert.deepEqual(await searchEnterprises(storage.db, '%'), []);
      assert.deepEqual(await searchEnterprises(storage.db, '_'), []);
      assert.deepEqual(await searchEnterprises(storage.db, '  '), []);
    });

    it('replaces an enterprise by USCC and searches its new name', async () => {
      const renamed = { ...directory[2]!, name: '广州新名称工程管理有限公司' };
      await upsertEnterprises(storage.db, [renamed]);
      assert.deepEqual(await findEnterprise(storage.db, renamed.uscc), renamed);
      assert.deepEqual(await searchEnterprises(storage.db, '市政监理'), []);
      assert.equal((await searchEnterprises(storage.db, '新名称')).length, 1);
    });

    it('finds by one and two characters, and a name that starts with them comes first', async () => {
      assert.deepEqual(
        (await searchEnterprises(storage.db, '广')).map((e) => e.name),
        ['广州新名称工程管理有限公司'],
      );
      assert.deepEqual(
        (await searchEnterprises(storage.db, '集')).map((e) => e.name),
        ['上海ABC工程咨询（集团）有限公司'],
      );
      assert.deepEqual(
        (await searchEnterprises(storage.db, '司', 2)).map((e) => e.name),
        ['批量监理第0号有限公司', '批量监理第1号有限公司'],
      );
      const first = await searchEnterprises(storage.db, '北京', 50);
      assert.deepEqual(first.map((e) => e.name), ['北京建设工程监理有限公司']);
      assert.equal((await searchEnterprises(storage.db, '批', 50)).length, 30);
    });

    it('treats % _ and \\ as text on the indexed paths too', async () => {
      const odd = [enterprise('百分%之百_监理\\有限公司', '91110108MA0000011'), enterprise('百分之百监理有限公司', '91110108MA0000012')];
      await upsertEnterprises(storage.db, odd);
      assert.deepEqual((await searchEnterprises(storage.db, '%')).map((e) => e.uscc), [odd[0]!.uscc]);
      assert.deepEqual((await searchEnterprises(storage.db, '%之')).map((e) => e.uscc), [odd[0]!.uscc]);
      assert.deepEqual((await searchEnterprises(storage.db, '百_')).map((e) => e.uscc), [odd[0]!.uscc]);
      assert.deepEqual((await searchEnterprises(storage.db, '理\\')).map((e) => e.uscc), [odd[0]!.uscc]);
      assert.deepEqual((await searchEnterprises(storage.db, '百%')).map((e) => e.uscc), []);
      assert.equal(await deleteEnterprises(storage.db, odd.map((e) => e.uscc)), 2);
      assert.deepEqual(await searchEnterprises(storage.db, '百分'), []);
      assert.equal(await findEnterprise(storage.db, odd[1]!.uscc), undefined);
    });
  });

  describe('enterprise search at volume', () => {
    // Enough rows that every path runs: lists read whole, and prefixes, USCCs and bigrams so common
    // that they are read in result order until enough match.
    const CITIES = ['山东', '山西', '济南', '广州'];
    const WORDS = ['建设', '监理', '咨询', '工程管理', '市政', '建筑'];
    const many = Array.from({ length: 3000 }, (_, i) =>
      enterprise(
        `${CITIES[i % 7 === 0 ? 1 + (i % 3) : 0]}${WORDS[i % WORDS.length]}${i % 11 === 0 ? '' : String(i)}${WORDS[(i * 7) % 5]}有限公司`,
        `91${i % 5 === 0 ? '44' : '37'}0102MA${String(i).padStart(7, '0')}`,
      ),
    );
    let volume: Storage;
    let volumeFixture: TestDatabaseConfig;

    /** What a search found before the indexes: a scan of search_text, ordered as the contract says. */
    async function scanned(query: string, limit: number): Promise<string[]> {
      const q = normaliseSearchText(query).replace(/[\\%_]/g, '\\$&');
      if (q === '') return [];
      const rows = await volume.db
        .selectFrom('enterprises')
        .select('uscc')
        .where(sql<boolean>`(search_text like ${`%${q}%\n%`} escape '\\' or search_text like ${`%\n${q}%`} escape '\\')`)
        .orderBy(sql`case when search_text like ${`${q}%`} escape '\\' then 0 else 1 end`)
        .orderBy(sql`length(name)`)
        .orderBy(sql`uscc`)
        .limit(limit)
        .execute();
      return rows.map((r) => r.uscc);
    }

    before(async () => {
      volumeFixture = await freshDatabase();
      volume = await openDatabase(volumeFixture.config);
      // The first half is stored as it was before migration 0013, which must then index it.
      await sql`drop table enterprise_search_grams`.execute(volume.db);
      await sql`drop index enterprises_search_prefix_index`.execute(volume.db);
      await sql`drop index enterprises_search_order_index`.execute(volume.db);
      if (dialect === 'postgres') await sql`drop index enterprises_uscc_prefix_index`.execute(volume.db);
      // And those after it: the migrator will not run a migration that precedes one already run.
      await sql`delete from kysely_migration where name >= '0013_enterprise_search_index'`.execute(volume.db);
      await volume.db
        .insertInto('enterprises')
        .values(
          many.slice(0, 1500).map((e) => ({
            uscc: e.uscc,
            name: e.name,
            legal_representative: e.legalRepresentative,
            province: e.province,
            city: e.city,
            search_text: `${normaliseSearchText(e.name)}\n${e.uscc}`,
          })),
        )
        .execute();
      await migrateToLatest(volume.db);
      await upsertEnterprises(volume.db, many.slice(1500));
    });

    after(async () => {
      await volume?.close();
      await volumeFixture?.cleanup();
    });

    it('finds what a scan finds, in the same order, for short, long, common, rare and USCC queries', async () => {
      const queries = [
        '山', '东', '山东', '山东建', '山东建设', '山西', '建设', '监理', '有限公司', '司', '公司', '1', '12', '123', '2999',
        '9', '91', '9137', '914401', '91370102MA0000123', 'MA', '管理1', '市政7', '不存在', '理有', '限', '广州市政',
        '0', '00', 'ma000', '％', '_',
      ];
      for (const query of queries) {
        for (const limit of [1, 10, 50]) {
          assert.deepEqual(
            (await searchEnterprises(volume.db, query, limit)).map((e) => e.uscc),
            await scanned(query, limit),
            `${query} limit ${limit}`,
          );
        }
      }
    });

    it('keeps the search in step when names change and enterprises go', async () => {
      const renamed = many.slice(0, 400).map((e, i) => ({ ...e, name: `改名后${i}号监理有限公司` }));
      await upsertEnterprises(volume.db, renamed);
      assert.equal(await deleteEnterprises(volume.db, many.slice(400, 600).map((e) => e.uscc)), 200);
      for (const query of ['改名', '改名后1', '山东', '监理', '建设', '号', '9137', '后']) {
        assert.deepEqual(
          (await searchEnterprises(volume.db, query, 50)).map((e) => e.uscc),
          await scanned(query, 50),
          query,
        );
      }
      const { rows } = await sql<{ n: number | string }>`
        select count(*) as n from enterprise_search_grams g
        where not exists (select 1 from enterprises e where e.uscc = g.uscc)`.execute(volume.db);
      assert.equal(Number(rows[0]?.n), 0, 'no gram outlives its enterprise');
    });
  });

  describe('submissions', () => {
    const submit = (db: Storage['db'], idempotencyKey: string, application: unknown = { a: 1 }) =>
      insertSubmission(db, { receiptNumber: `R-${randomUUID()}`, accountId, idempotencyKey, body: submissionBody(application) });

    it('inserts once per idempotency key and returns the first row again', async () => {
      const key = randomUUID();
      const first = await submit(storage.db, key);
      const again = await submit(storage.db, key, { a: 2 });
      assert.equal(first.created, true);
      assert.equal(again.created, false);
      assert.equal(again.submission.id, first.submission.id);
      assert.equal(again.submission.receiptNumber, first.submission.receiptNumber);
      assert.equal(again.submission.bodyJson, '{"a":1}');
      assert.equal(again.submission.bodySha256, sha256Hex('{"a":1}'));
      assert.deepEqual(await findSubmissionByIdempotencyKey(storage.db, key), first.submission);
      assert.equal(await countSubmissions(key), 1);
    });

    it('keeps exactly one row under 20 concurrent inserts with one key', async () => {
      const key = randomUUID();
      const results = await Promise.all(Array.from({ length: 20 }, () => submit(storage.db, key)));
      assert.equal(results.filter((r) => r.created).length, 1);
      assert.equal(new Set(results.map((r) => r.submission.id)).size, 1);
      assert.equal(await countSubmissions(key), 1);
    });

    it('keeps exactly one row when two server instances insert the same key at once', async () => {
      const other = await openDatabase(fixture.config);
      try {
        const key = randomUUID();
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => submit((i % 2 ? other : storage).db, key)),
        );
        assert.equal(results.filter((r) => r.created).length, 1);
        assert.equal(new Set(results.map((r) => r.submission.id)).size, 1);
        assert.equal(await countSubmissions(key), 1);
      } finally {
        await other.close();
      }
    });

    it('reports a receipt number clash as DuplicateError', async () => {
      const receiptNumber = `R-${randomUUID()}`;
      await insertSubmission(storage.db, { receiptNumber, accountId, idempotencyKey: randomUUID(), body: submissionBody({}) });
      await assert.rejects(
        insertSubmission(storage.db, { receiptNumber, accountId, idempotencyKey: randomUUID(), body: submissionBody({}) }),
        (err: unknown) => err instanceof DuplicateError && err.columns.join() === 'receipt_number',
      );
    });
  });

  describe('attachments', () => {
    /** A made-up upload hash: the store takes the caller's word for it. */
    const sourceId = () => sha256Hex(randomBytes(16));
    const otherAccount = async (idNumber: string) =>
      (await createAccount(storage.db, { name: '附件测试', idNumber, mobile: '13800000001', passwordHash: 'h' })).id;

    it('round-trips bytes exactly under the upload hash, per account', async () => {
      const bytes = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(48 * 1024)]);
      const id = sourceId();
      const put = await putAttachment(storage.db, { accountId, id, kind: 'photo', mime: 'image/jpeg', bytes, width: 295, height: 413 });
      assert.equal(put.created, true);
      assert.deepEqual(
        { ...put.attachment, createdAt: undefined },
        { id, accountId, kind: 'photo', mime: 'image/jpeg', sha256: sha256Hex(bytes), size: bytes.length, width: 295, height: 413, createdAt: undefined },
      );
      const got = await getAttachment(storage.db, accountId, id);
      assert.ok(got);
      assert.ok(Buffer.from(got.bytes).equals(bytes));
      assert.deepEqual(await findAttachmentInfo(storage.db, accountId, id), put.attachment);
      const again = await putAttachment(storage.db, { accountId, id, kind: 'photo', mime: 'image/jpeg', bytes });
      assert.deepEqual(again, { created: false, attachment: put.attachment });
    });

    it('keeps one row per account for the same id, even under concurrent puts from two handles', async () => {
      const other = await openDatabase(fixture.config);
      try {
        const id = sourceId();
        const bytes = randomBytes(512);
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            putAttachment((i % 2 ? other : storage).db, { accountId, id, kind: 'photo', mime: 'image/jpeg', bytes }),
          ),
        );
        assert.equal(results.filter((r) => r.created).length, 1);
        const { rows } = await sql<{ n: string | number }>`select count(*) as n from attachments where source_sha256 = ${id}`.execute(storage.db);
        assert.equal(Number(rows[0]?.n), 1);
      } finally {
        await other.close();
      }
    });

    it('lets two accounts store the same bytes under the same id, each seeing only its own', async () => {
      const second = await otherAccount('110105194912310081');
      const bytes = randomBytes(1024);
      const id = sha256Hex(bytes);
      const mine = await putAttachment(storage.db, { accountId, id, kind: 'photo', mime: 'image/jpeg', bytes });
      const theirs = await putAttachment(storage.db, { accountId: second, id, kind: 'signature', mime: 'image/png', bytes });
      assert.deepEqual([mine.created, theirs.created], [true, true]);
      assert.equal((await getAttachment(storage.db, accountId, id))?.kind, 'photo');
      assert.equal((await getAttachment(storage.db, second, id))?.kind, 'signature');
      const stranger = await otherAccount('110105194912310090');
      assert.equal(await findAttachmentInfo(storage.db, stranger, id), undefined);
      assert.equal(await getAttachment(storage.db, stranger, id), undefined);
    });

    it('accepts a Uint8Array view that is not a Buffer', async () => {
      const backing = new Uint8Array([9, 9, 0, 1, 2, 0, 255, 9]);
      const view = backing.subarray(2, 7);
      const put = await putAttachment(storage.db, { accountId, id: sourceId(), kind: 'signature', mime: 'image/png', bytes: view });
      const got = await getAttachment(storage.db, accountId, put.attachment.id);
      assert.deepEqual([...(got?.bytes ?? [])], [0, 1, 2, 0, 255]);
      assert.deepEqual([got?.width, got?.height], [null, null]);
    });
  });

  describe('drafts', () => {
    const content = (name: string, updatedAt = Date.UTC(2030, 0, 1)): DraftContent => ({
      values: { name },
      fieldUpdatedAt: { name: updatedAt },
      updatedAt,
    });

    it('saves a new draft at revision 1, then only on the stored revision', async () => {
      const id = randomUUID();
      assert.deepEqual(await writeDraft(storage.db, { id, accountId, baseRevision: 0, content: content('张三') }), { status: 'saved', revision: 1 });
      assert.deepEqual(await writeDraft(storage.db, { id, accountId, baseRevision: 1, content: content('张四') }), { status: 'saved', revision: 2 });
      const stale = await writeDraft(storage.db, { id, accountId, baseRevision: 1, content: content('张五') });
      assert.equal(stale.status, 'conflict');
      assert.deepEqual(stale.status === 'conflict' && { ...stale.draft, savedAt: undefined }, {
        id,
        accountId,
        revision: 2,
        ...content('张四'),
        savedAt: undefined,
      });
      // A new draft under an id that exists is stale too.
      assert.equal((await writeDraft(storage.db, { id, accountId, baseRevision: 0, content: content('张六') })).status, 'conflict');
    });

    it('answers a repeated write (same base, same content) as saved, without a new revision', async () => {
      const id = randomUUID();
      const first = content('李四');
      await writeDraft(storage.db, { id, accountId, baseRevision: 0, content: first });
      assert.deepEqual(await writeDraft(storage.db, { id, accountId, baseRevision: 0, content: first }), { status: 'saved', revision: 1 });
      assert.deepEqual(await writeDraft(storage.db, { id, accountId, baseRevision: 1, content: first }), { status: 'saved', revision: 2 });
      assert.deepEqual(await writeDraft(storage.db, { id, accountId, baseRevision: 1, content: first }), { status: 'saved', revision: 2 });
    });

    it("hides another account's draft and leaves it untouched", async () => {
      const id = randomUUID();
      const owner = (await createAccount(storage.db, { name: '草稿主人', idNumber: '110105194912310102', mobile: '13800000002', passwordHash: 'h' })).id;
      await writeDraft(storage.db, { id, accountId: owner, baseRevision: 0, content: content('王五') });
      for (const baseRevision of [0, 1]) {
        assert.deepEqual(await writeDraft(storage.db, { id, accountId, baseRevision, content: content('冒名') }), { status: 'not-found' });
      }
      await deleteDraft(storage.db, accountId, id);
      assert.deepEqual(
        (await listDrafts(storage.db, owner)).map((d) => [d.id, d.revision, d.values]),
        [[id, 1, { name: '王五' }]],
      );
      assert.ok(!(await listDrafts(storage.db, accountId)).some((d) => d.id === id));
    });

    it('is not-found for a base above 0 when nothing is stored', async () => {
      assert.deepEqual(await writeDraft(storage.db, { id: randomUUID(), accountId, baseRevision: 3, content: content('赵六') }), {
        status: 'not-found',
      });
    });

    it('saves exactly one of 20 concurrent writes on one base from two server instances', async () => {
      const other = await openDatabase(fixture.config);
      try {
        const id = randomUUID();
        await writeDraft(storage.db, { id, accountId, baseRevision: 0, content: content('起始') });
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            writeDraft((i % 2 ? other : storage).db, { id, accountId, baseRevision: 1, content: content('并发', 1000 + i) }),
          ),
        );
        const saved = results.filter((r) => r.status === 'saved');
        assert.equal(saved.length, 1);
        assert.deepEqual(saved[0], { status: 'saved', revision: 2 });
        assert.ok(results.every((r) => r.status === 'saved' || (r.status === 'conflict' && r.draft.revision === 2)));
        // The stored copy is the winner's, and every loser was shown exactly that copy.
        const stored = (await listDrafts(storage.db, accountId)).find((d) => d.id === id);
        assert.ok(results.every((r) => r.status !== 'conflict' || r.draft.updatedAt === stored?.updatedAt));
      } finally {
        await other.close();
      }
    });

    it('lists the newest first, deletes idempotently, and goes with its account', async () => {
      const owner = (await createAccount(storage.db, { name: '列表测试', idNumber: '110105194912310110', mobile: '13800000003', passwordHash: 'h' })).id;
      const [older, newer] = [randomUUID(), randomUUID()];
      await writeDraft(storage.db, { id: older, accountId: owner, baseRevision: 0, content: content('较早'), now: new Date('2030-01-01T00:00:00Z') });
      await writeDraft(storage.db, { id: newer, accountId: owner, baseRevision: 0, content: content('较新'), now: new Date('2030-01-02T00:00:00Z') });
      assert.deepEqual(
        (await listDrafts(storage.db, owner)).map((d) => d.id),
        [newer, older],
      );
      await deleteDraft(storage.db, owner, older);
      await deleteDraft(storage.db, owner, older);
      assert.deepEqual(
        (await listDrafts(storage.db, owner)).map((d) => d.id),
        [newer],
      );
      await storage.db.deleteFrom('accounts').where('id', '=', owner).execute();
      assert.deepEqual(await listDrafts(storage.db, owner), []);
    });
  });

  describe('rate limits', () => {
    it('counts hits in a window atomically and starts again after it', async () => {
      const key = `login:${randomUUID()}`;
      const t0 = new Date('2030-01-01T00:00:00.000Z');
      const hits = await Promise.all(
        Array.from({ length: 10 }, () => hitRateLimit(storage.db, { key, windowMs: 60_000, now: t0 })),
      );
      assert.deepEqual(
        hits.map((h) => h.count).sort((a, b) => a - b),
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      );
      const later = await hitRateLimit(storage.db, { key, windowMs: 60_000, now: new Date(t0.getTime() + 60_000) });
      assert.equal(later.count, 1);
      assert.equal(later.resetAt.getTime(), t0.getTime() + 120_000);
    });
  });

  describe('audit log', () => {
    it('keeps entries per subject in time order', async () => {
      const subject = `submission:${randomUUID()}`;
      await appendAudit(storage.db, { actor: 'staff:1', action: 'view', subject, now: new Date('2030-01-01T00:00:01Z') });
      await appendAudit(storage.db, { actor: 'staff:2', action: 'accept', subject, now: new Date('2030-01-01T00:00:02Z') });
      assert.deepEqual(
        (await listAuditForSubject(storage.db, subject)).map((e) => e.action),
        ['view', 'accept'],
      );
    });

    it('is append-only: the database refuses to change or delete an entry', async () => {
      const subject = `submission:${randomUUID()}`;
      const entry = await appendAudit(storage.db, { actor: 'staff:1', action: 'view', subject });
      await assert.rejects(
        storage.db.updateTable('audit_log').set({ action: 'nothing' }).where('id', '=', entry.id).execute(),
        /append-only/,
      );
      await assert.rejects(storage.db.deleteFrom('audit_log').where('id', '=', entry.id).execute(), /append-only/);
      assert.deepEqual(
        (await listAuditForSubject(storage.db, subject)).map((e) => e.action),
        ['view'],
      );
    });
  });

  describe('transactions', () => {
    it('store nothing when the work throws', async () => {
      const idNumber = '110105194912310065';
      const key = randomUUID();
      const bytes = randomBytes(1024);
      const orphan = enterprise('回滚测试监理有限公司', '91110108MA0000009');
      const boom = new Error('boom');
      await assert.rejects(
        storage.db.transaction().execute(async (trx) => {
          const account = await createAccount(trx, { name: '赵六', idNumber, mobile: '13500000000', passwordHash: 'x' });
          await upsertEnterprises(trx, [orphan]);
          await insertSubmission(trx, { receiptNumber: `R-${key}`, accountId: account.id, idempotencyKey: key, body: submissionBody({}) });
          await putAttachment(trx, { accountId: account.id, id: sha256Hex(bytes), kind: 'photo', mime: 'image/jpeg', bytes });
          await writeDraft(trx, { id: key, accountId: account.id, baseRevision: 0, content: { values: {}, fieldUpdatedAt: {}, updatedAt: 0 } });
          throw boom;
        }),
        boom,
      );
      assert.equal(await findAccountByIdNumber(storage.db, idNumber), undefined);
      assert.equal(await findEnterprise(storage.db, orphan.uscc), undefined);
      assert.equal(await findSubmissionByIdempotencyKey(storage.db, key), undefined);
      const { rows } = await sql<{ n: string | number }>`select count(*) as n from attachments where sha256 = ${sha256Hex(bytes)}`.execute(storage.db);
      assert.equal(Number(rows[0]?.n), 0);
      assert.equal((await storage.db.selectFrom('drafts').select('id').where('id', '=', key).execute()).length, 0);
    });
  });

  async function countAccounts(): Promise<number> {
    const row = await storage.db.selectFrom('accounts').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n); // pg returns count(*) as a string
  }

  async function countSubmissions(idempotencyKey: string): Promise<number> {
    const row = await storage.db
      .selectFrom('submissions')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('idempotency_key', '=', idempotencyKey)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
});
