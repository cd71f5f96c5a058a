import { expect, test, type Locator } from '@playwright/test';
import { waitForLeaderboard, watchConsole } from '../helpers';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/**
 * A point's label for the row named `name`: "Open NAME", then the chart's kind suffix when it has one
 * (" (int8)", " (flip-averaged)", one word each), then ": …". A name that itself ends in parentheses
 * ("U-Net · MobileNetV2 (random init)") is another row, not this one with a suffix.
 */
const pointLabel = (name: string, rest: string) => new RegExp(`^Open ${escape(name)}(?: \\([a-z0-9-]+(?:, flip-averaged)?\\))?: ${rest}`);

/** A point's cost as its label states it ("…, 12.3 ms per image"). */
async function latencyOf(point: Locator): Promise<number> {
  const m = /, ([\d.]+) ms per image/.exec((await point.getAttribute('aria-label')) ?? '');
  if (!m) throw new Error('point label without a latency');
  return Number(m[1]);
}

test('the cost–accuracy chart draws one point per costed row and the Pareto front; hover names a point, click opens its model', async ({ page }, testInfo) => {
  const errors = watchConsole(page);
  await waitForLeaderboard(page);
  const rows = page.getByTestId('leaderboard-row');
  const total = await rows.count();
  const latencies = await rows.getByTestId('latency').allInnerTexts();
  const mious = await rows.getByTestId('miou').allInnerTexts();
  const costed = latencies.filter((t, i) => t !== '—' && mious[i] !== '—').length;
  expect(costed).toBeGreaterThan(0);

  const chart = page.getByTestId('cost-accuracy-chart');
  await chart.scrollIntoViewIfNeeded();
  const points = chart.getByTestId('pareto-point');
  await expect(points).toHaveCount(costed);
  await expect(chart.getByTestId('pareto-left-out')).toHaveText(
    costed === total ? `All ${total} rows drawn.` : new RegExp(`^${costed} of ${total} rows drawn`),
  );

  // The front: drawn through its points, and it holds the best-ranked row and a cheapest one (neither can be beaten on both).
  const onFront = chart.locator('[data-testid="pareto-point"][data-on-front="true"]');
  const frontSize = await onFront.count();
  expect(frontSize).toBeGreaterThan(0);
  await expect(chart.getByTestId('pareto-front')).toHaveAttribute('data-points', String(frontSize));
  if (frontSize > 1) await expect(chart.getByTestId('pareto-front').locator('path')).toBeVisible();
  const best = (await rows.first().getByRole('link').first().innerText()).trim();
  await expect(chart.getByRole('link', { name: pointLabel(best, '.*on the Pareto front$') })).toHaveCount(1);
  const costs = await Promise.all((await points.all()).map(latencyOf));
  const cheapest = Math.min(...costs);
  const cheapestOnFront = await Promise.all(
    (await points.all()).map(async (p, i) => costs[i] === cheapest && (await p.getAttribute('data-on-front')) === 'true'),
  );
  expect(cheapestOnFront).toContain(true);
  await expect(chart.getByTestId('pareto-front-names')).toContainText(best);
  await chart.screenshot({ path: testInfo.outputPath('cost-accuracy-chart.png') });

  // Model size: parameters are known for every row; file size only for imports and variants, and the chart says so.
  await chart.getByRole('button', { name: 'Parameters' }).click();
  await expect(points).toHaveCount(mious.filter((t) => t !== '—').length);
  await chart.screenshot({ path: testInfo.outputPath('cost-accuracy-chart-parameters.png') });
  await chart.getByRole('button', { name: 'File size' }).click();
  const withFile = (await rows.getByTestId('model-source').allInnerTexts()).filter((t) => / MB$/.test(t)).length;
  await expect(points).toHaveCount(withFile);
  if (withFile < total)
    await expect(chart.getByTestId('pareto-left-out')).toContainText(
      `${total - withFile} ${total - withFile === 1 ? 'row' : 'rows'} with no file size (recorded for imported ONNX models`,
    );
  await chart.getByRole('button', { name: 'Latency' }).click();
  await expect(points).toHaveCount(costed);

  // Hover names the model; click goes where the table row's link goes.
  const point = chart.getByRole('link', { name: pointLabel(best, '') });
  await point.hover();
  await expect(page.getByRole('tooltip')).toContainText(best);
  await expect(page.getByRole('tooltip')).toContainText('ms per image');
  await chart.screenshot({ path: testInfo.outputPath('cost-accuracy-chart-hover.png') });
  const href = await rows.first().getByRole('link').first().getAttribute('href');
  expect(href).toMatch(/^\/models\/\w+$/);
  await point.click();
  await expect(page).toHaveURL(new RegExp(`${escape(href as string)}$`));
  expect(errors).toEqual([]);
});
