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

  /// Runs work done elsewhere (the simulation's host) as a job: task(signal) resolves to its
  /// value, and should stop early once `signal` aborts (Cancel, or a newer job). The progress
  /// bar and Cancel show after BUSY_SHOW_MS.
  /// Resolves to true once done(value) has run, false when cancelled, replaced or stale().
  /// pause() is called as it starts and returns a value that resume(value) gets once it is done.
  async run(label, task, done, { stale = () => false, pause = () => null, resume = () => {} } = {}) {
    this.current?.controller.abort();
    const controller = new AbortController();
    let finish;
    const job = { controller, finished: new Promise((ok) => { finish = ok; }) };
    this.current = job;
    const paused = pause();
    const timer = setTimeout(() => { if (this.current === job) this.#show(label, controller); }, BUSY_SHOW_MS);
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

  /// Shows (label set) or hides (label null) a job's progress bar (without a fraction: the host
  /// does not report one) with its Cancel button.
  #show(label, controller = null) {
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
      controller?.abort();
      this.onCancel();
    });
    const text = doc.createElement('span');
    text.className = 'busy-label';
    text.textContent = `${label}…`;
    box.replaceChildren(text, doc.createElement('progress'), cancel);
    box.hidden = false;
  }
}
