import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Context, Hono } from 'hono';
import { etag } from 'hono/etag';

/** Where the staff console lives; its own shell and its own hashed code (client/staff/, vite.config.ts). */
export const STAFF_BASE_PATH = '/staff';

/** Hashed, so never changed under the same name: the applicant's and the console's. */
const isHashedAsset = (path: string) => path.startsWith('/assets/') || path.startsWith(`${STAFF_BASE_PATH}/assets/`);

/**
 * Serves the built app shell. Hashed assets are immutable; everything else (the HTML, both service
 * workers, the manifest, the icons) is revalidated on every use so a new version can be offered, and
 * answers 304 when unchanged: the browser checks sw.js (sw-classic.js where modules are refused) on
 * every visit, which must not cost its bytes again on a slow network. Text files go out as the build's
 * Brotli/gzip copies. Unknown paths get the shell (client-side routes), except under /assets/: a
 * missing hashed file belongs to another version and must fail as such, never arrive as HTML. /staff
 * and every path under it get the staff console's shell instead, when the build holds one.
 */
export function mountClient(app: Hono, root: string) {
  const indexPath = join(root, 'index.html');
  if (!existsSync(indexPath)) {
    throw new Error(`找不到前端构建产物 ${indexPath}，请先运行 npm run build`);
  }
  const shell = readFileSync(indexPath, 'utf8');
  const staffIndexPath = join(root, 'staff', 'index.html');
  const staffShell = existsSync(staffIndexPath) ? readFileSync(staffIndexPath, 'utf8') : undefined;

  app.use('*', etag());
  // Set once the response exists: a header set while serveStatic builds its response may be lost.
  app.use('*', async (c, next) => {
    await next();
    if (!c.res.ok || c.res.headers.has('Cache-Control')) return;
    c.header('Cache-Control', isHashedAsset(c.req.path) ? 'public, max-age=31536000, immutable' : 'no-cache');
  });
  app.use('*', serveStatic({ root, precompressed: true }));
  const missingAsset = (c: Context) => {
    c.header('Cache-Control', 'no-store');
    return c.text('Not Found', 404);
  };
  app.get('/assets/*', missingAsset);
  app.get(`${STAFF_BASE_PATH}/assets/*`, missingAsset);
  for (const path of [STAFF_BASE_PATH, `${STAFF_BASE_PATH}/*`]) {
    app.get(path, (c) => {
      // A server built without the console (a test's root) serves the applicant's app alone.
      if (staffShell === undefined) return missingAsset(c);
      c.header('Cache-Control', 'no-cache');
      return c.html(staffShell);
    });
  }
  app.get('*', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.html(shell);
  });
}
