import { defineConfig } from '@playwright/test';
import { E2E_TOKEN } from './e2e/helpers';

const PORT = Number(process.env.E2E_PORT ?? 3100);

/**
 * End-to-end tests in Debian's Chromium (no browser download). The web server entry runs
 * the real product (`npm start`) on a fresh embedded PostgreSQL of its own, so the
 * journeys see what a first-time user sees, including the first-start evaluations. It serves
 * beyond loopback with an access token, as a shared deployment would: every journey sends the
 * token (so "with it everything works" is the whole suite), e2e/access proves nothing works without.
 */
export default defineConfig({
  testDir: 'e2e',
  timeout: 240_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    extraHTTPHeaders: { authorization: `Bearer ${E2E_TOKEN}` },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-dev-shm-usage',
      ],
    },
  },
  webServer: {
    command: 'rm -rf .pixeldrive/pgdata-e2e .pixeldrive/models-e2e && npm start',
    url: `http://127.0.0.1:${PORT}/system`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGINT', timeout: 30_000 },
    env: {
      PORT: String(PORT),
      HOST: '0.0.0.0',
      PIXELDRIVE_TOKEN: E2E_TOKEN,
      PIXELDRIVE_PG_DIR: '.pixeldrive/pgdata-e2e',
      PIXELDRIVE_MODELS_DIR: '.pixeldrive/models-e2e',
      PIXELDRIVE_PG_PORT: process.env.E2E_PG_PORT ?? '54359',
      DATABASE_URL: '',
      NEXT_TELEMETRY_DISABLED: '1',
      CHECKPOINT_DISABLE: '1',
    },
  },
});
