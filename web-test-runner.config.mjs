import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { summaryReporter } from './test/reporters/wtr-summary.mjs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const args = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
];

/** Element tests run in Debian's Chromium, one real browser, no download. */
export default {
  files: ['client/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'production'] },
  plugins: [
    // Dexie's package entry wraps its UMD build, which has no default export in the browser.
    {
      name: 'dexie-esm',
      resolveImport({ source }) {
        if (source === 'dexie') return '/node_modules/dexie/dist/dexie.mjs';
      },
    },
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }),
  ],
  browsers: [
    playwrightLauncher({ product: 'chromium', launchOptions: { executablePath: chromium, headless: true, args } }),
  ],
  concurrency: 1,
  // Plain lines, no terminal redraws: CI reads the closing line.
  staticLogging: true,
  testFramework: { config: { timeout: 5000 } },
  reporters: [defaultReporter({ reportTestResults: true, reportTestProgress: false }), summaryReporter('element')],
};
