import { expect, type Page } from '@playwright/test';

/** The end-to-end server's access token (a test value, not a secret). */
export const E2E_TOKEN = 'e2e-access-token-0123456789';

/** Collects console errors and failed requests so a spec can assert a page is clean. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

/** The first-start evaluations (three models × val) run in the worker; wait until the leaderboard shows them. */
export async function waitForLeaderboard(page: Page, url = '/', rows = 3): Promise<void> {
  await expect(async () => {
    await page.goto(url);
    // Imported models and variants (marked with their source) may rank alongside; the count is of trained checkpoints.
    await expect(page.getByTestId('leaderboard-row').filter({ hasNot: page.getByTestId('model-source') })).toHaveCount(rows, { timeout: 2000 });
  }).toPass({ timeout: 300_000, intervals: [3000] });
}
