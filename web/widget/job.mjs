// Long work of the simulation (a far seek, a link's replay, a run to the end) is written as step
// generators that yield after each small piece of simulation; the simulation host runs them in
// slices between tasks (runFor), so that no task blocks its thread. A view's player shows a
// job it waits for (Jobs) with a progress bar and Cancel.

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

/// A progress bar for work done elsewhere, named by `label`: indeterminate until its first
/// fraction (bar.value = 0-1).
export function progressBar(doc, label) {
  const bar = doc.createElement('progress');
  bar.max = 1;
  bar.removeAttribute('value');
  bar.setAttribute('aria-label', label);
  return bar;
}

/// A line telling how far work done elsewhere has got ("label: 42%" and a progress bar):
/// {nodes, set(fraction)}.
export function progressLine(doc, label) {
  const text = doc.createTextNode(`${label}…`);
  const bar = progressBar(doc, label);
  const set = (fraction) => {
    bar.value = fraction;
    text.data = `${label}: ${Math.round(fraction * 100)}%`;
  };
  return { nodes: [text, ' ', bar], set };
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

  /// Runs work done elsewhere (the simulation's host) as a job: task(signal, progress) resolves
  /// to its value, and should stop early once `signal` aborts (Cancel, or a newer job); it may
  /// call progress(fraction) with how far it has got (0-1). The progress bar and Cancel show
  /// after BUSY_SHOW_MS.
  /// Resolves to true once done(value) has run, false when cancelled, replaced or stale().
  /// pause() is called as it starts and returns a value that resume(value) gets once it is done.
  async run(label, task, done, { stale = () => false, pause = () => null, resume = () => {} } = {}) {
    this.current?.controller.abort();
    const controller = new AbortController();
    let finish;
    const job = { controller, fraction: null, bar: null, finished: new Promise((ok) => { finish = ok; }) };
    this.current = job;
    const paused = pause();
    const timer = setTimeout(() => { if (this.current === job) this.#show(label, job); }, BUSY_SHOW_MS);
    const progress = (fraction) => {
      job.fraction = fraction;
      if (job.bar) job.bar.value = fraction;
    };
    try {
      const value = await task(controller.signal, progress);
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

  /// Shows (label set) or hides (label null) a job's progress bar with its Cancel button. The
  /// bar is indeterminate until the job tells how far it has got.
  #show(label, job = null) {
    const box = this.box;
    if (!box) return;
    if (!label) {
      box.hidden = true;
      return;
    }
    const doc = box.ownerDocument;
    const cancel = doc.createElement('button');
    cancel.type = 'button';
    cancel.textContent = 'Cancel';
    cancel.addEventListener('click', () => {
      job?.controller.abort();
      this.onCancel();
    });
    const text = doc.createElement('span');
    text.className = 'busy-label';
    text.textContent = `${label}…`;
    const bar = progressBar(doc, label);
    if (job?.fraction != null) bar.value = job.fraction;
    if (job) job.bar = bar;
    box.replaceChildren(text, bar, cancel);
    box.hidden = false;
  }
}
