import { expect, test } from '@playwright/test';
import { waitForLeaderboard, watchConsole } from '../helpers';

test('run robustness of every model on the official frames, see curves per model and a corrupted frame beside each mask', async ({ page }) => {
  test.setTimeout(420_000);
  const errors = watchConsole(page);
  const shipped = await waitForLeaderboard(page); // the first-start runs are done, so the worker is free for these
  await page.goto('/robustness?dataset=carla-official&split=test');
  await expect(page.getByRole('heading', { name: 'Robustness', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: /Run robustness of every model/ }).click();
  await expect(page.getByRole('status').filter({ hasText: `Queued ${shipped.length} run(s)` })).toBeVisible();

  // The page refreshes itself while runs are in progress; the summary appears with every model once they finish.
  const summary = page.getByRole('table', { name: 'Robustness summary' });
  await expect(async () => {
    await page.goto('/robustness?dataset=carla-official&split=test');
    await expect(summary.getByRole('row')).toHaveCount(1 + shipped.length, { timeout: 2000 });
  }).toPass({ timeout: 360_000, intervals: [5000] });
  for (const name of shipped) await expect(summary.getByRole('rowheader').getByRole('link', { name, exact: true })).toHaveCount(1);
  await expect(summary).toContainText('8 corruptions × 5 severities · 4 frames');
  // mPC is a number with its interval, not a dash; rPC a ratio with its interval.
  await expect(summary.getByRole('row').nth(1).getByRole('cell').nth(1)).toHaveText(/^\d+\.\d \[\d+\.\d, \d+\.\d\]$/);
  await expect(summary.getByRole('row').nth(1).getByRole('cell').nth(2)).toHaveText(/^[01]\.\d{3} \[[01]\.\d{3}, [01]\.\d{3}\]$/);
  await expect(page.getByRole('figure', { name: /: mIoU by severity$/ })).toHaveCount(8);
  await expect(page.getByRole('figure', { name: 'Fog / haze: mIoU by severity' }).locator('.recharts-line')).toHaveCount(shipped.length);

  // The viewer: pick a corruption and severity; the frame and each model's mask load.
  await page.getByLabel(/^Corruption/).selectOption({ label: 'Rain + wet road' });
  await page.getByLabel(/^Severity/).selectOption('4');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/corruption=rain&severity=4/);
  const pictures = page.getByRole('region', { name: 'A corrupted frame and each model’s mask' }).getByRole('img');
  await expect(pictures).toHaveCount(1 + shipped.length);
  for (const img of await pictures.all()) {
    await expect(img).toHaveJSProperty('complete', true);
    expect(await img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBe(480);
  }
  await expect(page.getByText(/per-image mIoU in the run \d+\.\d/)).toHaveCount(shipped.length);

  // The same results through the API, as CSV too.
  const runHref = await summary.getByRole('link', { name: 'JSON' }).first().getAttribute('href');
  const json = await (await page.request.get(runHref!)).json();
  expect(json.results.corruptions).toHaveLength(8);
  expect(json.results.rpc.estimate).toBeGreaterThan(0);
  const csv = await (await page.request.get(`${runHref}?format=csv`)).text();
  expect(csv.split('\n')[0]).toBe('runId,model,dataset,split,metric,corruption,severity,classId,className,estimate,low,high');
  expect((await page.request.get('/api/robustness/frame?image=x&corruption=snow&severity=1')).status()).toBe(400);
  expect(errors).toEqual([]);
});
