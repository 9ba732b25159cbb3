// The README's embedding snippets, exactly as printed, on a page of another origin: the site is
// build/site/ served by a plain static server under a deep sub-path, and the only edits are
// the README's placeholder origins replaced by the test's two servers.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { root, StaticHosts } from './test-site.mjs';
import { launch, watchErrors } from './widget-browser.mjs';

const SUBPATH = 'courses/net/lab/';
const README_SITE = 'https://lab.example.org/stateless-lab/';
const README_LAB_ORIGIN = 'https://lab.example.org';
const README_HOST_ORIGIN = 'https://course.example.org';

/// The ```html blocks of the README's "Embedding the simulator" section.
export function embeddingSnippets(readme = readFileSync(join(root, 'README.md'), 'utf8')) {
  const section = readme.split(/\n## /).find((s) => s.startsWith('Embedding the simulator'));
  assert.ok(section, 'the README has an "Embedding the simulator" section');
  const blocks = [...section.matchAll(/```html\n([\s\S]*?)```/g)].map((m) => m[1]);
  return {
    element: blocks.find((b) => b.includes('<stateless-lab')),
    iframe: blocks.find((b) => b.includes('<iframe')),
    csp: /`(script-src 'self' https:\/\/lab\.example\.org[^`]*)`/.exec(section)?.[1],
  };
}

const hosts = new StaticHosts();
let browser;
let labBase;
let hostDir;
const start = (options) => hosts.serve(options);

before(async () => {
  labBase = await hosts.siteUnder(SUBPATH);
  hostDir = hosts.folder('readme-host');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  hosts.close();
});

function fill(snippet, hostOrigin) {
  const labOrigin = new URL(labBase).origin;
  return snippet.replaceAll(README_SITE, labBase).replaceAll(README_LAB_ORIGIN, labOrigin)
    .replaceAll(README_HOST_ORIGIN, hostOrigin);
}

const page = (body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A course page</title>
<link rel="icon" href="data:,"></head><body><h1>A course page on another site</h1>
${body}</body></html>`;

test('README element snippet works as printed from another origin under the CSP the README gives, with its simulation in a worker', async () => {
  const { element, csp } = embeddingSnippets();
  assert.ok(element && csp, 'the README prints the element snippet and the host CSP');
  // The host page is served with the README's policy and nothing else allowed.
  const hostUrl = `${await start({ root: hostDir, csp: `default-src 'none'; img-src data:; ${fill(csp, '')}`, cors: false })}element.html`;
  writeFileSync(join(hostDir, 'element.html'), page(fill(element, new URL(hostUrl).origin)));
  assert.notEqual(new URL(hostUrl).origin, new URL(labBase).origin);
  const tab = await browser.context.newPage();
  const errors = watchErrors(tab);
  const requests = [];
  tab.on('request', (r) => requests.push(r.url()));
  await tab.goto(hostUrl);
  await tab.waitForFunction(() => {
    const el = document.querySelector('stateless-lab');
    return el && (typeof el.firstFrameAt === 'number' || el.error);
  }, null, { timeout: 30000 });
  const state = await tab.evaluate(() => {
    const el = document.querySelector('stateless-lab');
    return { error: el.error, canvas: !!el.shadowRoot.querySelector('canvas'), scenario: el.state.scenario };
  });
  assert.equal(state.error, null);
  assert.ok(state.canvas, 'the diagram is drawn');
  assert.equal(state.scenario, 'sticky-crash');
  const fromLab = requests.filter((r) => r.startsWith(labBase));
  assert.deepEqual([...new Set(fromLab.map((r) => r.slice(labBase.length)))].sort(),
                   ['sim-worker.js', 'stateless-lab-core.wasm', 'stateless-lab.js'], 'the module, its worker and the core, nothing else');
  // The simulation runs off the page's main thread, in a worker the page started from a blob.
  assert.ok(tab.workers().some((w) => w.url().startsWith('blob:')), `workers: ${tab.workers().map((w) => w.url())}`);
  // So does a sweep the host page asks the module for.
  const swept = await tab.evaluate(async (url) => {
    const { sweep } = await import(url);
    const points = await sweep({ duration_s: 5, traffic: { rate_per_s: 50 } }, { path: 'servers.count', values: [1, 2] }, { workers: 2 });
    return points.map((p) => [p.value, p.results.requests.completed > 0]);
  }, `${labBase}stateless-lab.js`);
  assert.deepEqual(swept, [[1, true], [2, true]]);
  assert.deepEqual(errors, []);
  await tab.close();
});

test('README element snippet from another origin under the CSP the README gives, less its worker-src, runs its simulation in the page', async () => {
  const { element, csp } = embeddingSnippets();
  const strict = fill(csp, '').replace(/;\s*worker-src[^;]*/, '');
  assert.doesNotMatch(strict, /worker-src/);
  const hostUrl = `${await start({ root: hostDir, csp: `default-src 'none'; img-src data:; ${strict}`, cors: false })}element-no-workers.html`;
  writeFileSync(join(hostDir, 'element-no-workers.html'), page(fill(element, new URL(hostUrl).origin)));
  const tab = await browser.context.newPage();
  // The browser says it refused the worker; nothing else may go wrong.
  const errors = watchErrors(tab, { ignore: [/violates the following Content Security Policy directive/] });
  await tab.goto(hostUrl);
  await tab.waitForFunction(() => typeof document.querySelector('stateless-lab')?.firstFrameAt === 'number', null, { timeout: 30000 });
  await tab.locator('stateless-lab').evaluate((el) => el.runToEnd());
  const state = await tab.evaluate(() => {
    const el = document.querySelector('stateless-lab');
    return { error: el.error, time: el.state.time };
  });
  assert.equal(state.error, null);
  assert.equal(tab.workers().length, 0, 'no worker started');
  assert.ok(state.time > 0, `it ran (to ${state.time} s)`);
  assert.deepEqual(errors, []);
  await tab.close();
});

test('README iframe snippet works as printed: it waits for ready, checks the origin, kills server 1 and resizes the frame', async () => {
  const { iframe } = embeddingSnippets();
  assert.ok(iframe, 'the README prints the iframe snippet');
  assert.match(iframe, /event\.origin/, 'the snippet checks event.origin');
  const url = `${await start({ root: hostDir, csp: '', cors: false })}frame.html`;
  const hostOrigin = new URL(url).origin;
  // A recorder the snippet does not know about, to see what the frame says.
  const recorder = `<script>window.seen = []; addEventListener('message', (e) => window.seen.push({ origin: e.origin, data: e.data }));</script>`;
  writeFileSync(join(hostDir, 'frame.html'), page(recorder + fill(iframe, hostOrigin)));
  const tab = await browser.context.newPage();
  const errors = watchErrors(tab);
  await tab.goto(url);
  const labOrigin = new URL(labBase).origin;
  await tab.waitForFunction(() => window.seen.some((m) => m.data?.type === 'action'), null, { timeout: 30000 });
  const seen = await tab.evaluate(() => window.seen);
  const types = seen.map((m) => m.data.type);
  assert.ok(types.indexOf('ready') >= 0 && types.indexOf('ready') < types.indexOf('action'), `ready comes first: ${types}`);
  assert.ok(seen.every((m) => m.origin === labOrigin));
  const action = seen.find((m) => m.data.type === 'action').data;
  assert.equal(action.ok, true);
  assert.equal(action.action.do, 'kill_server');
  assert.equal(action.action.server, 1);
  const frame = tab.frame({ url: /embed\.html/ });
  const alive = await frame.evaluate(() => document.getElementById('lab').state.actions.map((a) => a.do));
  assert.deepEqual(alive, ['kill_server']);
  const height = await tab.evaluate(() => Number(document.getElementById('lab').height));
  const reported = seen.filter((m) => m.data.type === 'resize').at(-1).data.height;
  assert.equal(height, reported, 'the snippet sized the frame to the reported height');
  assert.deepEqual(errors, []);
  await tab.close();
});
