import { expect, test, type Locator } from '@playwright/test';
import { watchConsole } from '../helpers';

/** Drawn pixels of one colour (alpha > 0) in a mask canvas, and all drawn pixels. */
function drawn(canvas: Locator, rgb: [number, number, number]) {
  return canvas.evaluate((c: HTMLCanvasElement, [r, g, b]) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let colour = 0;
    let any = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] === 0) continue;
      any++;
      if (d[i] === r && d[i + 1] === g && d[i + 2] === b) colour++;
    }
    return { colour, any };
  }, rgb);
}

const ROAD: [number, number, number] = [0x8b, 0x5c, 0xf6];

test('hiding a class in the playground removes it from the overlay, the URL keeps it hidden, hover names the class', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/playground');
  await page.getByRole('button', { name: 'Segment sample carla-official train_1' }).click();
  await expect(page).toHaveURL(/upload=/);
  const overlay = page.getByRole('article', { name: 'U-Net result' }).getByRole('img', { name: 'U-Net: overlay' });
  await expect(overlay).toHaveAttribute('data-ready', 'true');
  const before = await drawn(overlay, ROAD);
  expect(before.colour).toBeGreaterThan(0);

  await page.getByText('Classes shown').click();
  await page.getByLabel('Show Road', { exact: true }).uncheck();
  await expect(page).toHaveURL(/[?&]hide=7(&|$)/);
  await expect.poll(async () => (await drawn(overlay, ROAD)).colour).toBe(0);
  const after = await drawn(overlay, ROAD);
  expect(after.any).toBe(before.any - before.colour); // every other class is still drawn

  // Hover: every mask of the view names its class at the same point.
  await overlay.hover();
  const labels = page.getByTestId('hover-class');
  await expect(labels.first()).toBeVisible();
  expect(await labels.count()).toBeGreaterThanOrEqual(4); // truth + each model's mask and overlay
  for (const t of await labels.allInnerTexts())
    expect(t).toMatch(/^(Unlabeled|Building|Fence|Other|Pedestrian|Pole|Road line|Road|Sidewalk|Vegetation|Car|Wall|Traffic sign|ignored)$/);

  // The link alone brings the view back with Road hidden.
  await page.goto(page.url());
  await expect(overlay).toHaveAttribute('data-ready', 'true');
  await expect(page.getByLabel('Show Road', { exact: true })).not.toBeChecked();
  await expect.poll(async () => (await drawn(overlay, ROAD)).colour).toBe(0);
  expect(errors).toEqual([]);
});
