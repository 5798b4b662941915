import { defineConfig } from '@playwright/test';

/**
 * Browser tests run against the built app (`vite build` first, see package.json "test:browser") served by
 * `vite preview`, in the system Chromium.
 */
export default defineConfig({
  testDir: 'tests/browser',
  outputDir: 'test-results/artifacts',
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 60_000 },
  reporter: [['list']],
  use: {
    baseURL: 'http://localhost:4173/',
    viewport: { width: 1600, height: 1000 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: 'npx vite preview --port 4173 --strictPort',
    url: 'http://localhost:4173/',
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
