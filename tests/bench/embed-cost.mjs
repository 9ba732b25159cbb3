// What an author's page pays to show one widget: the requests to the simulator's host and
// their gzip bytes until the first drawn frame, in headless Chromium, plus the size of
// build/site/ and of the packed npm tarball. Figures, not a test.
//
//   node tests/bench/embed-cost.mjs [--script URL]   (default: build/site/stateless-lab.js,
//                                                     served by scripts/serve.mjs)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { serve, siteDir } from '../../scripts/serve.mjs';
import { launch } from '../browser/widget-browser.mjs';

const args = process.argv.slice(2);
const scriptArg = args.includes('--script') ? args[args.indexOf('--script') + 1] : null;
const servers = [];
const start = async (o) => { const s = await serve({ port: 0, ...o }); servers.push(s.server); return s.url; };

const lab = scriptArg ? null : await start({ root: siteDir });
const script = scriptArg ?? `${lab}stateless-lab.js`;
const labOrigin = new URL(script).origin;
const hostDir = mkdtempSync(join(tmpdir(), 'sl-embed-cost-'));
writeFileSync(join(hostDir, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>course</title><link rel="icon" href="data:,"><script type="module" src="${script}"></script></head>
<body><stateless-lab scenario="sticky-crash"><p>fallback</p></stateless-lab></body></html>`);
const host = await start({ root: hostDir, csp: '', cors: false });

const browser = await launch();
const page = await browser.context.newPage();
const responses = [];
page.on('response', (r) => { if (r.url().startsWith(labOrigin)) responses.push(r); });
const t0 = Date.now();
await page.goto(`${host}index.html`);
await page.waitForFunction(() => typeof document.querySelector('stateless-lab').firstFrameAt === 'number',
                           null, { timeout: 60000 });
const ms = Date.now() - t0;
// A worker's second look at a file the page already has is a revalidation (304): no body
// crosses the network, so it adds a request and no bytes.
let gz = 0;
let raw = 0;
let revalidated = 0;
for (const r of responses) {
  const sent = (await r.request().sizes().catch(() => null))?.responseBodySize ?? 1;
  if (sent === 0) { ++revalidated; continue; }
  const body = await r.body().catch(() => Buffer.alloc(0));
  raw += body.length;
  gz += gzipSync(body, { level: 9 }).length;
}
console.log(`page embedding one widget (${script}):`);
console.log(`  requests to the simulator's host until the first frame: ${responses.length} (${revalidated} of them revalidations, answered 304)`);
console.log(`  bytes: ${(raw / 1024).toFixed(0)} KiB raw, ${(gz / 1024).toFixed(0)} KiB gzip; first frame after ${ms} ms`);
await browser.close();
for (const s of servers) { s.closeAllConnections?.(); s.close(); }
rmSync(hostDir, { recursive: true, force: true });

if (!scriptArg) {
  const du = (dir) => readdirSync(dir, { withFileTypes: true }).reduce((n, e) =>
    n + (e.isDirectory() ? du(join(dir, e.name)) : statSync(join(dir, e.name)).size), 0);
  console.log(`build/site/: ${(du(siteDir) / 1024).toFixed(0)} KiB`);
  const packDir = mkdtempSync(join(tmpdir(), 'sl-pack-'));
  const out = JSON.parse(execFileSync('npm', ['pack', join(siteDir, '../..'), '--json', '--pack-destination', packDir],
                                      { cwd: packDir, stdio: ['ignore', 'pipe', 'ignore'] }))[0];
  console.log(`npm tarball: ${(out.size / 1024).toFixed(0)} KiB packed, ${(out.unpackedSize / 1024).toFixed(0)} KiB unpacked, ${out.entryCount} files`);
  rmSync(packDir, { recursive: true, force: true });
}
