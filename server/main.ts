import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { seedDemoDirectoryIfEmpty } from './enterprises/demo-directory.ts';
import { createFaceVerifier } from './face-verification/verifier.ts';
import { startNoticeSender } from './notices/notice-sender.ts';
import { chooseSmsProvider } from './notices/sms-provider.ts';
import { loadReceiptSigner } from './receipts/receipt-signer.ts';

async function main() {
  const config = loadConfig(process.env);
  const faceVerifier = createFaceVerifier(config);
  const smsProvider = chooseSmsProvider(config);
  const storage = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  // Outside production an empty directory gets made-up enterprises, so the journey works at once;
  // a real deployment imports its own CSV (npm run enterprises:import -- file.csv).
  if (!config.production) await seedDemoDirectoryIfEmpty(storage);
  const receiptSigner = await loadReceiptSigner(storage.db, config.receiptSigningKey);
  const noticeSender = startNoticeSender(storage.db, smsProvider(storage.db));

  const app = createApp(
    {
      storage,
      faceVerifier,
      receiptSigner,
      submissionLockMs: config.submissionLockSeconds * 1000,
      holidayCalendar: config.holidayCalendar,
    },
    resolve('dist/client'),
  );

  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    console.log(`已启动：http://localhost:${info.port}（存储：${storage.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}）`);
  });
  server.on('error', (err: NodeJS.ErrnoException) => {
    console.error(err.code === 'EADDRINUSE' ? `端口 ${config.port} 已被占用，请用 PORT 指定其他端口` : `启动失败：${err.message}`);
    process.exit(1);
  });

  const shutdown = () => {
    server.close();
    // The round in progress settles its claims first; what it could not send waits for the next start.
    void noticeSender
      .stop()
      .then(() => storage.close())
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  // One line, no stack: a person starting the server needs to know what to fix, not where it broke.
  console.error(err instanceof ConfigError ? err.message : `启动失败：${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
