// The origin-checked postMessage channel between a Stateless Lab page shown in an iframe and
// the page that frames it. Messages out go to the parent's origin only; messages in are taken
// only from the parent window and only from that origin. Every message is an object
// {source: 'stateless-lab', type, ...}.

export const SOURCE = 'stateless-lab';

/// The parent page's origin: the `origin` query parameter if given (it must match what the
/// browser reports, when it reports anything), else location.ancestorOrigins[0], else the
/// referrer's origin. Returns {origin, error}; origin null when unknown or not allowed.
export function parentOrigin(win = window) {
  if (win.parent === win) return { origin: null, error: null };
  const param = new URLSearchParams(win.location.search).get('origin');
  const ancestor = win.location.ancestorOrigins?.length ? win.location.ancestorOrigins[0] : null;
  let referrer = null;
  try { referrer = win.document.referrer ? new URL(win.document.referrer).origin : null; } catch { referrer = null; }
  if (param !== null) {
    let norm = null;
    try {
      const u = new URL(param);
      if ((u.protocol === 'https:' || u.protocol === 'http:') && u.origin === param.replace(/\/$/, '')) norm = u.origin;
    } catch { norm = null; }
    if (!norm) return { origin: null, error: `must be an origin like https://example.org (got ${JSON.stringify(param)})` };
    const seen = ancestor ?? referrer;
    if (seen && seen !== 'null' && seen !== norm) {
      return { origin: null, error: `says ${norm} but this page is framed by ${seen}; messages are off` };
    }
    return { origin: norm, error: null };
  }
  const found = ancestor ?? referrer;
  return { origin: found && found !== 'null' ? found : null, error: null };
}

export class EmbedChannel {
  constructor(win = window) {
    this.win = win;
    const { origin, error } = parentOrigin(win);
    /// The parent's origin, or null (then nothing is sent or received).
    this.origin = origin;
    /// Why the origin parameter was refused, or null.
    this.error = error;
    this.handlers = new Set();
    this.listener = (event) => {
      if (!this.origin || event.source !== this.win.parent || event.origin !== this.origin) return;
      const data = event.data;
      if (!data || typeof data !== 'object' || typeof data.type !== 'string') return;
      for (const h of this.handlers) h(data);
    };
    win.addEventListener('message', this.listener);
    this.quizListener = null;
  }

  /// Posts {source, type, ...payload} to the parent. Returns false when there is no known parent.
  send(type, payload = {}) {
    if (!this.origin) return false;
    let message;
    try {
      message = structuredClone({ ...payload, source: SOURCE, type });
    } catch {
      message = JSON.parse(JSON.stringify({ ...payload, source: SOURCE, type }));
    }
    this.win.parent.postMessage(message, this.origin);
    return true;
  }

  /// Calls handler(message) for each message from the parent; returns a function that stops it.
  onMessage(handler) {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /// Forwards every `stateless-lab:quiz-answer` event reaching `target` as a quiz-answer message.
  forwardQuizAnswers(target = this.win.document) {
    if (this.quizListener) return;
    this.quizTarget = target;
    this.quizListener = (e) => this.send('quiz-answer', e.detail && typeof e.detail === 'object' ? e.detail : { answer: e.detail ?? null });
    target.addEventListener('stateless-lab:quiz-answer', this.quizListener);
  }

  /// Sends `resize {height}` now and whenever the page's content height changes, smaller as
  /// well as larger. The height is the root element's box, which follows the content (its
  /// scrollHeight never drops below the frame's own height, so a frame sized by it only grows).
  reportHeight() {
    if (this.resizeObserver) return;
    const root = this.win.document.documentElement;
    let last = 0;
    const report = () => {
      const height = Math.ceil(root.getBoundingClientRect().height);
      if (height !== last) {
        last = height;
        this.send('resize', { height });
      }
    };
    this.resizeObserver = new this.win.ResizeObserver(report);
    this.resizeObserver.observe(root);
    report();
  }

  close() {
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
    this.win.removeEventListener('message', this.listener);
    if (this.quizListener) this.quizTarget.removeEventListener('stateless-lab:quiz-answer', this.quizListener);
    this.handlers.clear();
  }
}
