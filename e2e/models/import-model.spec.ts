import path from 'node:path';
import { expect, test } from '@playwright/test';
import { waitForLeaderboard, watchConsole } from '../helpers';

const NAME = 'Torch fixture (e2e)';

test('import an ONNX model made by PyTorch, evaluate it, see it ranked and run it in the playground', async ({ page }) => {
  const errors = watchConsole(page);
  const shipped = await waitForLeaderboard(page); // first-start runs done, so the worker picks ours up at once
  await page.goto('/models');

  // A refusal first: nothing is stored and the reason is shown.
  await page.getByLabel('ONNX model').setInputFiles(path.resolve('data/carla-official/CameraRGB/val_1.png'));
  await page.getByLabel('Adapter (JSON file)').setInputFiles(path.resolve('test/fixtures/torch-segmenter.adapter.json'));
  await page.getByLabel('Name').fill(NAME);
  await page.getByRole('button', { name: 'Import model' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The file is not an ONNX model.' })).toBeVisible();
  await expect(page.getByTestId('imported-model')).toHaveCount(0);

  await page.getByLabel('ONNX model').setInputFiles(path.resolve('test/fixtures/torch-segmenter.onnx'));
  await page.getByRole('button', { name: 'Import model' }).click();
  const imported = page.getByRole('status').filter({ hasText: `Imported ${NAME}` });
  await expect(imported).toContainText('2 unmapped class(es) ignored: traffic light, train');
  await expect(page.getByTestId('imported-model').filter({ hasText: NAME })).toContainText('imported');

  await page.goto('/runs');
  const option = await page.getByLabel('Model').locator('option', { hasText: NAME }).getAttribute('value');
  await page.getByLabel('Model').selectOption(option!);
  await page.getByLabel('Dataset').selectOption({ label: 'carla-official' });
  await page.getByRole('button', { name: 'Start evaluation' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Queued 1 run(s)' })).toBeVisible();
  await expect(page.getByTestId('eval-run').first().getByTestId('status')).toHaveText('completed', { timeout: 120_000 });

  await page.goto('/?dataset=carla-official&split=test');
  const row = page.getByTestId('leaderboard-row').filter({ hasText: NAME });
  await expect(row.getByTestId('model-source')).toContainText('imported');
  await expect(row.getByTestId('miou')).toHaveText(/^\d+\.\d$/);

  await page.goto('/playground');
  await page.getByRole('checkbox', { name: NAME }).check();
  await page.getByLabel('Photo to segment').setInputFiles(path.resolve('data/carla-official/CameraRGB/val_1.png'));
  await page.getByRole('button', { name: 'Segment', exact: true }).click();
  await expect(page).toHaveURL(/upload=/);
  await expect(page.getByTestId('model-result')).toHaveCount(shipped.length + 1);
  await expect(page.getByRole('article', { name: `${NAME} result` }).getByRole('img', { name: `${NAME}: mask` })).toBeVisible();
  // Chromium logs the refused import's 400 response as a console error; it must be the only one.
  expect(errors).toEqual([expect.stringMatching(/status of 400/)]);
});
