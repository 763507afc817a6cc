import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import { etag } from 'hono/etag';

/**
 * Serves the built app shell. Hashed assets are immutable; everything else (the HTML, the service
 * worker, the manifest, the icons) is revalidated on every use so a new version can be offered, and
 * answers 304 when unchanged: the browser checks sw.js on every visit, which must not cost its bytes
 * again on a slow network. Text files go out as the build's Brotli/gzip copies. Unknown paths get the
 * shell (client-side routes), except under /assets/: a missing hashed file belongs to another version
 * and must fail as such, never arrive as HTML.
 */
export function mountClient(app: Hono, root: string) {
  const indexPath = join(root, 'index.html');
  if (!existsSync(indexPath)) {
    throw new Error(`找不到前端构建产物 ${indexPath}，请先运行 npm run build`);
  }
  const shell = readFileSync(indexPath, 'utf8');

  app.use('*', etag());
  // Set once the response exists: a header set while serveStatic builds its response may be lost.
  app.use('*', async (c, next) => {
    await next();
    if (!c.res.ok || c.res.headers.has('Cache-Control')) return;
    const immutable = c.req.path.startsWith('/assets/');
    c.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  });
  app.use('*', serveStatic({ root, precompressed: true }));
  app.get('/assets/*', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.text('Not Found', 404);
  });
  app.get('*', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.html(shell);
  });
}
