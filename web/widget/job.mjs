// A long job of a view (a far seek, a link's replay, a run to the end): step generators that
// yield after each small piece of simulation, run within one slice now and, if they need
// longer, in slices between tasks with a progress bar and Cancel, so no task blocks the page.
// The cluster view and the stream view run theirs through the same Jobs.
import { afterQueuedTasks } from './next-task.mjs';

/// Wall milliseconds of simulation per slice before a long job lets the page run.
export const SLICE_MS = 15;
/// A long job shows its progress bar and Cancel after this many wall milliseconds.
const BUSY_SHOW_MS = 150;

/// Runs a step generator for at most `budgetMs` now: {done: true, value} when it finished,
/// else {done: false, at} with the simulated time it reached.
export function runFor(gen, budgetMs) {
  const t0 = performance.now();
  for (;;) {
    const r = gen.next();
    if (r.done) return r;
    if (performance.now() - t0 >= budgetMs) return { done: false, at: r.value };
  }
}

/// Runs a step generator to its end now; returns its value.
export function finish(gen) {
  return runFor(gen, Infinity).value;
}

export class Jobs {
  /// box: the element that shows a running job (a progress bar and Cancel) and is hidden
  /// otherwise; onCancel(): after the viewer pressed Cancel.
  constructor(box, { onCancel = () => {} } = {}) {
    this.box = box;
    this.onCancel = onCancel;
    this.current = null;
  }

  get running() { return this.current !== null; }

  /// Resolves once no job runs (at once when none does).
  async idle() {
    while (this.current) await this.current.finished;
  }

  /// Stops the running job where it has got to (its promise resolves to false).
  cancel() {
    this.current?.controller.abort();
    this.current = null;
    this.#show(null);
  }

  /// Runs step generators one after the other: within one slice now when they are quick
  /// (done(values) is then called before this returns), else in slices between tasks.
  /// Resolves to true once done(values) has run, false when cancelled, replaced by a newer
  /// job, or stale() turned true. pause() is called when the job goes on past one slice and
  /// returns a value that resume(value) gets once the job has finished.
  run(label, target, gens, done, { stale = () => false, pause = () => null, resume = () => {} } = {}) {
    this.current?.controller.abort();
    const controller = new AbortController();
    const values = [];
    let i = 0;
    const step = (budget) => {
      const t0 = performance.now();
      while (i < gens.length) {
        const r = runFor(gens[i], Math.max(1, budget - (performance.now() - t0)));
        if (!r.done) return r.at;
        values.push(r.value);
        i += 1;
      }
      return null;
    };
    if (step(SLICE_MS) === null) {
      this.current = null;
      done(values);
      return Promise.resolve(true);
    }
    const paused = pause();
    let finish;
    const job = { controller, finished: new Promise((ok) => { finish = ok; }) };
    this.current = job;
    const started = performance.now();
    return (async () => {
      for (;;) {
        await afterQueuedTasks();
        if (controller.signal.aborted || stale()) return false;
        const at = step(SLICE_MS);
        if (at === null) break;
        if (performance.now() - started > BUSY_SHOW_MS) this.#show(label, at / Math.max(target, 1e-9), controller);
      }
      this.current = null;
      this.#show(null);
      done(values);
      resume(paused);
      return true;
    })().finally(() => {
      if (this.current === job) this.current = null;
      if (!this.current) this.#show(null);
      finish();
    });
  }

  /// Runs work done elsewhere (the simulation's worker) as a job: task(signal) resolves to its
  /// value, and should stop early once `signal` aborts (Cancel, or a newer job). The progress
  /// bar (with no fraction: the work does not report one) and Cancel show after BUSY_SHOW_MS.
  /// Resolves to true once done(value) has run, false when cancelled, replaced or stale().
  /// pause() and resume(value) as for run().
  async runTask(label, task, done, { stale = () => false, pause = () => null, resume = () => {} } = {}) {
    this.current?.controller.abort();
    const controller = new AbortController();
    let finish;
    const job = { controller, finished: new Promise((ok) => { finish = ok; }) };
    this.current = job;
    const paused = pause();
    const timer = setTimeout(() => { if (this.current === job) this.#show(label, null, controller); }, BUSY_SHOW_MS);
    try {
      const value = await task(controller.signal);
      if (controller.signal.aborted || stale()) return false;
      this.current = null;
      this.#show(null);
      done(value);
      resume(paused);
      return true;
    } finally {
      clearTimeout(timer);
      if (this.current === job) this.current = null;
      if (!this.current) this.#show(null);
      finish();
    }
  }

  /// Shows (label set) or hides (label null) a job's progress with its Cancel button; a
  /// fraction of null shows a bar without one.
  #show(label, fraction = 0, controller = null) {
    const box = this.box;
    if (!box) return;
    if (!label) {
      box.hidden = true;
      return;
    }
    if (box.hidden) {
      const doc = box.ownerDocument;
      const cancel = doc.createElement('button');
      cancel.type = 'button';
      cancel.textContent = 'Cancel';
      cancel.addEventListener('click', () => {
        controller?.abort();
        this.onCancel();
      });
      const text = doc.createElement('span');
      text.className = 'busy-label';
      const bar = doc.createElement('progress');
      bar.max = 1;
      bar.value = 0;
      box.replaceChildren(text, bar, cancel);
      box.hidden = false;
    }
    box.querySelector('.busy-label').textContent = `${label}…`;
    const bar = box.querySelector('progress');
    if (fraction === null) bar.removeAttribute('value');
    else bar.value = Math.min(1, Math.max(0, fraction));
  }
}
