// The site index: the lessons of lessons/index.json in order, each with its summary and the
// reader's quiz score from this browser's storage. The static list in index.html stays as it
// is when anything here fails.
import { ProgressStore, browserStorage } from './progress-store.mjs';
import { scoreOf } from './quiz-model.mjs';
import { h } from './dom.mjs';

async function getJson(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.json();
}

/// "3 of 10 correct" style summary of one lesson's quiz.
export function scoreText({ total, answered, correct }) {
  if (!total) return answered ? `Quiz: ${correct} correct of ${answered} answered` : 'Quiz';
  if (!answered) return `Quiz: ${total} questions, not started`;
  if (answered === total) return `Quiz: ${correct} of ${total} correct`;
  return `Quiz: ${correct} of ${total} correct, ${answered} answered`;
}

async function main() {
  const list = document.getElementById('lessons');
  const note = document.getElementById('progress-note');
  const store = new ProgressStore(browserStorage());
  const index = await getJson('lessons/index.json');
  const quizzes = await Promise.all(index.lessons.map((l) => getJson(`lessons/${l.slug}/quiz.json`).catch(() => null)));
  let totalCorrect = 0, totalQuestions = 0, totalAnswered = 0;
  const items = index.lessons.map((l, i) => {
    const { answers } = store.load(l.slug);
    const s = quizzes[i] ? scoreOf(quizzes[i], answers) : { total: 0, answered: Object.keys(answers).length, correct: Object.values(answers).filter((a) => a.correct).length };
    totalCorrect += s.correct;
    totalQuestions += s.total;
    totalAnswered += s.answered;
    const score = h('span', { class: `lesson-score${s.answered && s.answered === s.total ? ' is-done' : ''}`, 'data-lesson': l.slug, text: scoreText(s) });
    if (s.total) {
      score.append(h('meter', { min: '0', max: String(s.total), value: String(s.correct), 'aria-label': `${l.title}: ${s.correct} of ${s.total} correct` }));
    }
    return h('li', { class: 'lesson-card' },
      h('a', { class: 'lesson-link', href: `lesson.html?lesson=${l.slug}`, text: l.title }),
      h('p', { class: 'lesson-summary', text: l.summary }),
      score);
  });
  list.replaceChildren(...items);
  if (!store.available) note.textContent = 'This browser is not letting the site store anything, so quiz scores are not kept.';
  else if (totalAnswered) note.textContent = `Overall: ${totalCorrect} of ${totalQuestions} questions correct.`;
}

main().catch(() => { /* the static list in the page still works */ });
