import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { APP_ICONS, ICON_SOURCE, renderAppIcon } from './sw/app-icons.ts';
import { BROWSER_TARGET } from './sw/browser-target.ts';
import { MODULE_WORKER_FILE } from './sw/worker-protocol.ts';

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

export default defineConfig({
  root: 'client',
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    target: BROWSER_TARGET,
    // Small enough to inline: one request fewer on a slow network.
    assetsInlineLimit: 4096,
    // The chunk graph sw/build.ts reads to decide what is precached (sw/precache-scope.ts); it deletes it after.
    manifest: true,
    // The applicant's app alone. The staff console (client/staff/) is a build of its own
    // (vite.staff.config.ts), so no chunk is shared and applicants never download the console's code.
    // The service worker is built with the page as a module, so it imports the page's own chunks
    // (Dexie, the outbox sender) instead of carrying copies; its name is fixed, as registered.
    rolldownOptions: {
      input: { main: fromHere('client/index.html'), sw: fromHere('sw/sw.ts') },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'sw' ? MODULE_WORKER_FILE : 'assets/[name]-[hash].js'),
        codeSplitting: {
          groups: [
            {
              // The shell's notices, loaded after the first screen (client/app-shell.ts): one request, not five.
              name: 'shell-notices',
              test: /client[\\/](components[\\/](browser-limits-notice|update-banner|install-prompt|clock-note)|service-worker-registration)\.ts$|workbox-window/,
              // Otherwise lit and the theme would move here from the entry, and the first screen would need this chunk.
              includeDependenciesRecursively: false,
            },
          ],
        },
      },
    },
  },
  plugins: [appIconsInDevelopment()],
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
