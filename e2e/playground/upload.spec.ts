import path from 'node:path';
import { expect, test } from '@playwright/test';
import { shippedModels, watchConsole } from '../helpers';

test('upload a real CARLA frame: every shipped model renders and the class table lists Road', async ({ page }) => {
  const errors = watchConsole(page);
  const shipped = await shippedModels();
  await page.goto('/playground');
  await page.getByLabel('Photo to segment').setInputFiles(path.resolve('data/carla-official/CameraRGB/val_1.png'));
  await page.getByRole('button', { name: 'Segment', exact: true }).click();
  await expect(page).toHaveURL(/upload=/);
  const results = page.getByTestId('model-result');
  await expect(results).toHaveCount(shipped.length);
  for (const name of shipped) {
    const card = page.getByRole('article', { name: `${name} result`, exact: true });
    await expect(card.getByRole('img', { name: `${name}: mask`, exact: true })).toBeVisible();
    await expect(card.getByRole('img', { name: `${name}: overlay`, exact: true })).toBeVisible();
    await expect(card.getByRole('table', { name: `${name} class percentages`, exact: true })).toContainText('Road');
  }
  await expect(page.getByTestId('history-item').first()).toContainText('val_1.png');
  expect(errors).toEqual([]);
});

test('a file that is not an image gets a clear message and nothing is stored', async ({ page }) => {
  await page.goto('/playground');
  const before = await page.getByTestId('history-item').count();
  await page.getByLabel('Photo to segment').setInputFiles({ name: 'road.png', mimeType: 'image/png', buffer: Buffer.from('this is text, not a PNG') });
  await page.getByRole('button', { name: 'Segment', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'not a PNG, JPEG or WebP image' })).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('history-item')).toHaveCount(before);
});

test('a sample frame with ground truth shows each model’s per-image IoU', async ({ page }) => {
  const errors = watchConsole(page);
  const shipped = await shippedModels();
  await page.goto('/playground');
  await page.getByRole('button', { name: 'Segment sample carla-official train_1' }).click();
  await expect(page).toHaveURL(/upload=/);
  await expect(page.getByTestId('sample-iou')).toHaveCount(shipped.length);
  for (const t of await page.getByTestId('sample-iou').allInnerTexts()) expect(Number(t)).toBeGreaterThan(0);
  await expect(page.getByRole('img', { name: 'Ground truth mask' })).toBeVisible();
  expect(errors).toEqual([]);
});
