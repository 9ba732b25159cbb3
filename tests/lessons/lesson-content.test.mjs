// Lesson content: every lesson has all its parts, every link resolves, every source link is a
// well-formed URL, and every fact-bearing section cites a source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { marked } from 'marked';
import {
  expectedSlugs, expectedGlossary, index, readText, readJson, exists, scenarioFiles, headings, links, sections,
} from './lesson-files.mjs';
import { classifyLink, siteHref, slugify } from '../../web/lesson/links.mjs';
import { findLabBlocks, parseCompare } from '../../web/lesson/lab-block.mjs';
import { isWebUrl } from '../../web/lesson/quiz-model.mjs';

const lex = (md) => marked.lexer(md);
const lessonPath = (slug) => `lessons/${slug}/lesson.md`;
const glossaryPath = (slug) => `lessons/glossary/${slug}.md`;
const allDocs = () => [...expectedSlugs.map(lessonPath), ...expectedGlossary.map(glossaryPath)];

/// Sections that teach by doing, point onwards, or (the lead paragraph) only say what the lesson
/// covers; every other section states facts and must cite.
const UNCITED_SECTIONS = /^(\(intro\)|Experiment|Where next|Code|Configuration)/;

test('lessons/index.json lists the seven lessons in teaching order, each with a title and a summary', () => {
  const idx = index();
  assert.deepEqual(idx.lessons.map((l) => l.slug), expectedSlugs);
  for (const l of idx.lessons) {
    assert.ok(typeof l.title === 'string' && l.title.length > 3, `${l.slug}: title`);
    assert.ok(typeof l.summary === 'string' && l.summary.length > 20, `${l.slug}: summary`);
    assert.deepEqual(Object.keys(l).sort(), ['slug', 'summary', 'title'], `${l.slug}: only slug, title and summary`);
  }
  assert.deepEqual(idx.glossary.map((g) => g.slug), expectedGlossary);
  for (const g of idx.glossary) assert.ok(g.term && g.summary, `glossary ${g.slug}: term and summary`);
});

test('lessons/index.json titles match each lesson\'s first heading', () => {
  for (const l of index().lessons) {
    const h = headings(lex(readText(lessonPath(l.slug))));
    assert.equal(h[0]?.depth, 1, `${l.slug}: starts with a level-1 heading`);
    assert.equal(h[0].text, l.title, `${l.slug}: index title`);
  }
  for (const g of index().glossary) {
    assert.equal(headings(lex(readText(glossaryPath(g.slug))))[0]?.text, g.term, `glossary ${g.slug}`);
  }
});

for (const slug of expectedSlugs) {
  test(`Lesson ${slug} has lesson.md, quiz.json and scenarios`, () => {
    assert.ok(exists(lessonPath(slug)), 'lesson.md');
    assert.ok(exists(`lessons/${slug}/quiz.json`), 'quiz.json');
    assert.ok(scenarioFiles(slug).length >= 2, 'at least two scenario files');
  });

  test(`Lesson ${slug} explains, cites, shows stateful and stateless code, and runs an experiment with theory`, () => {
    const tokens = lex(readText(lessonPath(slug)));
    const secs = sections(tokens);
    assert.ok(secs.length >= 7, `has at least 6 sections (found ${secs.length - 1})`);
    const code = [];
    const walk = (ts) => { for (const t of ts ?? []) { if (t.type === 'code') code.push(t); if (t.tokens) walk(t.tokens); } };
    walk(tokens);
    const examples = code.filter((c) => c.lang !== 'lab');
    assert.ok(examples.some((c) => /\bstateful\b/i.test(c.text)), 'a code example labelled stateful');
    assert.ok(examples.some((c) => /\bstateless\b/i.test(c.text)), 'a code example labelled stateless');
    const blocks = findLabBlocks(readText(lessonPath(slug)), lex);
    assert.ok(blocks.length >= 1, 'at least one guided experiment');
    assert.ok(blocks.some((b) => b.config?.theory?.length), 'at least one experiment shows theory next to the simulation');
    const external = links(tokens).filter((l) => l.href.startsWith('http'));
    assert.ok(new Set(external.map((l) => l.href)).size >= 5, 'cites at least five distinct sources');
    assert.ok(links(tokens).some((l) => classifyLink(lessonPath(slug), l.href).type === 'glossary'), 'links the glossary');
  });

  test(`Lesson ${slug} cites a source in every fact-bearing section`, () => {
    for (const s of sections(lex(readText(lessonPath(slug))))) {
      if (UNCITED_SECTIONS.test(s.title)) continue;
      const cites = links(s.tokens).filter((l) => classifyLink(lessonPath(slug), l.href).type === 'external');
      assert.ok(cites.length > 0, `section "${s.title}" states facts without a source link`);
    }
  });

  test(`Lesson ${slug} guided experiments are valid and name existing scenarios`, () => {
    const blocks = findLabBlocks(readText(lessonPath(slug)), lex);
    for (const b of blocks) {
      assert.equal(b.error, undefined, `lab block: ${b.error}`);
      assert.ok(exists(`lessons/${slug}/${b.config.scenario}`), `${b.config.scenario} exists`);
      const cmp = parseCompare(b.config.compare);
      if (cmp?.kind === 'scenario') assert.ok(exists(`lessons/${slug}/${cmp.path}`), `${cmp.path} exists`);
    }
  });
}

for (const slug of expectedGlossary) {
  test(`Glossary entry ${slug} exists, cites sources and links its lessons`, () => {
    assert.ok(exists(glossaryPath(slug)));
    const ls = links(lex(readText(glossaryPath(slug))));
    assert.ok(ls.some((l) => l.href.startsWith('https://')), 'cites a source');
    assert.ok(ls.some((l) => classifyLink(glossaryPath(slug), l.href).type === 'lesson'), 'links a lesson');
  });
}

test('Glossary entries are each linked from at least one lesson', () => {
  const linked = new Set();
  for (const slug of expectedSlugs) {
    for (const l of links(lex(readText(lessonPath(slug))))) {
      const c = classifyLink(lessonPath(slug), l.href);
      if (c.type === 'glossary') linked.add(c.slug);
    }
  }
  assert.deepEqual([...linked].sort(), [...expectedGlossary].sort());
});

test('Internal links in lessons and glossary resolve to existing files and headings', () => {
  const anchorsOf = new Map();
  const anchors = (path) => {
    if (!anchorsOf.has(path)) anchorsOf.set(path, new Set(headings(lex(readText(path))).map((h) => slugify(h.text))));
    return anchorsOf.get(path);
  };
  const problems = [];
  for (const doc of allDocs()) {
    for (const l of links(lex(readText(doc)))) {
      const c = classifyLink(doc, l.href);
      if (c.type === 'invalid') problems.push(`${doc}: ${l.href}: ${c.reason}`);
      if (c.type === 'lesson' || c.type === 'glossary' || c.type === 'file') {
        if (!exists(c.path)) problems.push(`${doc}: ${l.href}: no file ${c.path}`);
        else if (c.anchor && c.path.endsWith('.md') && !anchors(c.path).has(c.anchor)) problems.push(`${doc}: ${l.href}: no heading #${c.anchor}`);
      }
      if (c.type === 'lesson' && !expectedSlugs.includes(c.slug)) problems.push(`${doc}: ${l.href}: not a lesson of the index`);
      if (c.type === 'anchor' && !anchors(doc).has(c.anchor)) problems.push(`${doc}: ${l.href}: no heading #${c.anchor}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('Source links in lessons, glossary and quizzes are well-formed http(s) URLs', () => {
  const bad = [];
  for (const doc of allDocs()) {
    for (const l of links(lex(readText(doc)))) {
      if (classifyLink(doc, l.href).type === 'external' && !isWebUrl(l.href)) bad.push(`${doc}: ${l.href}`);
    }
  }
  for (const slug of expectedSlugs) {
    for (const q of readJson(`lessons/${slug}/quiz.json`).questions) {
      for (const s of q.sources ?? []) if (!isWebUrl(s)) bad.push(`${slug}/quiz.json ${q.id}: ${s}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('Lesson Markdown holds no raw HTML or scripts (the page sanitizes it anyway)', () => {
  for (const doc of allDocs()) {
    const html = [];
    const walk = (ts) => { for (const t of ts ?? []) { if (t.type === 'html') html.push(t.raw.trim()); if (t.tokens) walk(t.tokens); if (t.items) walk(t.items); } };
    walk(lex(readText(doc)));
    const allowed = /^<\/?(sub|sup)>$/;
    assert.deepEqual(html.filter((h) => !allowed.test(h)), [], doc);
  }
});

test('classifyLink sorts the kinds of link a lesson may contain', () => {
  const doc = 'lessons/stateless/lesson.md';
  assert.deepEqual(classifyLink(doc, '../sticky-sessions/lesson.md#what-stickiness-is'),
    { type: 'lesson', slug: 'sticky-sessions', anchor: 'what-stickiness-is', path: 'lessons/sticky-sessions/lesson.md' });
  assert.equal(classifyLink(doc, '../glossary/session.md').type, 'glossary');
  assert.equal(classifyLink('lessons/glossary/session.md', 'stateless.md').slug, 'stateless');
  assert.equal(classifyLink(doc, 'scenarios/x.json').type, 'file');
  assert.equal(classifyLink(doc, 'https://example.org/a').type, 'external');
  assert.equal(classifyLink(doc, '#the-idea').type, 'anchor');
  assert.equal(classifyLink(doc, 'javascript:alert(1)').type, 'invalid');
  assert.equal(classifyLink(doc, '/etc/passwd').type, 'invalid');
  assert.equal(classifyLink(doc, '../../../x.md').type, 'invalid');
});

test('siteHref turns lesson file links into site pages and keeps embed mode on internal links', () => {
  const doc = 'lessons/stateless/lesson.md';
  assert.equal(siteHref(doc, '../sticky-sessions/lesson.md'), 'lesson.html?lesson=sticky-sessions');
  assert.equal(siteHref(doc, '../glossary/session.md#top', 'embed=1'), 'lesson.html?glossary=session&embed=1#top');
  assert.equal(siteHref('lessons/glossary/session.md', '../stateless/lesson.md'), 'lesson.html?lesson=stateless');
  assert.equal(siteHref(doc, 'https://example.org/x', 'embed=1'), 'https://example.org/x');
  assert.equal(siteHref(doc, '#the-idea'), '#the-idea');
  assert.equal(siteHref(doc, 'javascript:alert(1)'), '#');
});

test('slugify gives headings the ids that anchors in lessons use', () => {
  assert.equal(slugify('Code: a stateful and a stateless handler'), 'code-a-stateful-and-a-stateless-handler');
  assert.equal(slugify("Little's law, L = λW"), 'little-s-law-l-w');
  assert.equal(slugify('  Ünïcode  '), 'unicode');
});

// ---- static figures ----

/// Lessons whose mechanism is drawn in at least one static figure (shown without JS or WebAssembly).
const LESSONS_WITH_FIGURES = [
  'stateless', 'stateless-vs-stateful', 'session-management', 'sticky-sessions',
  'token-based-authentication', 'horizontal-scaling',
];
/// A figure must stay legible on a 360 px wide screen: at most this many units wide, with no
/// text smaller than MIN_FONT units, it renders text at 11 px or more there.
const MAX_FIGURE_WIDTH = 420;
const MIN_FONT = 14;

/// Every image in a Markdown token tree: [{href, text}].
function images(tokens) {
  const out = [];
  const walk = (ts) => {
    for (const t of ts ?? []) {
      if (t.type === 'image') out.push({ href: t.href, text: t.text });
      if (t.tokens) walk(t.tokens);
      if (t.items) walk(t.items);
    }
  };
  walk(tokens);
  return out;
}

/// Everything that keeps an SVG from being a self-contained, accessible, two-theme figure.
function figureProblems(svg) {
  const problems = [];
  const root = /<svg\b[^>]*>/.exec(svg)?.[0];
  if (!root) return ['no <svg> root'];
  if (!/\brole="img"/.test(root)) problems.push('the root lacks role="img"');
  const title = /<title\b[^>]*id="([^"]+)"[^>]*>([^<]*)<\/title>/.exec(svg);
  const desc = /<desc\b[^>]*id="([^"]+)"[^>]*>([^<]*)<\/desc>/.exec(svg);
  if (!title || title[2].trim().length < 10) problems.push('no <title> with an id and a real title');
  if (!desc || desc[2].trim().split(/\s+/).length < 20) problems.push('no <desc> with an id that describes the figure in 20 words or more');
  const labelled = /\baria-labelledby="([^"]+)"/.exec(root)?.[1].split(/\s+/) ?? [];
  if (title && desc && !(labelled.includes(title[1]) && labelled.includes(desc[1]))) problems.push('aria-labelledby does not name the title and the desc');
  const style = /<style>([\s\S]*?)<\/style>/.exec(svg)?.[1] ?? '';
  if (!/@media\s*\(prefers-color-scheme:\s*dark\)/.test(style)) problems.push('no internal @media (prefers-color-scheme: dark) style');
  const width = Number(/\bviewBox="[\d.]+ [\d.]+ ([\d.]+) [\d.]+"/.exec(root)?.[1]);
  if (!(width > 0 && width <= MAX_FIGURE_WIDTH)) problems.push(`viewBox width ${width} is not within 1..${MAX_FIGURE_WIDTH}`);
  for (const m of svg.matchAll(/font-size:\s*([\d.]+)px/g)) if (Number(m[1]) < MIN_FONT) problems.push(`font-size ${m[1]}px is under ${MIN_FONT}`);
  if (/<script\b|<foreignObject\b|<image\b|\bon[a-z]+="|(?:xlink:)?href="(?!#)/i.test(svg)) problems.push('scripts, embedded content or external references');
  return problems;
}

for (const slug of LESSONS_WITH_FIGURES) {
  test(`Lesson ${slug} shows its mechanism in at least one static figure`, () => {
    const figs = images(lex(readText(lessonPath(slug)))).filter((i) => /^figures\/[a-z0-9-]+\.svg$/.test(i.href));
    assert.ok(figs.length >= 1, 'a figures/<name>.svg image');
  });
}

test('Figures referenced by lessons and glossary exist in the lesson folder, with meaningful alt text, a title and a description', () => {
  const problems = [];
  let seen = 0;
  for (const doc of allDocs()) {
    for (const img of images(lex(readText(doc)))) {
      seen += 1;
      const c = classifyLink(doc, img.href);
      const folder = doc.slice(0, doc.lastIndexOf('/') + 1);
      if (c.type !== 'file' || !c.path.startsWith(`${folder}figures/`) || !c.path.endsWith('.svg')) {
        problems.push(`${doc}: ${img.href}: figures are SVG files in the document's figures/ folder`);
        continue;
      }
      if (!exists(c.path)) { problems.push(`${doc}: ${img.href}: no file ${c.path}`); continue; }
      if (img.text.trim().split(/\s+/).length < 8) problems.push(`${doc}: ${img.href}: alt text "${img.text}" says too little`);
      for (const p of figureProblems(readText(c.path))) problems.push(`${c.path}: ${p}`);
    }
  }
  assert.ok(seen >= LESSONS_WITH_FIGURES.length, `found ${seen} figures`);
  assert.deepEqual(problems, []);
});

test('figureProblems refuses figures without role, title, description, dark style or legible text', () => {
  const good = readText('lessons/stateless/figures/where-state-lives.svg');
  assert.deepEqual(figureProblems(good), []);
  assert.match(figureProblems(good.replace('role="img"', '')).join(), /role="img"/);
  assert.match(figureProblems(good.replace(/<desc\b[\s\S]*?<\/desc>/, '')).join(), /<desc>/);
  assert.match(figureProblems(good.replace(/<title\b[\s\S]*?<\/title>/, '')).join(), /<title>/);
  assert.match(figureProblems(good.replace('prefers-color-scheme: dark', 'min-width: 1px')).join(), /prefers-color-scheme/);
  assert.match(figureProblems(good.replace(/font-size: 14px/, 'font-size: 9px')).join(), /font-size 9px/);
  assert.match(figureProblems(good.replace('</svg>', '<image href="https://example.org/x.png"/></svg>')).join(), /external/);
});
