import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../db/database.ts';
import { runKeysCommand } from './keys-command.ts';
import { loadReceiptSigner } from './receipt-signer.ts';
import { parseSigningKey } from './signing-key.ts';

function recordingIo() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (line: string) => out.push(line), err: (line: string) => err.push(line) }, out, err };
}

describe('npm run keys', () => {
  let dataDir: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'jl-keys-'));
  });

  after(() => rm(dataDir, { recursive: true, force: true }));

  it('rotates the key the server made, and lists every key with the one that signs', async () => {
    const storage = await openDatabase({ dataDir });
    const first = await loadReceiptSigner(storage.db);
    await storage.close();

    const rotation = recordingIo();
    assert.equal(await runKeysCommand(['rotate'], { DATA_DIR: dataDir }, rotation.io), 0);
    const newId = /新的回执签名密钥：([0-9a-f]{16})/.exec(rotation.out.join('\n'))?.[1];
    assert.ok(newId && newId !== first.keyId);
    assert.match(rotation.out.join('\n'), /60 秒内/);

    const listing = recordingIo();
    assert.equal(await runKeysCommand(['list'], { DATA_DIR: dataDir }, listing.io), 0);
    assert.equal(listing.out.length, 2);
    assert.match(listing.out[0]!, new RegExp(`^${first.keyId}  \\S+  已停用 \\S+$`));
    assert.match(listing.out[1]!, new RegExp(`^${newId}  \\S+  签发中$`));

    // What a (re)started server signs with is the new key.
    const again = await openDatabase({ dataDir });
    assert.equal((await loadReceiptSigner(again.db)).keyId, newId);
    await again.close();
  });

  it('refuses to rotate while RECEIPT_SIGNING_KEY is configured, and lists that key as the signing one', async () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const storage = await openDatabase({ dataDir });
    const configured = await loadReceiptSigner(storage.db, parseSigningKey(pem));
    await storage.close();

    const refused = recordingIo();
    assert.equal(await runKeysCommand(['rotate'], { DATA_DIR: dataDir, RECEIPT_SIGNING_KEY: pem }, refused.io), 1);
    assert.match(refused.err.join('\n'), /RECEIPT_SIGNING_KEY/);
    assert.ok(!refused.err.join('\n').includes(pem.split('\n')[1]!), 'the key itself is never shown');

    const listing = recordingIo();
    assert.equal(await runKeysCommand(['list'], { DATA_DIR: dataDir, RECEIPT_SIGNING_KEY: pem }, listing.io), 0);
    const signing = listing.out.filter((line) => line.endsWith('签发中'));
    assert.deepEqual(
      signing.map((line) => line.slice(0, 16)),
      [configured.keyId],
    );
    assert.equal(listing.out.length, 3);

    // With the configuration gone, the key it named is listed as retired, public half only.
    const without = recordingIo();
    assert.equal(await runKeysCommand(['list'], { DATA_DIR: dataDir }, without.io), 0);
    assert.match(without.out.find((line) => line.startsWith(configured.keyId)) ?? '', /曾配置于 RECEIPT_SIGNING_KEY/);
  });

  it('refuses a DATA_DIR that holds no database, and makes none there', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'jl-keys-elsewhere-'));
    try {
      for (const args of [['rotate'], ['list']]) {
        const run = recordingIo();
        assert.equal(await runKeysCommand(args, { DATA_DIR: elsewhere }, run.io), 1);
        assert.match(run.err.join('\n'), /找不到服务器的数据库 .*app\.sqlite：请以服务器的 DATA_DIR 或 DATABASE_URL 运行/);
        assert.deepEqual(run.out, []);
      }
      assert.deepEqual(await readdir(elsewhere), []);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('answers anything else with the usage', async () => {
    for (const args of [[], ['rotate', 'now'], ['delete']]) {
      const run = recordingIo();
      assert.equal(await runKeysCommand(args, { DATA_DIR: dataDir }, run.io), 2);
      assert.match(run.err.join('\n'), /用法/);
    }
  });
});
