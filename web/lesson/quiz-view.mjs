// The quiz at the end of a lesson. Choice questions are graded against their stored answer;
// predict questions play their scenario in a compact simulator right under the question, fast
// (about PLAY_WALL_S seconds of wall time), and are graded against the value the simulation
// produced. The verdict appears beside the button and takes focus, so it is read out and in
// view. Answers are kept per lesson (progress-store.mjs) and reported to the host page as
// `stateless-lab:quiz-answer` events.
import { quizProblems, optionOrders, correctChoice, predictValue, matchingOption, scoreOf } from './quiz-model.mjs';
import { formatValue } from './metric.mjs';
import { fetchScenario, runHeadless, runWidget, widgetShows, labElement } from './lab-runner.mjs';
import { h } from './dom.mjs';

const LETTERS = 'abcdefghij';
/// Wall seconds a predict question's run plays for: the whole scenario, sped up to fit.
export const PLAY_WALL_S = 2.5;
/// Wall time after which a run still playing (a slow machine) is finished without animation.
const PLAY_LIMIT_MS = 3000;
/// The widget's own speed limit (simulated seconds per wall second).
const MAX_SPEED = 100;
let resultIds = 0;

/// The speed at which a run of `duration` simulated seconds plays in PLAY_WALL_S.
export function playSpeed(duration) {
  const d = Number.isFinite(duration) && duration > 0 ? duration : 60;
  return Math.min(MAX_SPEED, Math.max(1, d / PLAY_WALL_S));
}

/// Scrolls the window by the least amount that shows `box` below `keep`, without moving
/// `keep` (the question's button row) out of view. Instant: no animated scrolling.
function reveal(box, keep) {
  const b = box.getBoundingClientRect();
  const k = keep.getBoundingClientRect();
  const below = b.bottom - window.innerHeight;
  if (below > 0) window.scrollBy({ top: Math.max(0, Math.min(below, k.top - 8)), behavior: 'instant' });
}

export class QuizView {
  /**
   * slug: the lesson; quiz: its parsed quiz.json; store: a ProgressStore; root: the section to
   * fill. onScore(score) is told the score after every change.
   */
  constructor({ slug, quiz, store, root, onScore = () => {} }) {
    this.slug = slug;
    this.quiz = quiz;
    this.store = store;
    this.root = root;
    this.onScore = onScore;
    this.items = new Map();
  }

  render() {
    const problems = quizProblems(this.quiz);
    this.root.replaceChildren();
    this.root.append(h('h2', { id: 'quiz-title', text: 'Quiz' }));
    if (problems.length) {
      this.root.append(h('p', { class: 'quiz-error', role: 'alert', text: `This quiz is malformed: ${problems[0]}` }));
      return;
    }
    const loaded = this.store.load(this.slug);
    this.answers = loaded.answers;
    // Options appear in the learner's own stable order; inputs keep the option's index in
    // quiz.json as their value, so stored answers do not depend on the order shown.
    this.orders = optionOrders(this.quiz, this.store.learnerSeed(), this.slug);
    this.scoreLine = h('p', { class: 'quiz-score', role: 'status', 'aria-live': 'polite' });
    const reset = h('button', { type: 'button', class: 'quiz-reset', text: 'Start the quiz again' });
    reset.addEventListener('click', () => {
      this.store.reset(this.slug);
      this.render();
    });
    const intro = h('p', { class: 'quiz-intro', text: 'Choice questions check what the lesson said. Predict questions ask you to commit to a number first; the simulator then runs the scenario and grades your prediction against what it produced.' });
    this.root.append(intro, h('div', { class: 'quiz-bar' }, this.scoreLine, reset));
    if (!this.store.available) this.root.append(h('p', { class: 'quiz-note', text: 'Your browser is not letting this page store anything, so answers last only until you leave.' }));
    if (loaded.recovered) this.root.append(h('p', { class: 'quiz-note', text: 'Some saved answers could not be read and were cleared.' }));
    const list = h('ol', { class: 'quiz-questions' });
    this.quiz.questions.forEach((q, i) => list.append(this.#question(q, i)));
    this.root.append(list);
    this.#updateScore();
  }

  #question(q, index) {
    const name = `quiz-${q.id}`;
    const li = h('li', { class: `quiz-question quiz-${q.kind}`, id: name, 'data-question': q.id });
    const form = h('form', { class: 'quiz-form' });
    const fieldset = h('fieldset');
    fieldset.append(h('legend', { text: q.prompt }));
    if (q.kind === 'predict') fieldset.append(h('p', { class: 'predict-note', text: 'Predict, then run: the answer is whatever the simulation produces.' }));
    const order = this.orders[q.id];
    order.forEach((j) => {
      const o = q.options[j];
      const id = `${name}-${j}`;
      const input = h('input', { type: 'radio', name, id, value: String(j) });
      fieldset.append(h('div', { class: 'quiz-option' }, input, h('label', { for: id, text: o.text })));
    });
    const submit = h('button', { type: 'submit', text: q.kind === 'predict' ? 'Run the simulation and check' : 'Check' });
    // The verdict sits beside the button; the simulator plays under it, the explanations follow.
    const result = h('div', { class: 'quiz-result', id: `${name}-result-${++resultIds}` });
    const actions = h('div', { class: 'quiz-actions' }, submit, result);
    const feedback = h('div', { class: 'quiz-feedback' });
    const labBox = h('div', { class: 'quiz-lab' });
    form.append(fieldset, actions);
    li.append(h('span', { class: 'quiz-number', text: `Question ${index + 1} of ${this.quiz.questions.length}` }), form, labBox, feedback);
    const item = { q, order, li, form, submit, result, actions, feedback, labBox };
    this.items.set(q.id, item);

    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const chosen = form.querySelector('input:checked');
      if (!chosen) {
        result.replaceChildren(h('p', { class: 'quiz-hint', role: 'status', text: 'Pick an option first.' }));
        return;
      }
      this.#answer(item, Number(chosen.value));
    });
    const saved = this.answers[q.id];
    if (saved && saved.choice < q.options.length) {
      const input = form.querySelector(`input[value="${saved.choice}"]`);
      if (input) input.checked = true;
      this.#showFeedback(item, saved.choice, saved.correct, saved.value);
    }
    return li;
  }

  async #answer(item, choice) {
    const { q, submit, result } = item;
    if (q.kind === 'choice') {
      const correct = choice === correctChoice(q);
      this.#record(item, choice, correct);
      this.#focusVerdict(item);
      return;
    }
    submit.disabled = true;
    result.replaceChildren(h('p', { class: 'status', role: 'status', text: 'Running the simulation…' }));
    try {
      const value = await this.#simulate(item);
      const match = matchingOption(q, value);
      if (match < 0) {
        result.replaceChildren(h('p', { class: 'quiz-error', role: 'alert', text: `The simulation produced ${formatValue(value, q.format)}, which none of the options covers, so this question cannot be graded.` }));
        return;
      }
      this.#record(item, choice, choice === match, value);
      this.#focusVerdict(item);
    } catch (e) {
      result.replaceChildren(h('p', { class: 'quiz-error', role: 'alert', text: `The simulation could not run: ${e.message}` }));
    } finally {
      submit.disabled = false;
    }
  }

  /// Moves focus to the verdict just shown (a screen reader reads it with the value it
  /// describes) and makes sure it is on screen.
  #focusVerdict(item) {
    const verdict = item.result.querySelector('.quiz-verdict');
    if (!verdict) return;
    verdict.focus({ preventScroll: true });
    verdict.scrollIntoView({ block: 'nearest', inline: 'nearest', behavior: 'instant' });
  }

  /// Plays the question's scenario in a compact simulator under the question, fast, and
  /// returns the metric's value.
  async #simulate(item) {
    const { q, labBox, actions } = item;
    const { url, scenario } = await fetchScenario(this.slug, q.scenario);
    let results;
    if (widgetShows(scenario)) {
      if (!item.el) {
        // Playback only: without cluster controls nobody can inject actions, so the graded run
        // is exactly the scenario as written.
        item.el = labElement(url, { controls: 'playback' });
        labBox.append(item.el);
      }
      ({ results } = await this.#play(item.el, scenario, () => reveal(labBox, actions)));
    } else {
      results = await runHeadless(scenario);
    }
    const { value, error } = predictValue(q, { results, scenario });
    if (error) throw new Error(error);
    return value;
  }

  /// Plays a widget's scenario from the start at a speed that ends it in about PLAY_WALL_S,
  /// then finishes whatever a slow machine left unplayed; resolves to the run's results.
  async #play(el, scenario, onReady) {
    await el.ready;
    if (el.error) throw new Error(el.error.message ?? 'the simulator could not start');
    onReady();
    el.speed = playSpeed(el.state?.end ?? scenario.duration_s);
    let timer = 0;
    const finished = new Promise((resolve) => {
      el.addEventListener('stateless-lab:finished', resolve, { once: true });
      timer = setTimeout(resolve, PLAY_LIMIT_MS);
    });
    el.reset();
    el.play();
    await finished;
    clearTimeout(timer);
    return runWidget(el);
  }

  #record(item, choice, correct, value) {
    const answer = { choice, correct, at: new Date().toISOString() };
    if (value !== undefined) answer.value = value;
    this.answers[item.q.id] = answer;
    this.store.saveAnswer(this.slug, item.q.id, answer);
    this.#showFeedback(item, choice, correct, value);
    this.#updateScore();
    item.li.dispatchEvent(new CustomEvent('stateless-lab:quiz-answer', {
      bubbles: true, composed: true,
      // answer: the option's letter in quiz.json (stable whatever the order shown); shown: the
      // place, from 1, where this learner saw it.
      detail: {
        quiz: this.slug, question: item.q.id, answer: LETTERS[choice] ?? String(choice),
        ...(item.order.includes(choice) ? { shown: item.order.indexOf(choice) + 1 } : {}),
        correct, ...(value !== undefined ? { value } : {}),
      },
    }));
  }

  #showFeedback(item, choice, correct, value) {
    const { q, order, feedback, result, li } = item;
    li.classList.toggle('is-correct', correct);
    li.classList.toggle('is-wrong', !correct);
    const right = q.kind === 'choice' ? correctChoice(q) : (value !== undefined ? matchingOption(q, value) : -1);
    // Focusable (not in the tab order): focus lands here after an answer, and the value it
    // describes is read with it.
    const verdict = h('p', { class: 'quiz-verdict', tabindex: '-1', text: correct ? 'Correct.' : 'Not quite.' });
    const line = [verdict];
    if (q.kind === 'predict' && value !== undefined) {
      const id = `${result.id}-value`;
      line.push(h('p', { class: 'quiz-value', id, text: `The simulation produced ${formatValue(value, q.format)}.` }));
      verdict.setAttribute('aria-describedby', id);
    }
    result.replaceChildren(...line);
    const parts = [];
    const whys = h('ul', { class: 'quiz-whys' });
    order.forEach((j) => {
      const o = q.options[j];
      const tags = [j === choice ? 'your answer' : null, j === right ? 'right answer' : null].filter(Boolean);
      whys.append(h('li', { class: j === right ? 'why-right' : '' },
        h('strong', { text: `${o.text}${tags.length ? ` (${tags.join(', ')})` : ''}: ` }), o.why));
    });
    parts.push(whys);
    if (q.sources?.length) {
      const src = h('p', { class: 'quiz-sources' }, 'Source: ');
      q.sources.forEach((u, k) => {
        if (k) src.append(', ');
        src.append(h('a', { href: u, rel: 'noopener noreferrer', class: 'source', text: new URL(u).hostname }));
      });
      parts.push(src);
    }
    feedback.replaceChildren(...parts);
  }

  #updateScore() {
    const s = scoreOf(this.quiz, this.answers);
    this.scoreLine.textContent = s.answered
      ? `Score: ${s.correct} of ${s.total} correct (${s.answered} answered).`
      : `${s.total} questions. Nothing answered yet.`;
    this.onScore(s);
  }
}
