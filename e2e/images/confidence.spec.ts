import { expect, test } from '@playwright/test';
import { waitForLeaderboard, watchConsole } from '../helpers';

const share = (t: string) => Number(t.replace(/[^\d.]/g, ''));

test('the confidence layer abstains below the slider\u2019s threshold, keeps the threshold in the URL, and at 0 gives the image\u2019s own mIoU', async ({
  page,
}) => {
  const errors = watchConsole(page);
  const shipped = await waitForLeaderboard(page);
  await page.getByRole('link', { name: /^Open class Road: U-Net IoU \d/ }).click();
  await page
    .getByRole('link', { name: /^Image .* Road IoU/ })
    .first()
    .click();
  await expect(page).toHaveURL(/\/images\/[^/?]+$/);

  await page.getByLabel('Confidence (abstain below a threshold)').check();
  await expect(page).toHaveURL(/[?&]layer=confidence&t=0\.50/);
  const abstained = page.getByTestId('abstained-share');
  // One confidence map per model, each computed from that model's logits on this frame.
  await expect(abstained).toHaveCount(shipped.length);
  await expect(page.getByRole('img', { name: /: confidence$/ }).first()).toHaveAttribute('data-ready', 'true');
  const at50 = share(await abstained.first().innerText());

  const slider = page.getByLabel('Confidence threshold');
  await slider.fill('0.95');
  await expect(page.getByTestId('threshold-value')).toHaveText('0.95');
  await expect(page).toHaveURL(/[?&]t=0\.95/);
  await expect.poll(async () => share(await abstained.first().innerText())).toBeGreaterThan(at50);
  const at95 = await abstained.first().innerText();

  // The link reopens the same view: layer, threshold and numbers.
  await page.reload();
  await expect(page.getByLabel('Confidence threshold')).toHaveValue('0.95');
  await expect(abstained.first()).toHaveText(at95);

  // Threshold 0 keeps every pixel: the kept-pixel mIoU is the per-image mIoU the run stored.
  await page.getByLabel('Confidence threshold').fill('0');
  await expect(abstained.first()).toHaveText('0.0 %');
  const panel = page
    .getByTestId('viewer-panel')
    .filter({ has: page.getByTestId('abstained-share') })
    .first();
  const stored = /per-image mIoU (\d+\.\d)/.exec(await panel.locator('figcaption').innerText())![1];
  await expect(panel.getByTestId('kept-miou')).toHaveText(stored);
  expect(errors).toEqual([]);
});
