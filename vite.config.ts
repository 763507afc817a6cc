import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { APP_ICONS, ICON_SOURCE, renderAppIcon } from './sw/app-icons.ts';
import { BROWSER_TARGET } from './sw/browser-target.ts';

/** The PNG icons are rendered by the build (sw/build.ts); the dev server draws them on request. */
function appIconsInDevelopment(): Plugin {
  return {
    name: 'app-icons-in-development',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const icon = APP_ICONS.find((candidate) => req.url === `/${candidate.file}`);
        if (!icon) return next();
        readFile(ICON_SOURCE)
          .then((svg) => renderAppIcon(svg, icon))
          .then((png) => {
            res.setHeader('Content-Type', 'image/png');
            res.end(png);
          }, next);
      });
    },
  };
}

const fromHere = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** A chunk holding console code; chunks shared with the applicant's app hold none and stay in assets/. */
const isStaffChunk = (chunk: { moduleIds: readonly string[] }) =>
  chunk.moduleIds.some((id) => id.includes('/client/staff/'));

export default defineConfig({
  root: 'client',
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    target: BROWSER_TARGET,
    // Small enough to inline: one request fewer on a slow network.
    assetsInlineLimit: 4096,
    rolldownOptions: {
      // The staff console is an entry of its own: applicants never download it.
      input: { main: fromHere('client/index.html'), staff: fromHere('client/staff/index.html') },
      output: {
        // Code only the console uses sits under staff/, which the service worker does not precache.
        entryFileNames: (chunk) => `${isStaffChunk(chunk) ? 'staff/assets' : 'assets'}/[name]-[hash].js`,
        chunkFileNames: (chunk) => `${isStaffChunk(chunk) ? 'staff/assets' : 'assets'}/[name]-[hash].js`,
      },
    },
  },
  plugins: [appIconsInDevelopment()],
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
