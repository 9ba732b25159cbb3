// Lesson pages in a real browser: every lesson and glossary entry renders with its experiments
// mounted and its links rewritten for the site; an experiment runs to the end in the widget and
// shows theory that agrees with the simulation; bad addresses fail gracefully; no console errors,
// all under a strict Content-Security-Policy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, watchErrors, useLessonSite } from './lesson-browser.mjs';
import { injectAxe } from './test-site.mjs';

const index = JSON.parse(readFileSync(join(root, 'lessons/index.json'), 'utf8'));

/// The strict policy a static host can serve: no inline or eval'd script, WebAssembly allowed.
// The pages run under the server's default policy (scripts/serve.mjs DEFAULT_CSP): no inline script or style.

const env = useLessonSite();

test('Lesson pages each render its title, experiments and quiz, with site links and no console errors', async () => {
  const page = await env.browser.context.newPage();
  const errors = watchErrors(page);
  for (const l of index.lessons) {
    await page.goto(`${env.server.url}lesson.html?lesson=${l.slug}`);
    await page.locator('#quiz .quiz-question').first().waitFor();
    assert.equal(await page.locator('#lesson h1').textContent(), l.title);
    assert.equal(await page.title(), `${l.title} · Stateless Lab`);
    const md = readFileSync(join(root, 'lessons', l.slug, 'lesson.md'), 'utf8');
    const blocks = (md.match(/^```lab$/gm) ?? []).length;
    assert.equal(await page.locator('.lab-slot.experiment').count(), blocks, `${l.slug}: every experiment is mounted`);
    assert.equal(await page.locator('.experiment-error').count(), 0, `${l.slug}: no misconfigured experiment`);
    const hrefs = await page.locator('#lesson a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const href of hrefs) {
      assert.ok(/^https?:\/\//.test(href) || /^lesson\.html\?(lesson|glossary)=[a-z0-9-]+(#[a-z0-9-]+)?$/.test(href) || /^#[a-z0-9-]+$/.test(href),
        `${l.slug}: link ${href} is external or a site page`);
    }
    const sources = await page.locator('#lesson a.source').count();
    assert.ok(sources >= 5, `${l.slug}: source links are marked (${sources})`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('Lesson pages show every figure of their Markdown, decoded, with its alt text and its own title', async () => {
  const page = await env.browser.context.newPage();
  const errors = watchErrors(page);
  let shown = 0;
  for (const l of index.lessons) {
    const md = readFileSync(join(root, 'lessons', l.slug, 'lesson.md'), 'utf8');
    const expected = [...md.matchAll(/!\[([^\]]+)\]\((figures\/[a-z0-9-]+\.svg)\)/g)].map((m) => ({ alt: m[1], src: `lessons/${l.slug}/${m[2]}` }));
    await page.goto(`${env.server.url}lesson.html?lesson=${l.slug}`);
    await page.locator('#quiz .quiz-question').first().waitFor();
    const imgs = page.locator('#lesson img.lesson-figure');
    assert.equal(await imgs.count(), expected.length, `${l.slug}: one image per figure`);
    for (const [i, e] of expected.entries()) {
      const img = imgs.nth(i);
      await img.scrollIntoViewIfNeeded();
      await img.evaluate((el) => el.decode());
      const got = await img.evaluate((el) => ({ src: el.getAttribute('src'), alt: el.alt, w: el.naturalWidth, shown: el.getBoundingClientRect().width }));
      assert.equal(got.src, e.src, `${l.slug}: figure ${i} address`);
      assert.equal(got.alt, e.alt, `${l.slug}: figure ${i} alt text`);
      assert.ok(got.w > 0 && got.shown > 0, `${l.slug}: ${e.src} decoded and laid out (${got.w}, ${got.shown})`);
      shown += 1;
    }
  }
  assert.ok(shown >= 6, `${shown} figures shown`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Glossary pages each render and link back to the lessons', async () => {
  const page = await env.browser.context.newPage();
  const errors = watchErrors(page);
  for (const g of index.glossary) {
    await page.goto(`${env.server.url}lesson.html?glossary=${g.slug}`);
    await page.locator('#lesson h1').waitFor();
    assert.equal(await page.locator('#lesson h1').textContent(), g.term);
    assert.ok(await page.locator('#lesson a[href^="lesson.html?lesson="]').count() > 0, `${g.slug} links a lesson`);
    assert.equal(await page.locator('#quiz').isVisible(), false, 'glossary entries have no quiz');
  }
  await page.locator('#lesson a[href^="lesson.html?lesson="]').first().click();
  await page.locator('#quiz .quiz-question').first().waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('Lesson experiment runs to the end in the widget and shows theory that agrees', async () => {
  const page = await env.browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.server.url}lesson.html?lesson=sticky-sessions`);
  // Pinned queues vs one pooled queue, found by its scenario rather than its place in the lesson.
  const slot = page.locator('.lab-slot.experiment').filter({ has: page.locator('stateless-lab[scenario$="/pinned-queues.json"]') });
  await slot.locator('stateless-lab').waitFor();
  await slot.locator('.run-button').click();
  await page.waitForFunction((el) => el.querySelector('.experiment-results tbody tr') || /could not/.test(el.querySelector('.status')?.textContent ?? ''),
    await slot.elementHandle(), { timeout: 60000 });
  assert.equal(await slot.locator('.experiment-run .status').textContent(), 'Done.');
  const rows = await slot.locator('.experiment-theory tbody tr').evaluateAll((trs) => trs.map((tr) => ({
    cls: tr.className, cells: [...tr.children].map((c) => c.textContent),
  })));
  assert.ok(rows.length >= 2, 'theory rows for both runs');
  for (const r of rows) assert.equal(r.cls, 'theory-agrees', `theory and simulation agree: ${r.cells.join(' | ')}`);
  const means = await slot.locator('.experiment-results tbody tr').first().locator('td').allTextContents();
  const [pinned, pooled] = means.map((t) => parseFloat(t));
  assert.ok(pinned > 3 * pooled, `pinned queues (${means[0]}) are far slower than one pooled queue (${means[1]})`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Lesson page says so when the address names no lesson, without breaking', async () => {
  const page = await env.browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.server.url}lesson.html?lesson=../../etc`);
  await page.locator('#lesson [role="alert"]').waitFor();
  assert.equal(await page.locator('#lesson h1').textContent(), 'Lesson not found');
  await page.goto(`${env.server.url}lesson.html?lesson=no-such-lesson`);
  await page.locator('#lesson [role="alert"]').waitFor();
  assert.match(await page.locator('#lesson [role="alert"]').textContent(), /no lesson called "no-such-lesson"/);
  assert.deepEqual(errors, [], 'unknown names are caught before any request for them');
  await page.close();
});

test('Index page lists the lessons of lessons/index.json in order with summaries and a quiz summary each', async () => {
  const page = await env.browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(env.server.url);
  await page.locator('.lesson-card').first().waitFor();
  const cards = await page.locator('.lesson-card').evaluateAll((cs) => cs.map((c) => ({
    title: c.querySelector('.lesson-link').textContent,
    href: c.querySelector('.lesson-link').getAttribute('href'),
    summary: c.querySelector('.lesson-summary').textContent,
    score: c.querySelector('.lesson-score').textContent,
  })));
  assert.deepEqual(cards.map((c) => c.title), index.lessons.map((l) => l.title));
  assert.deepEqual(cards.map((c) => c.href), index.lessons.map((l) => `lesson.html?lesson=${l.slug}`));
  assert.deepEqual(cards.map((c) => c.summary), index.lessons.map((l) => l.summary));
  for (const [i, c] of cards.entries()) {
    const n = JSON.parse(readFileSync(join(root, 'lessons', index.lessons[i].slug, 'quiz.json'), 'utf8')).questions.length;
    assert.equal(c.score, `Quiz: ${n} questions, not started`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('Index page without JavaScript still links every lesson and glossary entry, to their static pages', () => {
  const html = readFileSync(join(root, 'web/index.html'), 'utf8');
  const hrefs = [...html.matchAll(/href="(lesson|glossary)-([a-z0-9-]+)\.html"/g)].map((m) => `${m[1]}:${m[2]}`);
  assert.deepEqual(hrefs, [...index.lessons.map((l) => `lesson:${l.slug}`), ...index.glossary.map((g) => `glossary:${g.slug}`)]);
});

test('Lesson, glossary and index pages have no WCAG A/AA violations outside the widget (axe-core)', async () => {
  const page = await env.browser.context.newPage();
  const errors = watchErrors(page);
  const q = JSON.parse(readFileSync(join(root, 'lessons/sticky-sessions/quiz.json'), 'utf8')).questions[0];
  for (const target of ['', 'lesson.html?lesson=sticky-sessions', 'lesson.html?glossary=session', 'lesson-session-management.html']) {
    await page.goto(`${env.server.url}${target}`);
    await page.locator(target ? '#lesson h1' : '.lesson-card').first().waitFor();
    if (target.includes('lesson=')) {
      // Answered state too: feedback, verdict colours, source links.
      await page.locator(`#quiz-${q.id}-1`).check();
      await page.locator(`#quiz-${q.id} button[type="submit"]`).click();
      await page.locator(`#quiz-${q.id} .quiz-verdict`).waitFor();
    }
    await injectAxe(page);
    // The widget is checked by its own suite; this one covers the lesson page around it.
    const violations = await page.evaluate(async () => (await window.axe.run({ exclude: [['stateless-lab']] }, { runOnly: ['wcag2a', 'wcag2aa'] }))
      .violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`));
    assert.deepEqual(violations, [], target || 'index');
  }
  assert.deepEqual(errors, []);
  await page.close();
});
