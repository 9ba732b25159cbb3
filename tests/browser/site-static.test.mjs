// The shipped site as a host serves it: build/site/ under a deep sub-path of a plain static
// server (no URL mappings, no node_modules), every page visited, with the server's strict CSP.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { root, StaticHosts } from './test-site.mjs';
import { launch, watchErrors } from './widget-browser.mjs';

const SUBPATH = 'courses/net/lab/';
const index = JSON.parse(readFileSync(join(root, 'lessons/index.json'), 'utf8'));
const hosts = new StaticHosts();
let base;
let browser;
const start = (options) => hosts.serve(options);

before(async () => {
  base = await hosts.siteUnder(SUBPATH);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  hosts.close();
});

/// Every <stateless-lab> on the page has drawn its first frame (or failed: returned).
async function widgetsDrawn(page) {
  // Lesson experiments mount after the text: wait until each holds its widget, sweep or note.
  await page.waitForFunction(() => [...document.querySelectorAll('.experiment')]
    .every((x) => x.querySelector('stateless-lab, .sweep, .experiment-note, .experiment-error')), null, { timeout: 60000 });
  await page.waitForFunction(() => [...document.querySelectorAll('stateless-lab')]
    .every((el) => typeof el.firstFrameAt === 'number' || el.error), null, { timeout: 60000 });
  return page.evaluate(() => [...document.querySelectorAll('stateless-lab')]
    .map((el) => ({ error: el.error, drawn: !!el.shadowRoot?.querySelector('canvas') })));
}

test('build/site under a sub-path: the index lists every lesson with no console error', async () => {
  const page = await browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(base);
  // The static list (links to the prerendered pages) is replaced once the script has run.
  await page.locator('#lessons a.lesson-link').first().waitFor();
  const links = await page.locator('#lessons a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const l of index.lessons) assert.ok(links.some((h) => h.includes(`lesson=${l.slug}`)), `index links ${l.slug}`);
  assert.ok(links.every((h) => !h.startsWith('/')), 'links are relative');
  assert.deepEqual(errors, []);
  await page.close();
});

test('build/site under a sub-path: every lesson shows its text and its widgets draw', async () => {
  for (const lesson of index.lessons) {
    const page = await browser.context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${base}lesson.html?lesson=${lesson.slug}`);
    await page.waitForFunction(() => !document.querySelector('#lesson')?.hasAttribute('aria-busy'), null, { timeout: 30000 });
    const text = await page.locator('#lesson').innerText();
    const md = readFileSync(join(root, 'lessons', lesson.slug, 'lesson.md'), 'utf8');
    const firstParagraph = md.split('\n\n').find((p) => /^[A-Z]/.test(p.trim()))?.trim().split(/[*_`[]/)[0].slice(0, 40);
    assert.ok(text.includes(firstParagraph), `${lesson.slug} shows "${firstParagraph}"`);
    const widgets = await widgetsDrawn(page);
    assert.ok(widgets.length > 0, `${lesson.slug} has experiments`);
    for (const w of widgets) {
      assert.equal(w.error, null, `${lesson.slug}: ${JSON.stringify(w.error)}`);
      assert.ok(w.drawn, `${lesson.slug}: a widget drew its diagram`);
    }
    assert.deepEqual(errors, [], lesson.slug);
    await page.close();
  }
});

test('build/site under a sub-path: glossary, playground and embed pages load and draw', async () => {
  const paths = [...index.glossary.map((g) => `lesson.html?glossary=${g.slug}`),
                 'playground.html?scenario=sticky-crash', 'embed.html?scenario=stream-window-no-checkpoint'];
  for (const path of paths) {
    const page = await browser.context.newPage();
    const errors = watchErrors(page);
    await page.goto(base + path);
    if (path.startsWith('lesson')) {
      await page.waitForFunction(() => !document.querySelector('#lesson')?.hasAttribute('aria-busy'));
      assert.ok((await page.locator('#lesson h1').innerText()).length > 2, path);
    } else {
      const widgets = await widgetsDrawn(page);
      assert.equal(widgets.length, 1);
      assert.equal(widgets[0].error, null, path);
    }
    assert.deepEqual(errors, [], path);
    await page.close();
  }
});

test('An embedded lesson reports its height when it shrinks as well as when it grows', async () => {
  const hostDir = hosts.folder('static-frame');
  const host = await start({ root: hostDir, csp: '', cors: false });
  const frameUrl = `${base}lesson.html?lesson=stateless&embed=1&origin=${encodeURIComponent(new URL(host).origin)}`;
  writeFileSync(join(hostDir, 'host.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title>
    <link rel="icon" href="data:,"></head><body style="margin:0">
    <iframe id="f" title="lesson" style="width:100%;border:0" height="300" src="${frameUrl}"></iframe>
    <script>window.heights = []; addEventListener('message', (e) => {
      if (e.data && e.data.type === 'resize') { window.heights.push(e.data.height); document.getElementById('f').height = e.data.height; }
    });</script></body></html>`);
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${host}host.html`);
  const settled = async () => {
    // Settled: no new resize message for a while.
    let n = -1;
    for (let i = 0; i < 40; ++i) {
      const now = await page.evaluate(() => window.heights.length);
      if (now === n && now > 0) break;
      n = now;
      await page.waitForTimeout(500);
    }
    return page.evaluate(() => window.heights.at(-1));
  };
  await page.frameLocator('#f').locator('.quiz-question').first().waitFor({ timeout: 60000 });
  // Each widget builds once its simulation worker has started: measure once all have drawn.
  const lesson = page.frames().find((f) => f.url().includes('lesson.html'));
  await lesson.waitForFunction(() => [...document.querySelectorAll('stateless-lab')]
    .every((el) => typeof el.firstFrameAt === 'number' || el.error), null, { timeout: 60000 });
  const wide = await settled();
  await page.setViewportSize({ width: 400, height: 800 });
  const narrow = await settled();
  await page.setViewportSize({ width: 1280, height: 800 });
  const wideAgain = await settled();
  assert.ok(narrow > wide * 1.2, `narrow frame is taller (${wide} -> ${narrow})`);
  assert.ok(wideAgain < narrow, `the frame shrinks again (${narrow} -> ${wideAgain})`);
  assert.ok(Math.abs(wideAgain - wide) < wide * 0.05, `back to about its wide height (${wide} vs ${wideAgain})`);
  await page.close();
});

test('A lesson page ignores a malformed URL hash and still shows the lesson', async () => {
  const page = await browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${base}lesson.html?lesson=stateless#%E0%A4%A`);
  await page.waitForFunction(() => !document.querySelector('#lesson')?.hasAttribute('aria-busy'), null, { timeout: 30000 });
  const title = await page.locator('#lesson h1').innerText();
  assert.doesNotMatch(title, /not found/i);
  assert.equal(await page.locator('#lesson').getAttribute('class'), 'lesson');
  assert.deepEqual(errors, []);
  await page.close();
});
