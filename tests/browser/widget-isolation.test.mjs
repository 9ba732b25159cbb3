// One widget whose core runs out of memory stops alone: it shows its own error, and another
// widget on the same page goes on playing. The browser's WebAssembly memory is capped
// (--wasm-max-mem-pages) so that an accepted scenario of a million users exhausts it.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';
import { chromiumArgs, chromiumPath, requireCore, root } from './widget-browser.mjs';

const servers = [];
let browser;
let dir;

before(async () => {
  requireCore();
  browser = await chromium.launch({ executablePath: chromiumPath(), headless: true,
                                    args: [...chromiumArgs, '--js-flags=--wasm-max-mem-pages=400'] });
  dir = mkdtempSync(join(root, 'build/isolation-'));
});

after(async () => {
  await browser?.close();
  for (const s of servers) { s.closeAllConnections?.(); s.close(); }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('<stateless-lab> out of core memory shows its own error while another widget on the page plays on', async () => {
  const site = await serve({ port: 0 });
  servers.push(site.server);
  const millionUsers = JSON.stringify({ duration_s: 1, traffic: { users: 1000000, rate_per_s: 10 } });
  writeFileSync(join(dir, 'two.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>two widgets</title>
    <link rel="icon" href="data:,"><script type="module" src="${site.url}stateless-lab.js"></script></head><body>
    <stateless-lab id="small" scenario="sticky-crash"></stateless-lab></body></html>`);
  const host = await serve({ port: 0, root: dir, csp: '', cors: false });
  servers.push(host.server);
  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${host.url}two.html`);
  // The small widget runs first; then a second widget exhausts its core.
  await page.waitForFunction(() => typeof document.getElementById('small').firstFrameAt === 'number', null, { timeout: 60000 });
  await page.evaluate((scenario) => {
    const el = document.createElement('stateless-lab');
    el.id = 'big';
    el.setAttribute('scenario', scenario);
    document.body.prepend(el);
  }, millionUsers);
  await page.waitForFunction(() => document.getElementById('big').error, null, { timeout: 60000 });
  const big = await page.evaluate(() => document.getElementById('big').error);
  assert.ok(big, 'the big widget failed');
  assert.match(big.message, /core stopped|memory/i, big.message);
  const shown = await page.evaluate(() => document.getElementById('big').shadowRoot.querySelector('[role="alert"]').textContent);
  assert.match(shown, /cannot start/);
  await page.evaluate(() => { const el = document.getElementById('small'); el.speed = 8; el.play(); });
  await page.waitForFunction(() => document.getElementById('small').state.time > 2, null, { timeout: 20000 });
  assert.equal(await page.evaluate(() => document.getElementById('small').error), null, 'the other widget still works');
  assert.deepEqual(pageErrors, []);
  await page.close();
});
