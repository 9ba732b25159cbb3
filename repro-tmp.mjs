import { chromium } from 'playwright-core';
import { serve } from './scripts/serve.mjs';
const { server, url } = await serve({ port: 0, host: '127.0.0.1' });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'], headless: true });
let fails = 0;
for (let i = 0; i < Number(process.argv[2] || 10); ++i) {
  const context = await browser.newContext({ viewport: { width: 360, height: 900 }, colorScheme: 'dark', deviceScaleFactor: 2 });
  const page = await context.newPage();
  const logs = [];
  page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`pageerror: ${e}`));
  await page.goto(`${url}embed.html?scenario=token-revocation&compare=shared_store&t=20&speed=2`);
  await page.waitForFunction(() => { const el = document.querySelector('stateless-lab'); return el && (typeof el.firstFrameAt === 'number' || el.error); });
  const t0 = Date.now();
  await page.evaluate(() => document.querySelector('stateless-lab').play());
  try {
    await page.waitForFunction(() => document.querySelector('stateless-lab').state.time > 21, null, { timeout: 20000 });
  } catch {
    ++fails;
    const st = await page.evaluate(() => { const el = document.querySelector('stateless-lab'); return { time: el.state.time, playing: el.playing, error: el.error, errors: el.errors }; });
    console.log('STUCK', i, JSON.stringify(st), logs);
  }
  console.log(i, 'ms', Date.now() - t0);
  await context.close();
}
console.log('fails', fails);
await browser.close(); server.close();
