import { expect, test } from '@playwright/test';
import { waitForLeaderboard, watchConsole } from '../helpers';

test('start an evaluation of all models from the Runs page, watch it reach 100%, see it ranked', async ({ page }) => {
  const errors = watchConsole(page);
  const shipped = await waitForLeaderboard(page); // first-start runs done, so the new runs are the only ones moving
  await page.goto('/runs');
  const before = await page.getByTestId('eval-run').count();
  await page.getByLabel('Model').selectOption('all');
  await page.getByLabel('Dataset').selectOption({ label: 'carla-official' });
  await expect(page.getByRole('combobox', { name: /^Split/ })).toHaveValue('test');
  await page.getByRole('button', { name: 'Start evaluation' }).click();
  // "All models": the newest checkpoint of each network, here the shipped ones.
  await expect(page.getByRole('status').filter({ hasText: `Queued ${shipped.length} run(s)` })).toBeVisible();
  await expect(page.getByTestId('eval-run')).toHaveCount(before + shipped.length);
  const newest = page.getByTestId('eval-run').first();
  await expect(newest.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100', { timeout: 180_000 });
  for (let i = 0; i < shipped.length; i++)
    await expect(page.getByTestId('eval-run').nth(i).getByTestId('status')).toHaveText('completed', { timeout: 180_000 });
  await waitForLeaderboard(page, '/?dataset=carla-official&split=test');
  expect(errors).toEqual([]);
});
