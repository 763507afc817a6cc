import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';

/**
 * Serves the built app shell. Hashed assets are immutable; the HTML and the service worker must always
 * be revalidated so a new version can be offered. Unknown paths get the shell (client-side routes).
 */
export function mountClient(app: Hono, root: string) {
  const indexPath = join(root, 'index.html');
  if (!existsSync(indexPath)) {
    throw new Error(`找不到前端构建产物 ${indexPath}，请先运行 npm run build`);
  }
  const shell = readFileSync(indexPath, 'utf8');

  app.use(
    '*',
    serveStatic({
      root,
      onFound: (path, c) => {
        const immutable = path.includes('/assets/');
        c.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  app.get('*', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.html(shell);
  });
}
