// The wall time of a sweep a learner starts: 20 points of 2e5 requests each (the
// target: drawn within 2 s on 2 cores), in headless Chromium on the shipped site, with the
// points in Web Workers. Figures, not a test.
//
//   node tests/bench/sweep-wall.mjs [--points 20] [--requests 200000]
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { serve, siteDir } from '../../scripts/serve.mjs';
import { launch } from '../browser/widget-browser.mjs';
import { root } from '../browser/test-site.mjs';

const args = process.argv.slice(2);
const opt = (n, d) => (args.includes(n) ? Number(args[args.indexOf(n) + 1]) : d);
const points = opt('--points', 20);
const requests = opt('--requests', 2e5);

mkdirSync(join(root, 'build/test-sites'), { recursive: true });
const dir = mkdtempSync(join(root, 'build/test-sites/bench-'));
cpSync(siteDir, dir, { recursive: true });
cpSync(join(root, 'tests/bench/fixtures'), join(dir, 'bench'), { recursive: true });
const { server, url } = await serve({ port: 0, root: dir });
const browser = await launch();
const page = await browser.context.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
const times = [];
for (let i = 0; i < 3; ++i) {
  await page.goto(`${url}bench/sweep.html?points=${points}&requests=${requests}`);
  const done = await (await page.waitForFunction(() => window.sweepDone, null, { timeout: 120000 })).jsonValue();
  if (!done.drawn || done.points !== points) errors.push(`run ${i}: ${JSON.stringify(done)}`);
  times.push(done.ms);
}
const best = Math.min(...times);
console.log(`sweep of ${points} points × ${requests} requests in Chromium (Web Workers, ${await page.evaluate(() => navigator.hardwareConcurrency)} cores):`);
console.log(`  wall time to drawn chart, best of 3: ${(best / 1000).toFixed(2)} s (target <= 2 s: ${best <= 2000 ? 'met' : 'NOT met'}); all: ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s`);
if (errors.length) console.log(`  problems: ${errors.join('; ')}`);
await browser.close();
server.closeAllConnections?.();
server.close();
rmSync(dir, { recursive: true, force: true });
