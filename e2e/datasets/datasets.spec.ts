import { expect, test } from '@playwright/test';
import { watchConsole } from '../helpers';

const EMBEDDED = [
  { name: 'carla-drive', frames: '479', splits: ['train', 'val'] },
  { name: 'carla-official', frames: '4', splits: ['test'] },
];

test('the Datasets page lists both embedded datasets and shows each with its class chart', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Datasets' }).click();
  await expect(page.getByRole('heading', { name: 'Datasets' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Datasets' });
  for (const d of EMBEDDED) await expect(table.getByRole('row').filter({ hasText: d.name })).toContainText(d.frames);

  for (const d of EMBEDDED) {
    await page.goto('/datasets');
    await table.getByRole('link', { name: d.name }).click();
    await expect(page.getByRole('heading', { level: 1, name: d.name })).toBeVisible();
    await expect(page.getByTestId('dataset-frames')).toHaveText(d.frames);
    await expect(page.getByText(/RGB, id in red \(green and blue 0\): \d+ frames/)).toBeVisible();
    await expect(page.getByText(/ignored: [\d,]+ pixels per frame labelled Car/)).toBeVisible();
    await expect(page.getByRole('img', { name: /Hood mask/ })).toBeVisible();
    const chart = page.getByRole('figure', { name: 'Class pixel share per split' });
    await expect(chart).toBeVisible();
    // One bar per class and split (recharts draws each as a path); Road is in every split of both.
    await expect(chart.locator('.recharts-bar-rectangle path').first()).toBeVisible();
    expect(await chart.locator('.recharts-bar-rectangle path').count()).toBeGreaterThanOrEqual(10 * d.splits.length);
    for (const s of d.splits) await expect(chart.locator('.recharts-legend-item', { hasText: s })).toBeVisible();
    const classes = page.getByRole('table', { name: 'Labelled pixels per class and split' });
    await expect(classes.getByRole('row').filter({ hasText: 'Road line' })).toContainText('%');
  }
  expect(errors).toEqual([]);
});
