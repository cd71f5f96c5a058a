import { expect, test } from '@playwright/test';
import { waitForLeaderboard, watchConsole } from '../helpers';

test('a slice saved as a filter is there after a reload; picking it changes the leaderboard and its URL', async ({ page }) => {
  const errors = watchConsole(page);
  await waitForLeaderboard(page);
  const rows = page.getByTestId('leaderboard-row');
  const summary = page.getByTestId('slice-summary');
  const whole = await rows.getByTestId('miou').allInnerTexts();

  // Frames 0–239 of carla-drive hold the first of its two validation blocks.
  await page.getByLabel('First frame').fill('0');
  await page.getByLabel('Last frame').fill('239');
  await page.getByRole('button', { name: 'Apply slice' }).click();
  await expect(summary).toContainText('40 of 80 images');
  const sliced = await rows.getByTestId('miou').allInnerTexts();
  expect(sliced).not.toEqual(whole);

  const name = page.getByLabel('Save this slice as');
  await name.fill('first val block');
  await page.getByRole('button', { name: 'Save filter' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved as' })).toHaveText('Saved as “first val block”.');
  // The same name again is refused in words, and nothing is added.
  await name.fill('first val block');
  await page.getByRole('button', { name: 'Save filter' }).click();
  // (Next's route announcer is an empty alert of its own: the message is picked by its text.)
  await expect(page.getByRole('alert').filter({ hasText: 'already exists' })).toHaveText(
    'A filter named “first val block” already exists: choose another name or delete it first.',
  );
  const list = page.getByRole('list', { name: 'Saved filters' });
  await expect(list.getByRole('link')).toHaveCount(1);

  await page.getByRole('link', { name: 'Whole split' }).click();
  await expect(summary).toHaveCount(0);
  await page.reload();
  expect(await rows.getByTestId('miou').allInnerTexts()).toEqual(whole);
  await expect(list.getByRole('listitem')).toContainText('carla-drive · val · frames 0–239');

  await list.getByRole('link', { name: 'first val block' }).click();
  await expect(page).toHaveURL(/\/\?filter=[a-z0-9]+$/);
  await expect(summary).toContainText('Saved filter first val block: Slice: frames 0–239 — 40 of 80 images');
  expect(await rows.getByTestId('miou').allInnerTexts()).toEqual(sliced);
  // The slice form shows what the filter holds.
  await expect(page.getByLabel('Last frame')).toHaveValue('239');

  // A deep link by name opens the same board.
  await page.goto(`/?filter=${encodeURIComponent('first val block')}`);
  expect(await rows.getByTestId('miou').allInnerTexts()).toEqual(sliced);
  await page.goto('/?filter=no-such-filter');
  await expect(page.getByRole('alert').filter({ hasText: 'No saved filter' })).toHaveText('No saved filter “no-such-filter”: it may have been deleted.');
  expect(await rows.getByTestId('miou').allInnerTexts()).toEqual(whole);

  await page.goto(`/?filter=${encodeURIComponent('first val block')}`);
  await page.getByRole('button', { name: 'Delete filter first val block' }).click();
  await expect(list).toHaveCount(0);
  await expect(summary).toHaveCount(0);
  expect(errors).toEqual([]);
});
