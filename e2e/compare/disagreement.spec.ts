import { expect, test } from '@playwright/test';
import { waitForLeaderboard, watchConsole } from '../helpers';

test('a paired comparison opens the pixel disagreement, its worst image, and the wipe slider moves', async ({ page }) => {
  const errors = watchConsole(page);
  await waitForLeaderboard(page);
  await page.getByTestId('comparisons').getByRole('link', { name: 'pixel disagreement' }).first().click();
  await expect(page).toHaveURL(/\/compare\/disagreement\?a=[^&]+&b=[^&]+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^A: .+ vs B: .+$/);

  // B's worst image against A: the top of "where A does better" (A is the higher-ranked run; B's own
  // list may be empty: U-Net beat DeepLabV3+ on every one of the 80 val frames).
  const worst = page.getByTestId('a-better').getByRole('link').first();
  const key = (await worst.innerText()).trim();
  await worst.click();
  await expect(page).toHaveURL(/&image=[^&]+$/);
  await expect(page.getByRole('heading', { level: 2, name: `Image ${key}: who is right where` })).toBeVisible();

  // Four shares that add up to the whole compared image.
  const shares = await Promise.all(
    ['bothRight', 'onlyA', 'onlyB', 'bothWrong'].map(async (k) =>
      Number((await page.getByTestId(`share-${k}`).locator('strong').innerText()).replace('%', '')),
    ),
  );
  expect(Math.abs(shares.reduce((s, v) => s + v, 0) - 100)).toBeLessThan(0.3);
  expect(shares[1]).toBeGreaterThan(0); // A is right alone somewhere on the image where it wins most
  const map = page.getByRole('img', { name: 'Disagreement map' });
  await expect.poll(() => map.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);

  const a = page.getByTestId('wipe-a');
  const b = page.getByTestId('wipe-b');
  await expect(a).toHaveCSS('clip-path', 'inset(0px 50% 0px 0px)');
  await page.getByLabel('Wipe position (A ← → B)').fill('20');
  await expect(page.getByTestId('wipe-value')).toHaveText('20%');
  await expect(a).toHaveCSS('clip-path', 'inset(0px 80% 0px 0px)');
  await expect(b).toHaveCSS('clip-path', 'inset(0px 0px 0px 20%)');
  await expect(a).toHaveAttribute('data-ready', 'true');
  await expect(b).toHaveAttribute('data-ready', 'true');

  // Hovering names A's and B's class at the same pixel, whichever side of the line the cursor is on.
  const box = (await b.boundingBox())!;
  await b.hover({ position: { x: box.width * 0.6, y: box.height * 0.8 } });
  const CLASS = '(Unlabeled|Building|Fence|Other|Pedestrian|Pole|Road line|Road|Sidewalk|Vegetation|Car|Wall|Traffic sign)';
  await expect(page.getByTestId('hover-class')).toHaveText([new RegExp(`^A: ${CLASS}$`), new RegExp(`^B: ${CLASS}$`)]);

  // The URL alone brings the same view back.
  const url = page.url();
  await page.goto(url);
  await expect(page.getByRole('heading', { level: 2, name: `Image ${key}: who is right where` })).toBeVisible();
  expect(errors).toEqual([]);
});
