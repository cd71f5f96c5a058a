import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
const p = await b.newPage({ viewport: process.env.PHONE ? { width: 390, height: 844 } : { width: 1280, height: 900 } });
const errors = [];
p.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
p.on('pageerror', (e) => errors.push(String(e)));
for (const [name, url] of JSON.parse(process.argv[2])) {
  await p.goto('http://127.0.0.1:3000' + url, { waitUntil: 'load' });
  await p.waitForTimeout(1500);
  await p.screenshot({ path: `/tmp/shot-${name}.png`, fullPage: true });
}
console.log('errors:', errors);
await b.close();
