// Static lesson pages: every lesson and glossary entry rendered to HTML at build time, so that
// a reader without JavaScript (or WebAssembly) still gets the text, the tables and the SVG
// figures. The pages are plain files a static host serves without rewrites:
//
//   lesson-<slug>.html     a lesson
//   glossary-<term>.html   a glossary entry
//
// Each page is lesson.html with the rendered lesson inside, in the same folder, so its scripts,
// styles, figures and links resolve exactly as from lesson.html (a <base> would not do: the
// site's Content-Security-Policy has base-uri 'none'). With JavaScript the same lesson-page
// module runs: it renders the lesson again (the same HTML) and mounts the experiments and the
// quiz. lesson.html?lesson=<slug> keeps working as well.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderLesson } from '../web/lesson/markdown.mjs';

/// Where a static page lives, relative to the site root.
export const staticLessonPath = (slug) => `lesson-${slug}.html`;
export const staticGlossaryPath = (slug) => `glossary-${slug}.html`;

const escapeHtml = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/// Links to lesson.html?lesson=… and ?glossary=… become links to the static pages, which work
/// with and without JavaScript.
function staticLinks(html) {
  return html.replace(/href="lesson\.html\?(lesson|glossary)=([a-z0-9-]+)(#[^"]*)?"/g, (_, kind, slug, frag = '') =>
    `href="${kind === 'lesson' ? staticLessonPath(slug) : staticGlossaryPath(slug)}${frag}"`);
}

/// The rendered lesson as the page shows it before any script: tables in their scrolling
/// region, code blocks reachable by keyboard, each experiment's slot saying what it needs.
function staticBody(html) {
  return staticLinks(html)
    .replace(/<table>/g, '<div class="table-scroll" tabindex="0" role="region" aria-label="Table (scrolls sideways)"><table>')
    .replace(/<\/table>/g, '</table></div>')
    .replace(/<pre>/g, '<pre tabindex="0">')
    .replace(/<div class="lab-slot" data-lab-slot="(\d+)"><\/div>/g, (_, i) =>
      `<div class="lab-slot" data-lab-slot="${i}"><p class="fallback">This experiment runs in your browser and needs JavaScript and WebAssembly.</p></div>`);
}

/// The previous and next lessons, as static links.
function pagerHtml(lessons, i) {
  const items = [];
  if (i > 0) items.push(`<a href="${staticLessonPath(lessons[i - 1].slug)}" rel="prev">← ${escapeHtml(lessons[i - 1].title)}</a>`);
  if (i + 1 < lessons.length) items.push(`<a href="${staticLessonPath(lessons[i + 1].slug)}" rel="next">${escapeHtml(lessons[i + 1].title)} →</a>`);
  return items.join('\n      ');
}

/// lesson.html with one rendered document in it. `data` names the document for the page's
/// script (data-lesson or data-glossary).
export function staticPage(template, { title, body, data, pager = '' }) {
  const replace = (text, pattern, by) => {
    if (!pattern.test(text)) throw new Error(`lesson.html changed: ${pattern} not found, so the static pages cannot be built`);
    return text.replace(pattern, by);
  };
  let page = template;
  page = replace(page, /<title>[^<]*<\/title>/, `<title>${escapeHtml(title)} · Stateless Lab</title>`);
  page = replace(page, /<article id="lesson"[^>]*>[\s\S]*?<\/article>/,
    `<article id="lesson" class="lesson" ${data}>\n${body}\n    </article>`);
  if (pager) page = replace(page, /<nav id="pager" class="pager" aria-label="Lessons" hidden><\/nav>/,
    `<nav id="pager" class="pager" aria-label="Lessons">\n      ${pager}\n    </nav>`);
  return page;
}

/// Writes the static page of every lesson and glossary entry into `out` (the built site, with
/// lessons/ and lesson.html already in it); resolves to the paths written.
export async function prerenderLessons(root, out) {
  const template = await readFile(join(root, 'web/lesson.html'), 'utf8');
  const index = JSON.parse(await readFile(join(root, 'lessons/index.json'), 'utf8'));
  // Lessons are the repo's own content, reviewed like code: rendered without a DOM sanitizer.
  const trusted = (html) => html;
  const written = [];
  const write = async (path, docPath, { data, pager }) => {
    const markdown = await readFile(join(root, docPath), 'utf8');
    const { html, title } = renderLesson(markdown, docPath, { sanitize: trusted });
    const page = staticPage(template, { title, body: staticBody(html), data, pager });
    await writeFile(join(out, path), page);
    written.push(path);
  };
  for (const [i, l] of index.lessons.entries()) {
    await write(staticLessonPath(l.slug), `lessons/${l.slug}/lesson.md`,
      { data: `data-lesson="${escapeHtml(l.slug)}"`, pager: pagerHtml(index.lessons, i) });
  }
  for (const g of index.glossary) {
    await write(staticGlossaryPath(g.slug), `lessons/glossary/${g.slug}.md`,
      { data: `data-glossary="${escapeHtml(g.slug)}"` });
  }
  return written;
}
