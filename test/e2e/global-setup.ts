import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { startServer } from '../server-process.ts';

/** One real server for the whole e2e run; tests read its address from E2E_BASE_URL. */
export default async function globalSetup() {
  if (!existsSync('dist/client/index.html')) throw new Error('dist/client is missing: run `npm run build` first');
  // Key rotation (key-rotation.spec.ts) reaches the server within a second, not the default minute.
  // Loopback is trusted as a proxy, so each test's X-Forwarded-For (fixtures.ts) names its own phone.
  const server = await startServer({ RECEIPT_KEY_CHECK_SECONDS: '1', TRUSTED_PROXIES: '127.0.0.1' });
  process.env.E2E_BASE_URL = server.url;
  // Where its database is, for commands run beside it (npm run keys).
  process.env.E2E_DATA_DIR = server.dataDir;
  return async () => {
    // Kept for reading after a failure: JSON lines with route, status and request id, no personal data.
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/e2e-server.log', server.output());
    await server.stop();
  };
}
