// SimClient (web/widget/sim-client.mjs) in Chromium: the player's simulation runs in the site's
// module worker (build/site/sim-worker.js) where the page's policy allows workers, in the page
// where it forbids them, and gives the same numbers either way.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { serve, DEFAULT_CSP } from '../../scripts/serve.mjs';
import { chromiumArgs, chromiumPath, requireCore } from './widget-browser.mjs';
import { siteWithFixtures } from './test-site.mjs';

let testSite;
let context;
let profile;
const servers = [];

before(async () => {
  requireCore();
  testSite = await siteWithFixtures();
  profile = mkdtempSync(join(tmpdir(), 'sl-sim-worker-'));
  context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath(), args: chromiumArgs, headless: true });
});
after(async () => {
  await context?.close().catch(() => {});
  for (const s of servers) { s.server.closeAllConnections?.(); s.server.close(); }
  if (profile) rmSync(profile, { recursive: true, force: true });
  testSite?.remove();
});

async function check(csp) {
  const site = await serve({ port: 0, host: '127.0.0.1', root: testSite.dir, csp });
  servers.push(site);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${site.url}test-fixtures/sim-client.html?scenario=sticky-crash`);
  await page.waitForFunction(() => window.simCheck, null, { timeout: 30000 });
  const out = await page.evaluate(() => window.simCheck);
  await page.close();
  return { out, errors };
}

test('SimClient runs the simulation in the site\'s module worker under the site\'s own policy, with the numbers the page gets', async () => {
  const { out, errors } = await check(DEFAULT_CSP);
  assert.equal(out.error, undefined);
  assert.equal(out.inWorker, true);
  assert.ok(out.a.numbers.requests.completed > 0);
  assert.deepEqual(out.a, out.b);
  assert.deepEqual(errors, []);
});

test('SimClient falls back to the page when the policy forbids workers, with the same numbers', async () => {
  const { out, errors } = await check(`${DEFAULT_CSP}; worker-src 'none'`);
  assert.equal(out.error, undefined);
  assert.equal(out.inWorker, false);
  assert.ok(out.a.numbers.requests.completed > 0);
  assert.deepEqual(out.a, out.b);
  assert.deepEqual(errors, []);
});
