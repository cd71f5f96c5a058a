import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { describeCheckpointFolders } from '../models/checkpoint-folders.ts';

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

let shipped: Promise<string[]> | undefined;

/**
 * The shipped models by the names the app lists them under: one per finished folder in
 * models/checkpoints (model.json and card.json, models/checkpoint-folders.ts), which every first
 * start registers and evaluates. Journeys count and name what a page lists against these, so they
 * hold for any number of shipped models and still fail when the app drops one.
 */
export function shippedModels(): Promise<string[]> {
  shipped ??= describeCheckpointFolders(path.resolve('models/checkpoints')).then((folders) => folders.map((f) => f.name));
  return shipped;
}

/**
 * The first-start evaluations (every shipped model × val) run in the worker; wait until the leaderboard
 * ranks each shipped model, by name, and resolve to their names.
 */
export async function waitForLeaderboard(page: Page, url = '/'): Promise<string[]> {
  const names = await shippedModels();
  await expect(async () => {
    await page.goto(url);
    // Imported models, variants and models trained here (marked with their source) may rank alongside; these are the shipped ones.
    const rows = page.getByTestId('leaderboard-row').filter({ hasNot: page.getByTestId('model-source') });
    await expect(rows).toHaveCount(names.length, { timeout: 2000 });
    for (const name of names) await expect(rows.filter({ has: page.getByRole('link', { name, exact: true }) })).toHaveCount(1, { timeout: 2000 });
  }).toPass({ timeout: 300_000, intervals: [3000] });
  return names;
}
