import { expect, test } from '@playwright/test';
import { waitForLeaderboard, watchConsole } from '../helpers';

test('leaderboard ranks three models with confidence intervals and paired comparisons', async ({ page }) => {
  const errors = watchConsole(page);
  await waitForLeaderboard(page);
  const rows = page.getByTestId('leaderboard-row');
  await expect(rows).toHaveCount(3);
  const mious = await rows.getByTestId('miou').allInnerTexts();
  const values = mious.map(Number);
  expect(values.every((v) => v > 0 && v <= 100)).toBe(true);
  expect([...values].sort((a, b) => b - a)).toEqual(values);
  for (const ci of await rows.getByTestId('miou-ci').allInnerTexts()) expect(ci).toMatch(/^\[\d+\.\d, \d+\.\d\]$/);
  await expect(page.getByTestId('comparisons').getByRole('listitem')).toHaveCount(2);
  await expect(page.getByTestId('comparisons')).toContainText('95% CI');
  expect(errors).toEqual([]);
});

test('a class bar opens that class, and a worst image opens the image page', async ({ page }) => {
  const errors = watchConsole(page);
  await waitForLeaderboard(page);
  await page.getByRole('link', { name: /^Open class Road: U-Net IoU \d/ }).click();
  await expect(page).toHaveURL(/\/classes\/7/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Road');
  await expect(page.getByTestId('class-model-row')).toHaveCount(3);
  await page
    .getByRole('link', { name: /^Image .* Road IoU/ })
    .first()
    .click();
  await expect(page).toHaveURL(/\/images\//);
  await expect(page.getByTestId('viewer-panel')).toHaveCount(5);
  await page.getByLabel('Correct / incorrect pixels (green / red)').check();
  await page.getByLabel('Mask opacity').fill('0.3');
  await expect(page.getByRole('img', { name: /correct and incorrect pixels/ })).toHaveCount(3);
  expect(errors).toEqual([]);
});
