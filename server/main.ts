import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { seedDemoDirectoryIfEmpty } from './enterprises/demo-directory.ts';
import { drainServer } from './health/graceful-shutdown.ts';
import { createReadiness } from './health/readiness.ts';
import { createFaceVerifier } from './face-verification/verifier.ts';
import { startNoticeSender } from './notices/notice-sender.ts';
import { chooseSmsProvider } from './notices/sms-provider.ts';
import { watchReceiptSigner } from './receipts/receipt-signer.ts';
import { logger } from './observability/logger.ts';

async function main() {
  const config = loadConfig(process.env);
  logger.level = config.logLevel;
  const faceVerifier = createFaceVerifier(config);
  const smsProvider = chooseSmsProvider(config);
  const storage = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  // Outside production an empty directory gets made-up enterprises, so the journey works at once;
  // a real deployment imports its own CSV (npm run enterprises:import -- file.csv).
  if (!config.production) await seedDemoDirectoryIfEmpty(storage);
  // Re-reads the database's signing key now and then, so a rotation reaches every running instance.
  const receiptSigner = await watchReceiptSigner(storage.db, {
    configured: config.receiptSigningKey,
    checkEveryMs: config.receiptKeyCheckSeconds * 1000,
  });
  const noticeSender = startNoticeSender(storage.db, smsProvider(storage.db));

  const readiness = createReadiness();
  const app = createApp(
    {
      storage,
      faceVerifier,
      receiptSigner,
      submissionLockMs: config.submissionLockSeconds * 1000,
      holidayCalendar: config.holidayCalendar,
      readiness,
      trustedProxies: config.trustedProxies,
      logger,
      metrics: { token: config.metricsToken, allow: config.metricsAllow },
    },
    resolve('dist/client'),
  );

  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    logger.info({ port: info.port, storage: storage.dialect }, `已启动：http://localhost:${info.port}（存储：${storage.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}）`);
  });
  server.on('error', (err: NodeJS.ErrnoException) => {
    logger.fatal(err.code === 'EADDRINUSE' ? `端口 ${config.port} 已被占用，请用 PORT 指定其他端口` : `启动失败：${err.message}`);
    process.exit(1);
  });

  let stopping = false;
  const shutdown = () => {
    // A second signal changes nothing: the grace already bounds how long the stop takes.
    if (stopping) return;
    stopping = true;
    logger.info('正在停止：不再接收新连接，等待处理中的请求完成');
    // serve() on plain HTTP/1.1 (no TLS, no http2 option) returns a node:http Server.
    void drainServer(server as Server, readiness, config.shutdownGraceSeconds * 1000)
      .then(({ cutConnections }) => {
        if (cutConnections) logger.warn(`SHUTDOWN_GRACE_SECONDS（${config.shutdownGraceSeconds} 秒）已到，未完成的连接已断开`);
      })
      // The round in progress settles its claims first; what it could not send waits for the next start.
      .then(() => noticeSender.stop())
      .then(() => storage.close())
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  // One line, no stack: a person starting the server needs to know what to fix, not where it broke.
  logger.fatal(err instanceof ConfigError ? err.message : `启动失败：${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
