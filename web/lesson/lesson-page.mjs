// The lesson page (lesson.html?lesson=<slug> or ?glossary=<term>, or a static page rendered at
// build time, lesson-<slug>.html or glossary-<term>.html): renders the Markdown,
// mounts the guided experiments, hosts the quiz and links the neighbouring lessons. With
// &embed=1 it drops the site chrome and reports quiz answers and its height to the framing page.
import { renderLesson } from './markdown.mjs';
import { mountExperiment } from './experiment-view.mjs';
import { QuizView } from './quiz-view.mjs';
import { ProgressStore, browserStorage } from './progress-store.mjs';
import { h } from './dom.mjs';
import { safeDecode } from './links.mjs';

const params = new URLSearchParams(location.search);
const embed = params.get('embed') === '1';
const article = document.getElementById('lesson');
const quizRoot = document.getElementById('quiz');
const pager = document.getElementById('pager');

function fail(message) {
  article.replaceChildren(h('h1', { text: 'Lesson not found' }),
    h('p', { role: 'alert', text: message }),
    h('p', {}, h('a', { href: './', text: 'See all lessons' })));
  document.title = 'Lesson not found · Stateless Lab';
}

async function getJson(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.json();
}

async function getText(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.text();
}

const valid = (s) => typeof s === 'string' && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(s);

function linkPager(index, slug) {
  const i = index.lessons.findIndex((l) => l.slug === slug);
  if (i < 0 || !pager) return;
  const q = embed ? '&embed=1' : '';
  const items = [];
  if (i > 0) items.push(h('a', { href: `lesson.html?lesson=${index.lessons[i - 1].slug}${q}`, rel: 'prev', text: `← ${index.lessons[i - 1].title}` }));
  if (i + 1 < index.lessons.length) items.push(h('a', { href: `lesson.html?lesson=${index.lessons[i + 1].slug}${q}`, rel: 'next', text: `${index.lessons[i + 1].title} →` }));
  pager.replaceChildren(...items);
  pager.hidden = false;
}

function startEmbed() {
  document.body.classList.add('embed-body');
  for (const el of document.querySelectorAll('.site-header, .site-footer, .skip-link')) el.hidden = true;
  import('../widget/embed-channel.mjs').then(({ EmbedChannel }) => {
    const channel = new EmbedChannel();
    channel.forwardQuizAnswers(document);
    channel.reportHeight();
  }).catch(() => { /* no framing page to talk to: the lesson still works */ });
}

async function main() {
  if (embed) startEmbed();
  // lesson.html names the document in its address; a page rendered at build time
  // (lesson-<slug>.html) names it on the article, and is rendered again here.
  const named = params.has('lesson') || params.has('glossary');
  const lessonSlug = named ? params.get('lesson') : article.dataset.lesson ?? null;
  const glossarySlug = named ? params.get('glossary') : article.dataset.glossary ?? null;
  const slug = lessonSlug ?? glossarySlug;
  if (!valid(slug)) {
    fail('The address does not name a lesson.');
    return;
  }
  // The index says which lessons and glossary entries exist, so unknown names never hit the server.
  let index = null;
  try { index = await getJson('lessons/index.json'); } catch { index = null; }
  const known = index && (lessonSlug ? index.lessons : index.glossary)?.some((l) => l.slug === slug);
  if (index && !known) {
    fail(`There is no ${lessonSlug ? 'lesson' : 'glossary entry'} called "${slug}".`);
    return;
  }
  const docPath = lessonSlug ? `lessons/${slug}/lesson.md` : `lessons/glossary/${slug}.md`;
  let markdown;
  try {
    markdown = await getText(docPath);
  } catch {
    fail(`The ${lessonSlug ? 'lesson' : 'glossary entry'} "${slug}" could not be loaded.`);
    return;
  }
  const { html, labs, title } = renderLesson(markdown, docPath, { extraQuery: embed ? 'embed=1' : '' });
  article.innerHTML = html;
  // Wide tables scroll sideways on narrow screens; a focusable region keeps them keyboard-readable.
  for (const table of article.querySelectorAll('table')) {
    const box = h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Table (scrolls sideways)' });
    table.replaceWith(box);
    box.append(table);
  }
  // A code block wider than the page scrolls: keyboard users reach it by Tab.
  for (const pre of article.querySelectorAll('pre')) pre.tabIndex = 0;
  document.title = `${title || slug} · Stateless Lab`;
  article.removeAttribute('aria-busy');
  for (const lab of labs) {
    const slot = article.querySelector(`[data-lab-slot="${lab.index}"]`);
    if (slot) mountExperiment(slot, lab, slug);
  }
  // A hash that is not valid percent-encoding names no section: ignore it.
  const anchor = safeDecode(location.hash.slice(1));
  if (anchor) document.getElementById(anchor)?.scrollIntoView();

  if (!lessonSlug) return;
  if (index) linkPager(index, slug);
  let quiz;
  try {
    quiz = await getJson(`lessons/${slug}/quiz.json`);
  } catch (e) {
    quizRoot.replaceChildren(h('p', { role: 'alert', text: `The quiz could not be loaded: ${e.message}` }));
    quizRoot.hidden = false;
    return;
  }
  const view = new QuizView({ slug, quiz, store: new ProgressStore(browserStorage()), root: quizRoot });
  view.render();
  quizRoot.hidden = false;
}

main().catch((e) => fail(`Something went wrong: ${e.message}`));
