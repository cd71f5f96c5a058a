import { expect, test } from '@playwright/test';
import { waitForLeaderboard, watchConsole } from '../helpers';

test('a slice changes the leaderboard and its URL, and the URL alone brings the slice back', async ({ page }) => {
  const errors = watchConsole(page);
  const shipped = await waitForLeaderboard(page);
  const rows = page.getByTestId('leaderboard-row');
  const whole = await rows.getByTestId('miou').allInnerTexts();

  // Frames 0–239 of carla-drive hold the first of its two validation blocks (frames 160–199).
  await page.getByLabel('First frame').fill('0');
  await page.getByLabel('Last frame').fill('239');
  await page.getByRole('button', { name: 'Apply slice' }).click();
  await expect(page).toHaveURL(/dataset=carla-drive&split=val&has=&share=&from=0&to=239&brightMin=&brightMax=$/);
  await expect(page.getByTestId('slice-summary')).toContainText('frames 0–239 — 40 of 80 images');
  await expect(page.getByText('40 images per model')).toBeVisible();
  await expect(rows).toHaveCount(shipped.length);
  const sliced = await rows.getByTestId('miou').allInnerTexts();
  expect(sliced).not.toEqual(whole);
  for (const ci of await rows.getByTestId('miou-ci').allInnerTexts()) expect(ci).toMatch(/^\[\d+\.\d, \d+\.\d\]$/);

  await page.goto(page.url());
  await expect(page.getByTestId('slice-summary')).toContainText('40 of 80 images');
  expect(await rows.getByTestId('miou').allInnerTexts()).toEqual(sliced);

  // The per-class view of the same slice: the slice stays in the URL and is named on the page.
  await page.getByRole('link', { name: 'Per-class IoU with intervals on this slice' }).click();
  await expect(page).toHaveURL(/\/classes\?dataset=carla-drive&split=val&from=0&to=239$/);
  await expect(page.getByTestId('slice-summary')).toContainText('Slice: frames 0–239 — 40 of 80 images');
  const classTable = page.getByRole('table', { name: 'IoU per class and model on the slice frames 0–239' });
  await expect(classTable.getByRole('columnheader', { name: /IoU$/ })).toHaveCount(shipped.length);
  const slicedClasses = await classTable.getByTestId('class-iou').allInnerTexts();
  expect(slicedClasses).toHaveLength(13 * shipped.length);
  expect(slicedClasses.filter((t) => /^\d+\.\d \[\d+\.\d, \d+\.\d\]$/.test(t)).length).toBeGreaterThan(0);
  await page.getByRole('link', { name: 'Whole split' }).click();
  await expect(page).toHaveURL(/\/classes\?dataset=carla-drive&split=val$/);
  await expect(page.getByTestId('slice-summary')).toHaveCount(0);
  expect(await page.getByRole('table', { name: 'IoU per class and model' }).getByTestId('class-iou').allInnerTexts()).not.toEqual(slicedClasses);
  await page.goto('/classes?dataset=carla-drive&split=val&from=9&to=2');
  await expect(page.getByRole('alert').filter({ hasText: 'Invalid slice' })).toHaveText('Invalid slice (slice: the first frame comes after the last).');
  await page.goto('/classes?dataset=carla-drive&split=val&from=0&to=239');
  await page.getByRole('link', { name: 'Leaderboard on this slice' }).click();
  await expect(page).toHaveURL(/\/\?dataset=carla-drive&split=val&from=0&to=239$/);
  await expect(rows).toHaveCount(shipped.length);
  expect(await rows.getByTestId('miou').allInnerTexts()).toEqual(sliced);

  await page.getByRole('link', { name: 'Whole split' }).click();
  await expect(page.getByTestId('slice-summary')).toHaveCount(0);
  expect(await rows.getByTestId('miou').allInnerTexts()).toEqual(whole);
  expect(errors).toEqual([]);
});
