// The JavaScript API of Stateless Lab: a thin wrapper over the WebAssembly core
// (./core/stateless-lab-core.mjs, built from wasm/bindings.cpp) that gives JS-style names,
// turns errors into values or LabError, copies bulk data out of WebAssembly memory as typed
// arrays, and owns .delete() of every object the core creates. Works in browsers, workers and
// node 20 alike. Types: ./stateless-lab.d.ts.
//
//   import { loadLab } from './lab/stateless-lab.mjs';
//   const lab = await loadLab();
//   const sim = lab.create(lab.scenarioText('sticky-crash'), { trace: true });
//   sim.step(1 / 60);  const t = sim.trace();  ...  sim.delete();

/** Trace node ids; servers are 0..n-1. */
export const Node = Object.freeze({ USERS: -1, BALANCER: -2, STORE: -3 });
/** What a trace event shows (trace().kind). */
export const Kind = Object.freeze({
  DISPATCH: 0, TO_STORE: 1, FROM_STORE: 2, RESPOND: 3, DONE: 4, REJECTED: 5, FAILED: 6,
  ACTION: 7, ARRIVE: 8,
});
/** How a request is faring (trace().outcome). */
export const Outcome = Object.freeze({ OK: 0, MISS: 1, FAILED: 2, REJECTED: 3, DENIED: 4 });
/** Bits of trace().flags. WARM: the request arrived after warmup_s. */
export const Flag = Object.freeze({ TOKEN: 1, REVOKED: 2, WARM: 4 });
/** trace().detail of REJECTED and FAILED events. */
export const Reason = Object.freeze({
  NO_SERVER: 1, QUEUE_FULL: 2, SERVER_DIED: 3, STORE_DOWN: 4, STORE_FULL: 5, REVOKED: 6,
});
/** trace().detail of ACTION events indexes this list. */
export const ACTIONS = Object.freeze([
  'kill_server', 'restart_server', 'add_server', 'remove_server', 'store_down', 'store_up',
  'revoke_user', 'set_rate', 'set_policy', 'set_session_mode',
]);

/** Stream model: what a trace event shows (StreamTrace.kind). */
export const StreamKind = Object.freeze({
  ARRIVE: 0, PROCESS: 1, WINDOW: 2, CHECKPOINT: 3, CRASH: 4, RESTART: 5, ASSIGN: 6, REPLAY: 7,
});
/** Stream model: bits of StreamTrace.flags. */
export const StreamFlag = Object.freeze({ FILTERED: 1, REPLAYED: 2, LOST_STATE: 4, REPEAT: 8 });

/** Column order of ClusterSimulation.traceColumn() in wasm/bindings.cpp. */
const TRACE_FIELDS = ['request', 'user', 'from', 'to', 'kind', 'outcome', 'flags', 'detail', 't0', 't1'];
/** Column order of StreamSimulation.traceColumn() in wasm/bindings.cpp. */
const STREAM_TRACE_FIELDS = ['kind', 'worker', 'partition', 'key', 'seq', 'value', 'detail', 'flags', 't0', 't1'];
/** Field order of servers(), workers() and partitions() in wasm/bindings.cpp. */
const SERVER_FIELDS = ['id', 'alive', 'inRotation', 'draining', 'busy', 'queued', 'sessions', 'handled'];
const WORKER_FIELDS = ['id', 'alive', 'busy', 'paused', 'partitions', 'stateEntries', 'processed'];
const PARTITION_FIELDS = ['id', 'owner', 'home', 'logEnd', 'position', 'checkpoint', 'backlog', 'stateEntries'];
/** Fields that are booleans (sent as 0/1). */
const SERVER_FLAGS = new Set(['alive', 'inRotation', 'draining']);
const WORKER_FLAGS = new Set(['alive', 'busy', 'paused']);
const NO_FLAGS = new Set();

/** Objects from a flat Float64Array of records; fields in `flags` become booleans. */
function records(flat, fields, flags) {
  const n = fields.length;
  const list = [];
  for (let i = 0; i + n <= flat.length; i += n) {
    const o = {};
    for (let f = 0; f < n; ++f) o[fields[f]] = flags.has(fields[f]) ? flat[i + f] !== 0 : flat[i + f];
    list.push(o);
  }
  return list;
}

/**
 * Invalid input: a scenario or an action that does not validate.
 * `path` is the JSON path of the offending value (`$.servers.count`), `message` what is wrong,
 * `got` the offending value as JSON text ('' if absent) and `text` the whole line the CLI
 * prints after `error: `.
 */
export class LabError extends Error {
  /** @param {{path: string, message: string, got?: string, text?: string}} e */
  constructor({ path, message, got = '', text }) {
    super(message);
    this.name = 'LabError';
    /** @type {string} */ this.path = path;
    /** @type {string} */ this.got = got;
    /** @type {string} */ this.text = text ?? `${path}: ${message}${got ? ` (got ${got})` : ''}`;
  }
  toString() { return `${this.name}: ${this.text}`; }
}

/** {ok:false, ...} from the core's error JSON. */
function failure(errorJson) {
  const e = JSON.parse(errorJson);
  return { ok: false, path: e.path, message: e.message, got: e.got, text: e.text };
}

/** The string with lone surrogates replaced by U+FFFD, as UTF-8 encoders (and so files
 *  written from JS) do: the core then sees exactly the bytes a file would hold. */
function wellFormed(text) {
  return typeof text.toWellFormed === 'function' ? text.toWellFormed()
    : text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** A scenario or action as JSON text, or null if it cannot be one. */
function jsonText(input) {
  if (typeof input === 'string') return wellFormed(input);
  if (input !== null && typeof input === 'object') {
    try {
      const text = JSON.stringify(input);  // escapes lone surrogates itself
      if (typeof text === 'string') return text;
    } catch { /* cycles, BigInt: reported by the caller */ }
  }
  return null;
}

function notJson(input) {
  const got = input === undefined ? 'undefined' : typeof input === 'bigint' ? String(input)
    : (() => { try { return JSON.stringify(input) ?? String(input); } catch { return String(input); } })();
  return { ok: false, path: '$', message: 'must be JSON text or an object that JSON.stringify accepts',
           got, text: `$: must be JSON text or an object that JSON.stringify accepts (got ${got})` };
}

function checkTime(name, value) {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${name} must be a number of seconds (got ${String(value)})`);
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Deletes core objects whose wrapper was garbage-collected without delete(). */
const orphans = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry((handle) => { if (!handle.isDeleted()) handle.delete(); })
  : null;

const CORE = Symbol('core');
const STATE = Symbol('state');

/** The error for any call after the module stopped (it aborted: out of memory, or a bug). */
function stopped(state) {
  return new Error(`the WebAssembly core stopped (${state.aborted}); load a new one with loadLab()`);
}

/**
 * What both models share. Create simulations with lab.create(); call delete() when done (the
 * WebAssembly memory they hold is not garbage-collected). Times are simulated seconds.
 */
class Model {
  /** @internal Use lab.create(). */
  constructor(handle, state) {
    this[CORE] = handle;
    this[STATE] = state;
    orphans?.register(this, handle, this);
  }

  /** @internal The core object; throws once deleted or once the module stopped. */
  get _core() {
    const core = this[CORE];
    if (!core) throw new Error('this simulation was deleted');
    if (this[STATE].aborted) throw stopped(this[STATE]);
    return core;
  }

  /** Simulated time now, seconds. */
  get now() { return this._core.now(); }
  /** Simulated time at which the run ends (duration_s), seconds. */
  get end() { return this._core.end(); }
  /** True once now has reached end. */
  get finished() { return this._core.finished(); }
  /** True after delete(). */
  get deleted() { return this[CORE] === null; }

  /**
   * Advances simulated time by dtSeconds (stopping at the end); the trace then holds this
   * step's events. Zero or negative steps only clear the trace.
   * @param {number} dtSeconds
   */
  step(dtSeconds) {
    checkTime('dtSeconds', dtSeconds);
    this._core.step(dtSeconds);
  }

  /**
   * Advances simulated time to tSeconds (clamped to [now, end]).
   * @param {number} tSeconds
   */
  runUntil(tSeconds) {
    checkTime('tSeconds', tSeconds);
    this._core.runUntil(tSeconds);
  }

  /** Runs to the end. */
  run() { this._core.runUntil(Infinity); }

  /**
   * Goes to time tSeconds (clamped to [0, end]), backwards or forwards: replays from the start
   * with the same seed and the live actions applied before tSeconds. Live actions after it
   * are forgotten, as on a video timeline. The trace is empty afterwards.
   * @param {number} tSeconds
   */
  seek(tSeconds) {
    checkTime('tSeconds', tSeconds);
    this._core.seek(tSeconds);
  }

  /**
   * Applies an action now, e.g. {do: 'kill_server', server: 2} (at_s is not needed).
   * @param {object|string} action
   * @returns {{ok: true} | {ok: false, path: string, message: string, got: string, text: string}}
   */
  apply(action) {
    const core = this._core;
    const text = jsonText(action);
    if (text === null) return notJson(action);
    const error = core.apply(text);
    return error ? failure(error) : { ok: true };
  }

  /** The results so far (the results JSON of `stateless-lab run`). */
  results() { return JSON.parse(this._core.results()); }

  /** @internal The trace columns, copied out of WebAssembly memory. */
  _trace(fields) {
    const core = this._core;
    const out = { count: core.traceCount(), dropped: core.traceDropped() };
    // Each view aliases WebAssembly memory; slice() copies it before anything can move it.
    for (let i = 0; i < fields.length; ++i) out[fields[i]] = core.traceColumn(i).slice();
    return out;
  }

  /** Frees the simulation's WebAssembly memory. Safe to call twice; the object is unusable after. */
  delete() {
    const core = this[CORE];
    if (!core) return;
    orphans?.unregister(this);
    if (!this[STATE].aborted) core.delete();
    this[CORE] = null;
  }
}
if (typeof Symbol.dispose === 'symbol') Model.prototype[Symbol.dispose] = Model.prototype.delete;

/** A running cluster simulation (users, balancer, servers, session store, tokens). */
export class Simulation extends Model {
  /** The scenario kind: 'cluster'. */
  get kind() { return 'cluster'; }
  /** The balancer policy in force now, e.g. 'round_robin'. */
  get policy() { return this._core.policy(); }
  /** The session mode in force now, e.g. 'server_memory'. */
  get sessionMode() { return this._core.sessionMode(); }
  /** The arrival rate in force now, requests per second. */
  get rate() { return this._core.rate(); }

  /** The per-interval series so far. */
  series() { return JSON.parse(this._core.series()); }

  /**
   * The events of the last step or runUntil, as parallel typed arrays (copies; times in
   * seconds): request, user, from, to, kind, outcome, flags, detail, t0, t1. `dropped` counts
   * events past traceLimit. Empty unless created with trace: true.
   */
  trace() { return this._trace(TRACE_FIELDS); }

  /** Every server's state now, by id: {id, alive, inRotation, draining, busy, queued, sessions, handled}. */
  servers() { return records(this._core.servers(), SERVER_FIELDS, SERVER_FLAGS); }

  /** The session store's state now: {up, busy, queued, sessions, lookups}. */
  store() {
    const v = this._core.store();
    return { up: v[0] !== 0, busy: v[1], queued: v[2], sessions: v[3], lookups: v[4] };
  }
}

/** A running stream simulation (scenario "kind": "stream"): partitions, workers, a pipeline. */
export class StreamSimulation extends Model {
  /** The scenario kind: 'stream'. */
  get kind() { return 'stream'; }

  /** The per-interval series so far. */
  series() { return this.results().series; }

  /**
   * The events of the last step or runUntil, as parallel typed arrays (copies; times in
   * seconds): kind (StreamKind), worker, partition, key, seq, value, detail, flags
   * (StreamFlag), t0, t1. Empty unless created with trace: true.
   */
  trace() { return this._trace(STREAM_TRACE_FIELDS); }

  /** Every worker now: {id, alive, busy, paused, partitions, stateEntries, processed}. */
  workers() { return records(this._core.workers(), WORKER_FIELDS, WORKER_FLAGS); }

  /** Every partition now: {id, owner, home, logEnd, position, checkpoint, backlog, stateEntries}. */
  partitions() { return records(this._core.partitions(), PARTITION_FIELDS, NO_FLAGS); }

  /** Windows whose open state a crash destroyed: [{op, key, window}] (window start = window * window_s). */
  lostWindows() { return records(this._core.lostWindows(), ['op', 'key', 'window'], NO_FLAGS); }
}

/** The loaded module. Get it with loadLab(). */
export class Lab {
  #module;
  #state;
  #list = null;

  /** @internal Use loadLab(). */
  constructor(module, state) {
    this.#module = module;
    this.#state = state;
  }

  /** The module, unless it stopped. */
  get #core() {
    if (this.#state.aborted) throw stopped(this.#state);
    return this.#module;
  }

  /** Registered scenarios: [{name, kind, title, description}] (copies), kind 'cluster' or 'stream'. */
  scenarios() {
    this.#list ??= JSON.parse(this.#core.scenarioList());
    return this.#list.map((s) => ({ ...s }));
  }

  /**
   * A registered scenario's JSON text. Throws LabError if no scenario has this name.
   * @param {string} name
   */
  scenarioText(name) {
    const text = typeof name === 'string' ? this.#core.scenarioText(wellFormed(name)) : null;
    if (text === null) {
      const got = JSON.stringify(String(name));
      throw new LabError({ path: 'name', message: 'no registered scenario has this name', got });
    }
    return text;
  }

  /**
   * Validates a scenario (either model) without running it.
   * @param {object|string} scenario JSON text or an object
   */
  validate(scenario) {
    const text = jsonText(scenario);
    if (text === null) return notJson(scenario);
    const error = this.#core.validate(text);
    return error ? failure(error) : { ok: true };
  }

  /**
   * Creates a simulation at time 0: a StreamSimulation if the scenario says "kind": "stream",
   * else a (cluster) Simulation. Throws LabError if the scenario is invalid.
   * @param {object|string} scenario JSON text or an object
   * @param {{trace?: boolean, traceLimit?: number}} [options] trace: keep each step's events
   *   (default false); traceLimit: most events kept per step (default 20000).
   */
  create(scenario, { trace = false, traceLimit = 20000 } = {}) {
    const text = jsonText(scenario);
    if (text === null) throw new LabError(notJson(scenario));
    if (typeof traceLimit !== 'number' || !(traceLimit >= 0)) {
      throw new RangeError(`traceLimit must be a number >= 0 (got ${String(traceLimit)})`);
    }
    const stream = this.#core.scenarioKind(text) === 'stream';
    const Class = stream ? this.#core.StreamSimulation : this.#core.ClusterSimulation;
    const handle = new Class(text, Boolean(trace), Math.min(Math.floor(traceLimit), 1e7));
    if (!handle.ok()) {
      const error = failure(handle.error());
      handle.delete();
      throw new LabError(error);
    }
    return stream ? new StreamSimulation(handle, this.#state) : new Simulation(handle, this.#state);
  }

  /**
   * Runs the command line of the native CLI (`stateless-lab run scenario.json`, `validate`,
   * `list` ...) and returns what it would print and its exit code. `readFile(path)` returns the
   * file's contents (string or Uint8Array) or null if it cannot be read; it is called
   * synchronously. With {encoding: 'bytes'} stdout and stderr are Uint8Arrays, byte for byte.
   * @param {string[]} args arguments without the program name, e.g. ['run', 'a.json']
   * @param {(path: string) => (string|Uint8Array|ArrayBuffer|null|undefined)} [readFile]
   * @param {{encoding?: 'utf8'|'bytes'}} [options]
   */
  runCli(args, readFile = () => null, { encoding = 'utf8' } = {}) {
    if (!Array.isArray(args)) throw new TypeError('args must be an array of strings');
    const reader = (path) => {
      // A throw must not unwind through C++ frames: every failure becomes "cannot read".
      try {
        const data = readFile(path);
        if (typeof data === 'string') return encoder.encode(data);
        if (data instanceof Uint8Array) return data;
        if (data instanceof ArrayBuffer) return new Uint8Array(data);
        if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
        return null;
      } catch {
        return null;
      }
    };
    const r = this.#core.runCli(args.map((a) => wellFormed(String(a))), reader);
    if (encoding === 'bytes') return { stdout: r.stdout, stderr: r.stderr, code: r.code };
    return { stdout: decoder.decode(r.stdout), stderr: decoder.decode(r.stderr), code: r.code };
  }

  /** @internal For tests: core objects alive now, and embind value handles in use. */
  liveObjects() {
    return { simulations: this.#core.liveSimulations(), handles: this.#core.count_emval_handles() };
  }

  /** @internal For tests: WebAssembly memory size and bytes allocated in it. */
  memory() {
    return { memoryBytes: this.#core.memoryBytes(), heapInUse: this.#core.heapInUse() };
  }
}

let defaultLab = null;

/**
 * Loads the WebAssembly module (once: later calls return the same Lab).
 * Options are for unusual hosting: wasmBinary (the .wasm bytes) or locateFile(name) -> URL of
 * the .wasm; passing any loads a separate instance.
 * @param {{wasmBinary?: ArrayBuffer|Uint8Array, locateFile?: (name: string) => string}} [options]
 * @returns {Promise<Lab>}
 */
export function loadLab(options) {
  const custom = options && (options.wasmBinary || options.locateFile);
  if (!custom && defaultLab) return defaultLab;
  const loading = (async () => {
    let factory;
    try {
      ({ default: factory } = await import('./core/stateless-lab-core.mjs'));
    } catch (e) {
      throw new Error('the WebAssembly core could not be loaded (is it built? ' +
                      'cmake --preset wasm && cmake --build --preset wasm): ' + e.message);
    }
    // After an abort nothing in the module can be trusted: every later call throws, and the
    // next loadLab() starts a fresh instance.
    const state = { aborted: null };
    const settings = {
      onAbort: (what) => {
        state.aborted = String(what || 'abort');
        if (defaultLab === loading) defaultLab = null;
      },
    };
    if (custom) {
      if (options.wasmBinary) settings.wasmBinary = options.wasmBinary;
      if (options.locateFile) settings.locateFile = options.locateFile;
    }
    return new Lab(await factory(settings), state);
  })();
  if (!custom) {
    defaultLab = loading;
    loading.catch(() => { if (defaultLab === loading) defaultLab = null; });
  }
  return loading;
}
