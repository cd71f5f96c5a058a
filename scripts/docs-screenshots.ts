import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';

/**
 * `npm run docs:screenshots`: the README's pictures, taken from a running product
 * (`npm start` first). DOCS_URL (default http://127.0.0.1:3000) and, for a product served
 * with PIXELDRIVE_TOKEN, that token. Writes docs/images/leaderboard.png and playground.png.
 */
const base = process.env.DOCS_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
const token = process.env.PIXELDRIVE_TOKEN;
const out = path.resolve('docs/images');
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, extraHTTPHeaders: token ? { authorization: `Bearer ${token}` } : {} });
  await page.goto(`${base}/`);
  await page.getByRole('table', { name: 'Architecture leaderboard' }).waitFor();
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: path.join(out, 'leaderboard.png') });

  // A sample frame with ground truth: each shipped model's mask beside the input.
  await page.goto(`${base}/playground`);
  await page
    .getByRole('button', { name: /^Segment sample/ })
    .first()
    .click();
  await page.waitForURL(/[?&]upload=/);
  const results = page.getByRole('heading', { name: /^Results for/ });
  await page.getByLabel('Overlay opacity').waitFor();
  await results.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: path.join(out, 'playground.png') });
  console.log(`wrote ${path.relative(process.cwd(), out)}/leaderboard.png and playground.png from ${base}`);
} finally {
  await browser.close();
}
