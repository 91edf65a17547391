import { defineConfig } from '@playwright/test';
import type { HarnessOptions } from './tests/e2e/harness';

export default defineConfig<HarnessOptions>({
  testDir: 'tests/e2e',
  globalSetup: './tests/e2e/global-setup.ts',
  // Each test launches its own browser; two at once suits a shared 2-core machine.
  workers: 2,
  fullyParallel: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'reports/playwright.json' }]],
  // Traces cost a lot on 2 cores; failures print enough to act on.
  use: { trace: 'off' },
  projects: [
    // Every spec: the Chromium suite (tests/e2e/*.spec.ts) and the cross-browser one (tests/e2e/both/).
    { name: 'chromium', testMatch: '**/*.spec.ts', use: { extensionBrowser: 'chromium' } },
    // The cross-browser specs again, in Firefox ESR over WebDriver BiDi.
    // Firefox starts slower than Chromium (a new profile and the add-on installed over BiDi each test).
    { name: 'firefox', testMatch: 'both/**/*.spec.ts', timeout: 120_000, use: { extensionBrowser: 'firefox' } },
  ],
});
