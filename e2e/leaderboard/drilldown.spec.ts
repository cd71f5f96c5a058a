import { expect, test } from '@playwright/test';
import { waitForLeaderboard, watchConsole } from '../helpers';

test('leaderboard ranks every shipped model with confidence intervals and paired comparisons', async ({ page }) => {
  const errors = watchConsole(page);
  const shipped = await waitForLeaderboard(page);
  const rows = page.getByTestId('leaderboard-row');
  await expect(rows).toHaveCount(shipped.length);
  const mious = await rows.getByTestId('miou').allInnerTexts();
  const values = mious.map(Number);
  expect(values.every((v) => v > 0 && v <= 100)).toBe(true);
  expect([...values].sort((a, b) => b - a)).toEqual(values);
  for (const ci of await rows.getByTestId('miou-ci').allInnerTexts()) expect(ci).toMatch(/^\[\d+\.\d, \d+\.\d\]$/);
  // One paired comparison per pair of adjacent ranks.
  await expect(page.getByTestId('comparisons').getByRole('listitem')).toHaveCount(shipped.length - 1);
  await expect(page.getByTestId('comparisons')).toContainText('95% CI');
  expect(errors).toEqual([]);
});

test('a class bar opens that class, and a worst image opens the image page', async ({ page }) => {
  const errors = watchConsole(page);
  const shipped = await waitForLeaderboard(page);
  await page.getByRole('link', { name: /^Open class Road: U-Net IoU \d/ }).click();
  await expect(page).toHaveURL(/\/classes\/7/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Road');
  const classRows = page.getByTestId('class-model-row');
  await expect(classRows).toHaveCount(shipped.length);
  for (const name of shipped) await expect(classRows.filter({ has: page.getByRole('link', { name, exact: true }) })).toHaveCount(1);
  await page
    .getByRole('link', { name: /^Image .* Road IoU/ })
    .first()
    .click();
  await expect(page).toHaveURL(/\/images\//);
  // The input, the ground truth, then one panel per model.
  await expect(page.getByTestId('viewer-panel')).toHaveCount(2 + shipped.length);
  await page.getByLabel('Correct / incorrect pixels (green / red)').check();
  await page.getByLabel('Mask opacity').fill('0.3');
  for (const name of shipped) await expect(page.getByRole('img', { name: `${name}: correct and incorrect pixels`, exact: true })).toHaveCount(1);
  await expect(page.getByRole('img', { name: /correct and incorrect pixels/ })).toHaveCount(shipped.length);
  expect(errors).toEqual([]);
});
