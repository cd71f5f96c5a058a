import { expect, test } from '@playwright/test';
import { waitForLeaderboard, watchConsole } from '../helpers';

test('the leaderboard ranks by safety-weighted error too, and a run shows its worst flickering segments as frame strips that open the image viewer', async ({
  page,
}) => {
  const errors = watchConsole(page);
  await waitForLeaderboard(page);
  const rows = page.getByTestId('leaderboard-row');
  for (const cell of await rows.getByTestId('safety-error').allInnerTexts()) expect(cell).toMatch(/^\d+\.\d{3} \[\d+\.\d{3}, \d+\.\d{3}\]/);
  await page.getByRole('button', { name: /Safety-weighted error/ }).click();
  const errorsShown = (await rows.getByTestId('safety-error').allInnerTexts()).map((t) => Number(t.split(' ')[0]));
  expect([...errorsShown].sort((a, b) => a - b)).toEqual(errorsShown);

  await rows.first().getByRole('link', { name: 'calibration, flicker…' }).click();
  await expect(page).toHaveURL(/\/runs\/[^/]+\/quality$/);
  await expect(page.getByTestId('quality-safety')).toContainText(/\d\.\d{3} \[/);
  await expect(page.getByTestId('quality-flicker')).toContainText(/\d+\.\d \[\d+\.\d, \d+\.\d\] %/);
  // The first-start runs compute everything: calibration and boundary IoU are there, not "not computed".
  await expect(page.getByTestId('quality-ece')).toContainText(/\d+\.\d/);
  await expect(page.getByTestId('quality-boundary')).toContainText(/mean \d+\.\d/);
  await expect(page.getByText('not computed for this run')).toHaveCount(0);
  // Each worst segment is a strip of 4 consecutive frames, drawn from the run's masks.
  const strips = page.getByRole('list', { name: 'Worst flickering segments' }).getByRole('listitem');
  await expect(strips.first()).toBeVisible();
  const frames = strips.first().getByTestId('flicker-frame');
  await expect(frames).toHaveCount(4);
  for (const img of await frames.getByRole('img').all())
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(200);
  const key = (await frames.nth(1).innerText()).trim();
  await frames.nth(1).click();
  await expect(page).toHaveURL(/\/images\/[^/]+$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(key);
  expect(errors).toEqual([]);
});

test('an evaluation started from Runs computes calibration by default: its reliability diagram and mIoU-coverage curve, also as JSON and CSV', async ({
  page,
}) => {
  const errors = watchConsole(page);
  const shipped = await waitForLeaderboard(page);
  await page.goto('/runs');
  await page.getByLabel('Model').selectOption('all');
  await page.getByLabel('Dataset').selectOption({ label: 'carla-official' });
  const form = page.getByRole('region', { name: 'Start an evaluation' });
  await expect(form.getByRole('checkbox', { name: /Calibration/ })).toBeChecked();
  await expect(form.getByRole('checkbox', { name: 'Boundary IoU' })).toBeChecked();
  await page.getByRole('button', { name: 'Start evaluation' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Queued ${shipped.length} run(s)` })).toBeVisible();
  for (let i = 0; i < shipped.length; i++)
    await expect(page.getByTestId('eval-run').nth(i).getByTestId('status')).toHaveText('completed', { timeout: 180_000 });

  const { runs } = (await (await page.request.get('/api/runs')).json()) as { runs: { id: string; dataset: string; status: string }[] };
  const run = runs.find((r) => r.dataset === 'carla-official' && r.status === 'completed');
  expect(run).toBeDefined();
  const api = await page.request.get(`/api/runs/${run!.id}/quality`);
  expect(api.status()).toBe(200);
  const body = await api.json();
  expect(body.summary.calibration.available).toBe(true);
  expect(body.summary.calibration.ece.estimate).toBeGreaterThan(0);
  expect(body.summary.boundary.available).toBe(true);
  const csv = await (await page.request.get(`/api/runs/${run!.id}/quality?format=csv`)).text();
  expect(csv.split('\n')[0]).toContain('ece');
  expect(csv.trim().split('\n')).toHaveLength(14);

  await page.goto(`/runs/${run!.id}/quality`);
  await expect(page.getByTestId('quality-ece')).toContainText(/\d+\.\d/);
  await expect(page.getByTestId('reliability-diagram').locator('svg').first()).toBeVisible();
  await expect(page.getByTestId('coverage-curve').locator('svg').first()).toBeVisible();
  await expect(page.getByRole('table', { name: 'Small-object recall by size' })).toBeVisible();
  expect(errors).toEqual([]);
});
