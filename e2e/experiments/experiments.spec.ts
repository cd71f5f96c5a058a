import { expect, test, type Page } from '@playwright/test';
import { waitForLeaderboard, watchConsole } from '../helpers';

/** Ticks the named runs in the Training runs table and submits the choice. */
async function choose(page: Page, names: string[]): Promise<void> {
  for (const n of names) await page.getByRole('checkbox', { name: `Choose ${n}`, exact: true }).check();
  await page.getByRole('button', { name: 'Compare chosen runs' }).click();
  await expect(page).toHaveURL(new RegExp(`/experiments\\?${names.map(() => 'run=[\\w-]+').join('&')}$`));
}

test('two imported sweep runs overlaid, their recipe diff and seed group; a reload keeps the choice', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Experiments' }).click();
  await expect(page).toHaveURL(/\/experiments$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Experiments');

  // The first start imported the sweeps' cards; r4 is the shipped U-Net's own weights, listed once, as its history.
  const runs = page.getByRole('table', { name: 'Training runs' });
  const s1 = runs.getByTestId('experiment-run').filter({ hasText: 's1-recipe' });
  await expect(s1).toContainText('bench-results/sweep-unet-6ep/s1-recipe/card.json');
  await expect(s1).toContainText('imported');
  await expect(runs.getByText('r4-unet-lovasz-40', { exact: true })).toHaveCount(0);
  await expect(runs.getByRole('checkbox', { name: 'Choose U-Net', exact: true })).toHaveCount(1);

  await choose(page, ['s1-recipe', 's3-nophoto']);
  const check = async () => {
    for (const n of ['s1-recipe', 's3-nophoto']) await expect(page.getByRole('checkbox', { name: `Choose ${n}`, exact: true })).toBeChecked();
    const miou = page.getByRole('figure', { name: 'Selection mIoU per epoch' });
    await expect(miou.locator('.recharts-line')).toHaveCount(2);
    await expect(miou.locator('.recharts-legend-item')).toHaveText(['s1-recipe', 's3-nophoto']);
    await expect(page.getByRole('figure', { name: 'Loss per epoch' }).locator('.recharts-legend-item')).toHaveCount(4);
    // The two cards differ in photometric variation only.
    const diff = page.getByRole('table', { name: 'Recipe diff' });
    await expect(diff.getByTestId('recipe-diff-row')).toHaveCount(1);
    await expect(diff.getByTestId('recipe-diff-row')).toHaveText(/^Photometric\s*on\s*off$/);
    await expect(page.getByTestId('experiment-paired').first()).toContainText('not compared: s1-recipe has no checkpoint here');
  };
  await check();
  const seeds = page.getByRole('table', { name: 'Seed groups' });
  await expect(seeds.getByTestId('seed-group').filter({ hasText: 's1-recipe (42)' })).toContainText('s2-seed7 (7)');
  await expect(seeds.getByTestId('seed-group').filter({ hasText: 's1-recipe (42)' }).getByTestId('seed-group-selection')).toHaveText(
    /^\d+\.\d ± \d+\.\d \(\d+\.\d–\d+\.\d, n = 2\)$/,
  );

  // The class picker writes its class into the URL too.
  await page.getByLabel('Class').selectOption({ label: 'Road' });
  await expect(page).toHaveURL(/&class=Road$/);
  await expect(page.getByRole('figure', { name: 'Road IoU per epoch' }).locator('.recharts-line')).toHaveCount(2);

  await page.reload();
  await check();
  await expect(page.getByRole('figure', { name: 'Road IoU per epoch' })).toBeVisible();
  expect(errors).toEqual([]);
});

test("the paired comparison of two evaluated checkpoints is the Compare page's", async ({ page }) => {
  test.setTimeout(420_000);
  const errors = watchConsole(page);
  await waitForLeaderboard(page);
  await page.goto('/experiments');
  await choose(page, ['U-Net', 'SegNet']);
  const paired = page.getByTestId('experiment-paired').filter({ hasText: 'carla-drive val' });
  await expect(paired).toContainText('paired difference');
  const sentence = (await paired.innerText()).match(/mIoU .* shared images/)![0];
  await paired.getByRole('link', { name: 'on the Compare page' }).click();
  await expect(page).toHaveURL(/\/compare\?a=\w+&b=\w+$/);
  await expect(page.getByText(sentence)).toBeVisible();
  expect(errors).toEqual([]);
});
