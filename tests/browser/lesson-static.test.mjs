// Lessons without JavaScript: every lesson and glossary entry has a page rendered at build time
// (lesson-<slug>.html, glossary-<term>.html) whose text and SVG figures show with scripts disabled, and the
// front page links to them. With JavaScript the same page becomes the full lesson: experiments,
// quiz and all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, watchErrors, waitReady, requireCore, root } from './widget-browser.mjs';

const index = JSON.parse(readFileSync(join(root, 'lessons/index.json'), 'utf8'));
const env = {};

before(async () => {
  requireCore();
  env.site = await startServer();
  env.noScript = await launch({ javaScriptEnabled: false });
  env.script = await launch();
});
after(async () => {
  await env.noScript?.close();
  await env.script?.close();
  await env.site?.close();
});

/// The first figure of the page: scrolled into view, loaded, with its box and natural size.
async function firstFigure(page) {
  const img = page.locator('#lesson img.lesson-figure').first();
  await img.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => {
    const i = document.querySelector('#lesson img.lesson-figure');
    return i && i.complete;
  }, null, { timeout: 10000 });
  const box = await img.boundingBox();
  const info = await img.evaluate((i) => ({ src: i.getAttribute('src'), alt: i.alt, natural: i.naturalWidth }));
  return { box, ...info };
}

for (const lesson of index.lessons) {
  test(`Static page of lesson ${lesson.slug} shows its text and its figure with JavaScript disabled`, async () => {
    const page = await env.noScript.context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${env.site.url}lesson-${lesson.slug}.html`);
    const h1 = (await page.locator('#lesson h1').first().innerText()).trim();
    assert.ok(h1.length > 3, 'the lesson has its heading');
    assert.match(await page.title(), /Stateless Lab$/);
    const words = (await page.locator('#lesson').innerText()).split(/\s+/).length;
    assert.ok(words > 800, `the whole text is there (${words} words)`);
    assert.ok(await page.locator('#lesson .lab-slot > .fallback').count() >= 1, 'each experiment says what it needs');
    const fig = await firstFigure(page);
    assert.ok(fig.box && fig.box.width > 100 && fig.box.height > 50, `the figure ${fig.src} has a size on screen: ${JSON.stringify(fig.box)}`);
    assert.ok(fig.natural > 0, `the figure ${fig.src} loaded`);
    assert.ok(fig.alt.length > 40, 'the figure has a text alternative');
    const svg = readFileSync(join(root, fig.src), 'utf8');
    assert.match(svg, /<title[^>]*>[^<]{10,}<\/title>/, `${fig.src} has a title`);
    assert.match(svg, /<desc[^>]*>[^<]{40,}<\/desc>/, `${fig.src} has a description`);
    // Links lead to pages that work without scripts: other lessons' static pages, this page's sections.
    const hrefs = await page.locator('#lesson a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(!hrefs.some((h) => h.startsWith('lesson.html')), 'no link needs the scripted page');
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('Static pages of the glossary and the front page\'s links work with JavaScript disabled', async () => {
  const page = await env.noScript.context.newPage();
  // Following a link cancels what the page was still fetching (its icon): not a failure.
  const errors = watchErrors(page, { ignore: [/ERR_ABORTED/] });
  await page.goto(env.site.url);
  await page.locator('#lessons a').first().click();
  await page.waitForURL(/\/lesson-stateless\.html$/);
  assert.ok((await page.locator('#lesson h1').innerText()).length > 3);
  await page.locator('#pager a[rel="next"]').click();
  await page.waitForURL(/\/lesson-stateless-vs-stateful\.html$/);
  for (const g of index.glossary) {
    await page.goto(`${env.site.url}glossary-${g.slug}.html`);
    assert.match(await page.locator('#lesson h1').innerText(), new RegExp(g.term, 'i'));
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('Static page of a lesson becomes the full lesson with JavaScript: experiments, quiz and figure', async () => {
  const page = await env.script.context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.site.url}lesson-sticky-sessions.html`);
  await waitReady(page);
  assert.equal(await page.locator('#lesson .lab-slot > .fallback').count(), 0, 'the fallbacks gave way to the experiments');
  assert.ok(await page.locator('#lesson stateless-lab').count() >= 1);
  await page.waitForFunction(() => !document.getElementById('quiz').hidden, null, { timeout: 20000 });
  assert.ok(await page.locator('#quiz fieldset, #quiz .question').count() >= 1, 'the quiz is there');
  const fig = await firstFigure(page);
  assert.ok(fig.box.width > 100 && fig.natural > 0, 'the figure still shows');
  assert.deepEqual(errors, []);
  await page.close();
});
