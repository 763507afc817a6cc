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

export default defineConfig({
  root: 'client',
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    target: BROWSER_TARGET,
    // Small enough to inline: one request fewer on a slow network.
    assetsInlineLimit: 4096,
    // The applicant's app alone. The staff console (client/staff/) is a build of its own
    // (vite.staff.config.ts), so no chunk is shared and applicants never download the console's code.
    rolldownOptions: {
      input: { main: fromHere('client/index.html') },
      output: {
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
