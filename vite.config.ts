import { defineConfig } from 'vite';

export default defineConfig({
  root: 'client',
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    target: 'es2022',
    // Small enough to inline: one request fewer on a slow network.
    assetsInlineLimit: 4096,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
