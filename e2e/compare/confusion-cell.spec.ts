import { expect, test } from '@playwright/test';
import { waitForLeaderboard, watchConsole } from '../helpers';

test('a confusion cell opens the images where that confusion is largest, its pixels highlighted', async ({ page }) => {
  const errors = watchConsole(page);
  await waitForLeaderboard(page);
  await page.getByTestId('leaderboard-row').first().getByRole('link').first().click();
  await expect(page).toHaveURL(/\/models\/[^/?]+$/);
  // Sidewalk taken for road: a confusion every model on this drive makes.
  await page.getByRole('link', { name: 'Images where Sidewalk is predicted as Road', exact: true }).click();
  await expect(page).toHaveURL(/\/models\/[^/]+\/confusion\?run=[^&]+&truth=8&pred=7$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/truth Sidewalk → predicted Road$/);
  const images = page.getByTestId('confusion-image');
  expect(await images.count()).toBeGreaterThan(0);
  const pixels = (await images.allInnerTexts()).map((t) => Number(/· ([\d,]+) px/.exec(t)![1].replace(/,/g, '')));
  expect(pixels[0]).toBeGreaterThan(0);
  expect([...pixels].sort((x, y) => y - x)).toEqual(pixels);

  // The first image's overlay really has magenta pixels in it.
  const overlay = images.first().getByRole('img', { name: /Sidewalk predicted as Road highlighted/ });
  await overlay.scrollIntoViewIfNeeded();
  await expect.poll(() => overlay.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  const magenta = await overlay.evaluate((img: HTMLImageElement) => {
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] === 255 && d[i + 1] === 0 && d[i + 2] === 255 && d[i + 3] === 255) n++;
    return n;
  });
  expect(magenta).toBeGreaterThan(0);
  expect(errors).toEqual([]);
});
