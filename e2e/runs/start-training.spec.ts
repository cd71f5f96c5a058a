import { expect, test } from '@playwright/test';
import { waitForLeaderboard, watchConsole } from '../helpers';

test('start a training run with chosen ingredients from the Runs page, see its recipe, cancel it', async ({ page }) => {
  const errors = watchConsole(page);
  await waitForLeaderboard(page); // first-start work done, so the worker is free for this run
  await page.goto('/runs');
  const form = page.getByRole('region', { name: 'Start a training run' });
  await form.getByLabel('Architecture').selectOption('segnet');
  await form.getByLabel('Epochs').fill('1');
  await form.getByLabel('Width').fill('2');
  // The recipe's choices are pre-set: photometric on, the rest off.
  await expect(form.getByRole('checkbox', { name: /Photometric variation/ })).toBeChecked();
  await expect(form.getByRole('checkbox', { name: /Weather variation/ })).not.toBeChecked();
  await form.getByRole('checkbox', { name: /Photometric variation/ }).uncheck();
  await form.getByRole('checkbox', { name: /Weather variation/ }).check();
  await form.getByRole('checkbox', { name: /Lovász-softmax term/ }).check();
  await form.getByRole('button', { name: 'Start training' }).click();
  await expect(form.getByRole('status').filter({ hasText: 'Training queued' })).toBeVisible();
  const run = page.getByTestId('train-run').first();
  await expect(run.getByTestId('train-recipe')).toHaveText('width 2, batch 8, seed 42; weather, Lovász');
  await run.getByRole('button', { name: 'Cancel' }).click();
  await expect(run.getByTestId('status')).toHaveText(/cancel/, { timeout: 60_000 });
  expect(errors).toEqual([]);
});
