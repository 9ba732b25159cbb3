// The WebAssembly module and its JS API in Debian's Chromium (playwright-core): in a page
// served with a strict Content-Security-Policy, in a module worker, and loaded from another
// origin. The pages are tests/browser/fixtures/lab.html + lab-check.mjs, served beside a copy
// of the shipped site; the module under test is the site's stateless-lab.js.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { chromium } from 'playwright-core';

import { serve } from '../../scripts/serve.mjs';
import { siteWithFixtures } from './test-site.mjs';

const STRICT = "script-src 'self' 'wasm-unsafe-eval'";
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
               '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let context;
let profile;
let testSite;
const servers = [];

async function start(options) {
  const s = await serve({ port: 0, root: testSite.dir, ...options });
  servers.push(s.server);
  return s.url;
}

before(async () => {
  testSite = await siteWithFixtures();
  profile = mkdtempSync(join(tmpdir(), 'sl-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.SL_CHROMIUM || '/usr/bin/chromium', headless: true, args: FLAGS,
  });
});

after(async () => {
  await context?.close();
  for (const s of servers) s.close();
  testSite?.remove();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** Opens the check page and returns what it reported, with every URL the page requested. */
async function runCheck(pageUrl) {
  const page = await context.newPage();
  const requests = [];
  const problems = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  try {
    await page.goto(pageUrl);
    const handle = await page.waitForFunction(() => window.labCheck, null, { timeout: 30000 });
    const report = await handle.jsonValue();
    return { report, requests, problems };
  } finally {
    await page.close();
  }
}

/** What every check must show: the lab ran the scenario, its actions and its errors. */
function assertLabRan({ report, problems }) {
  assert.equal(report.ok, true, `${report.error} ${problems.join('; ')}`);
  assert.deepEqual(report.violations, []);
  assert.ok(report.names.includes('sticky-crash'));
  assert.ok(report.arrivals > 100, `the trace shows arrivals (${report.arrivals})`);
  assert.deepEqual(report.killed, { ok: true });
  assert.equal(report.alive[0], false);
  assert.equal(report.now, 1);
  assert.ok(report.arrived > 0);
  assert.match(report.error, /^\$\.servers\.count: /);
  assert.ok(report.worker.arrived > 0, `the module worker ran: ${report.worker.error}`);
  assert.equal(report.evalBlocked, true, 'the page really is under a policy without unsafe-eval');
}

test('The module runs in a page and a worker served with script-src \'self\' \'wasm-unsafe-eval\'', async () => {
  const site = await start({ csp: STRICT });
  const result = await runCheck(`${site}test-fixtures/lab.html?lab=/stateless-lab.js`);
  assertLabRan(result);
});

test('The module runs when the page loads it from another origin', async () => {
  const lib = await start();
  const libOrigin = new URL(lib).origin;
  const site = await start({ csp: `script-src 'self' ${libOrigin} 'wasm-unsafe-eval'` });
  assert.notEqual(new URL(site).origin, libOrigin);
  const result = await runCheck(`${site}test-fixtures/lab.html?lab=${encodeURIComponent(`${lib}stateless-lab.js`)}`);
  assertLabRan(result);
  assert.ok(result.requests.includes(`${lib}stateless-lab-core.wasm`),
            'the .wasm came from the other origin');
});
