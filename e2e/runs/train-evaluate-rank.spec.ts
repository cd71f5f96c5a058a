import { expect, test } from '@playwright/test';
import { waitForLeaderboard, watchConsole } from '../helpers';

test('a 1-epoch training run started from Runs is evaluated by itself and ranked on the leaderboard, both numbers explained, with calibration and boundary IoU', async ({
  page,
}) => {
  test.setTimeout(600_000);
  const errors = watchConsole(page);
  await waitForLeaderboard(page); // first-start work done, so the worker is free for this run
  const t0 = Date.now();
  await page.goto('/runs');
  const form = page.getByRole('region', { name: 'Start a training run' });
  await form.getByLabel('Architecture').selectOption('unet');
  await form.getByLabel('Epochs').fill('1');
  await form.getByLabel('Width').fill('2');
  await form.getByLabel('Input').selectOption('128x96'); // the quick look: the journey proves the flow, not the number
  await expect(form.getByRole('checkbox', { name: /Evaluate and rank when done/ })).toBeChecked();
  await form.getByRole('button', { name: 'Start training' }).click();
  await expect(form.getByRole('status').filter({ hasText: 'Training queued' })).toBeVisible();

  const run = page.getByTestId('train-run').first();
  await expect(run.getByTestId('status')).toHaveText('completed', { timeout: 300_000 });
  await expect(run.getByTestId('train-selection-miou')).toHaveText(/^\d+\.\d$/);
  // Nobody asked: the new checkpoint's evaluations are queued and linked from its training row.
  const evaluations = run.getByTestId('train-evaluations').getByRole('link');
  await expect(evaluations).toHaveCount(2);
  await expect(evaluations.filter({ hasText: 'carla-drive val: ' })).toHaveText(/carla-drive val: \d+\.\d$/, { timeout: 300_000 });
  await expect(evaluations.filter({ hasText: 'carla-official test: ' })).toHaveText(/carla-official test: \d+\.\d$/, { timeout: 300_000 });
  await expect(page.getByTestId('train-numbers-explained')).toContainText('selection split');
  await expect(page.getByTestId('train-numbers-explained')).toContainText('native resolution');

  await page.goto('/');
  const row = page.getByTestId('leaderboard-row').filter({ has: page.getByText('trained here') });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('trained-here')).toContainText('Recipe: 128×96, width 2, batch 8, seed 42');
  await expect(row.getByTestId('trained-here')).toContainText(/Selection mIoU in training \d+\.\d .*native resolution/);
  await expect(row.getByTestId('miou')).toHaveText(/^\d+\.\d$/);

  await row.getByRole('link', { name: 'calibration, flicker…' }).click();
  await expect(page).toHaveURL(/\/runs\/[^/]+\/quality$/);
  await expect(page.getByTestId('quality-ece')).toContainText(/\d+\.\d/);
  await expect(page.getByTestId('quality-boundary')).toContainText(/mean \d+\.\d/);
  test.info().annotations.push({ type: 'journey seconds', description: ((Date.now() - t0) / 1000).toFixed(0) });
  console.log(`train → evaluate → rank journey: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  expect(errors).toEqual([]);
});
