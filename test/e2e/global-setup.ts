import { existsSync } from 'node:fs';
import { startServer } from '../server-process.ts';

/** One real server for the whole e2e run; tests read its address from E2E_BASE_URL. */
export default async function globalSetup() {
  if (!existsSync('dist/client/index.html')) throw new Error('dist/client is missing: run `npm run build` first');
  const server = await startServer();
  process.env.E2E_BASE_URL = server.url;
  return () => server.stop();
}
