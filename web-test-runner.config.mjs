import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './test/chromium.mjs';
import { summaryReporter } from './test/reporters/wtr-summary.mjs';

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
    playwrightLauncher({ product: 'chromium', launchOptions: { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS } }),
  ],
  concurrency: 1,
  // Plain lines, no terminal redraws: CI reads the closing line.
  staticLogging: true,
  testFramework: { config: { timeout: 5000 } },
  reporters: [defaultReporter({ reportTestResults: true, reportTestProgress: false }), summaryReporter('element')],
};
