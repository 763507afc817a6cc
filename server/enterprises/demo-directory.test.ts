import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { validateUscc } from '../../shared/uscc.ts';
import { openDatabase, type Storage } from '../db/database.ts';
import { findEnterprise, upsertEnterprises } from '../db/enterprises-store.ts';
import { demoEnterprises, seedDemoDirectoryIfEmpty } from './demo-directory.ts';

describe('demo directory', () => {
  it('has at least 50 enterprises with valid, unique USCCs and unique names', () => {
    assert.ok(demoEnterprises.length >= 50);
    for (const e of demoEnterprises) {
      const check = validateUscc(e.uscc);
      assert.ok(check.ok && check.checksumValid, `${e.uscc} ${e.name}`);
      assert.equal(e.uscc.slice(0, 2), '91');
      assert.ok(e.name && e.legalRepresentative && e.province && e.city);
    }
    assert.equal(new Set(demoEnterprises.map((e) => e.uscc)).size, demoEnterprises.length);
    assert.equal(new Set(demoEnterprises.map((e) => e.name)).size, demoEnterprises.length);
  });

  it('spans at least 8 provinces, each region code matching its province', () => {
    const provinceByPrefix = new Map<string, string>();
    for (const e of demoEnterprises) {
      const prefix = e.uscc.slice(2, 4);
      assert.equal(provinceByPrefix.get(prefix) ?? e.province, e.province, e.name);
      provinceByPrefix.set(prefix, e.province);
    }
    assert.ok(new Set(demoEnterprises.map((e) => e.province)).size >= 8);
    assert.ok(demoEnterprises.some((e) => e.province === '山东省' && e.city === '济南市' && e.uscc.startsWith('913701')));
  });

  it('is the same on every load (no randomness)', async () => {
    const again = await import(`./demo-directory.ts?again=${Date.now()}`);
    assert.deepEqual(again.demoEnterprises, demoEnterprises);
  });
});

describe('seedDemoDirectoryIfEmpty', () => {
  let dataDir: string;
  let storage: Storage;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'demo-directory-'));
    storage = await openDatabase({ dataDir });
  });
  afterEach(async () => {
    await storage.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('fills an empty directory once', async () => {
    assert.equal(await seedDemoDirectoryIfEmpty(storage), demoEnterprises.length);
    assert.equal(await seedDemoDirectoryIfEmpty(storage), 0);
    const first = demoEnterprises[0]!;
    assert.deepEqual(await findEnterprise(storage.db, first.uscc), first);
  });

  it('leaves an imported directory alone', async () => {
    const own = { ...demoEnterprises[0]!, name: '自有导入监理有限公司' };
    await upsertEnterprises(storage.db, [own]);
    assert.equal(await seedDemoDirectoryIfEmpty(storage), 0);
    const rows = await storage.db.selectFrom('enterprises').select('name').execute();
    assert.deepEqual(rows, [{ name: '自有导入监理有限公司' }]);
  });
});
