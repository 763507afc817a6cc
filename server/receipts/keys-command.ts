/**
 * Receipt signing keys, on the server:
 *   npm run keys -- list      every key kept: id, created, whether it signs
 *   npm run keys -- rotate    a new key signs from now on; every earlier public key stays published
 * It opens the server's database (DATA_DIR / DATABASE_URL). Exit codes: 0 done, 1 refused, 2 usage.
 */
import { loadConfig } from '../config.ts';
import { openServersDatabase } from '../commands/server-database.ts';
import { listSigningKeys, rotateSigningKey } from '../db/server-keys-store.ts';
import { type CommandIo, runWhenMain } from '../commands/command-io.ts';
import { rawPublicKeyOf, signingKeyId, newStoredSigningKey } from './signing-key.ts';

export const USAGE = ['用法：', '  npm run keys -- list', '  npm run keys -- rotate'].join('\n');

export async function runKeysCommand(args: readonly string[], env: Record<string, string | undefined>, io: CommandIo): Promise<number> {
  const verb = args[0];
  if (args.length !== 1 || (verb !== 'list' && verb !== 'rotate')) {
    io.err(USAGE);
    return 2;
  }
  const config = loadConfig(env);
  const configuredId = config.receiptSigningKey && signingKeyId(rawPublicKeyOf(config.receiptSigningKey));
  if (verb === 'rotate' && configuredId) {
    // A configured key always wins over the database's: a new one here would sign nothing.
    io.err(
      `已配置 RECEIPT_SIGNING_KEY（密钥 ${configuredId}），回执由它签发。更换时请改配新的 RECEIPT_SIGNING_KEY 并重启全部实例：旧密钥的公钥已登记，仍会公布。`,
    );
    return 1;
  }
  const storage = await openServersDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl }, io.err);
  if (!storage) return 1;
  try {
    if (verb === 'rotate') {
      const key = await rotateSigningKey(storage.db, newStoredSigningKey());
      io.out(`新的回执签名密钥：${key.id}（${key.createdAt}）`);
      io.out(
        `运行中的实例在 ${config.receiptKeyCheckSeconds} 秒内改用它（RECEIPT_KEY_CHECK_SECONDS）；此前签发的回执仍可凭旧公钥验证。`,
      );
      return 0;
    }
    const keys = await listSigningKeys(storage.db);
    if (keys.length === 0) io.out('尚无回执签名密钥：服务器首次启动时生成。');
    for (const key of keys) {
      const signs = configuredId ? key.id === configuredId : key.active;
      const state = signs
        ? '签发中'
        : key.configured
          ? '已停用（曾配置于 RECEIPT_SIGNING_KEY，仅存公钥）'
          : key.active
            ? '未使用（已配置 RECEIPT_SIGNING_KEY）'
            : `已停用 ${key.retiredAt ?? ''}`.trim();
      io.out(`${key.id}  ${key.createdAt}  ${state}`);
    }
    return 0;
  } finally {
    await storage.close();
  }
}

runWhenMain(import.meta.url, runKeysCommand, '操作失败');
