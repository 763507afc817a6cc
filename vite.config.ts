import { readFile } from 'node:fs/promises';
import { defineConfig, type Plugin } from 'vite';
import { APP_ICONS, ICON_SOURCE, renderAppIcon } from './sw/app-icons.ts';

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

export default defineConfig({
  root: 'client',
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    target: 'es2022',
    // Small enough to inline: one request fewer on a slow network.
    assetsInlineLimit: 4096,
  },
  plugins: [appIconsInDevelopment()],
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
