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

import { theoryApi } from './theory.mjs';
import { LabError, MAX_INPUT_BYTES, checkTime, failure, jsonText, notJson, tooLarge, wellFormed } from './lab-input.mjs';
import coreVocabulary from './core/vocabulary.mjs';

/**
 * The core's name tables (wasm/vocabulary.h), written beside the core by the build: policies,
 * session modes, actions, trace kinds, outcomes, reasons and the stream model's names, each a
 * frozen list indexed by the core's number for it, and the core's words and rules per name
 * (sessionModeTraits: where sessions live, what a request carries, what the views say).
 * Every list of names under web/ comes from here (or from lab.vocabulary, the same tables read
 * from a loaded core), and so does every word or rule that differs by session mode.
 */
export const VOCABULARY = coreVocabulary;

/** {NAME: index} of a table: the constants below, named as the core names them. */
const numbered = (names) => Object.freeze(Object.fromEntries(names.map((n, i) => [n.toUpperCase(), i])));

/** Trace node ids; servers are 0..n-1. */
export const Node = Object.freeze({ USERS: -1, BALANCER: -2, STORE: -3 });
/** What a trace event shows (trace().kind): DISPATCH, TO_STORE, ... */
export const Kind = numbered(VOCABULARY.traceKinds);
/** How a request is faring (trace().outcome): OK, MISS, FAILED, REJECTED, DENIED. */
export const Outcome = numbered(VOCABULARY.outcomes);
/** Bits of trace().flags. WARM: the request arrived after warmup_s. */
export const Flag = Object.freeze({ TOKEN: 1, REVOKED: 2, WARM: 4 });
/** trace().detail of REJECTED and FAILED events: NO_SERVER, QUEUE_FULL, ... (NONE is 0). */
export const Reason = numbered(VOCABULARY.reasons);
/** trace().detail of ACTION events indexes this list. */
export const ACTIONS = VOCABULARY.actions;

/** Stream model: what a trace event shows (StreamTrace.kind): ARRIVE, PROCESS, ... */
export const StreamKind = numbered(VOCABULARY.streamTraceKinds);
/** Stream model: bits of StreamTrace.flags. */
export const StreamFlag = Object.freeze({ FILTERED: 1, REPLAYED: 2, LOST_STATE: 4, REPEAT: 8, DUPLICATE: 16, DEDUPLICATED: 32 });

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

export { LabError, MAX_INPUT_BYTES } from './lab-input.mjs';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Deletes core objects whose wrapper was garbage-collected without delete(). */
const orphans = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry(({ handle, state }) => {
    // A stopped core cannot run destructors; its memory is gone with it.
    if (state.aborted || handle.isDeleted()) return;
    try { handle.delete(); } catch { /* the core stopped meanwhile */ }
  })
  : null;

const CORE = Symbol('core');
const STATE = Symbol('state');
const GUARDED = Symbol('guarded');

/** The error for a call that stopped the module, and for any call into it after that. */
function stopped(state) {
  const message = `the WebAssembly core stopped (${state.aborted}): out of memory or a fault; ` +
    'the simulations it held are lost, the next call uses a fresh core';
  return new LabError({ path: '$', message, coreStopped: true });
}

/**
 * Calls into the core. Anything thrown out of the module (an abort when memory runs out, a
 * trap, a stack overflow) leaves its memory in an unknown state: the instance is marked
 * stopped, its owner is told (state.onStop, which loads a fresh one), and the caller gets a
 * LabError instead of a RuntimeError.
 */
function guard(state, fn) {
  if (state.aborted) throw stopped(state);
  try {
    return fn();
  } catch (e) {
    // "Aborted(). Build with -s ASSERTIONS=1 for more info." says nothing to a user of the lab.
    state.aborted ??= String((e && e.message) || e || 'abort').replace(/\.? *Build with .*$/s, '') || 'abort';
    const onStop = state.onStop;
    state.onStop = null;
    onStop?.();
    throw stopped(state);
  }
}

/** A view of a core object whose methods run under guard(). */
function guarded(target, state) {
  return new Proxy(target, {
    get(t, key) {
      const v = t[key];
      return typeof v === 'function' ? (...args) => guard(state, () => v.apply(t, args)) : v;
    },
  });
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
    this[GUARDED] = guarded(handle, state);
    orphans?.register(this, { handle, state }, this);
  }

  /** @internal The core object; throws once deleted or once the module stopped. */
  get _core() {
    if (!this[CORE]) throw new Error('this simulation was deleted');
    if (this[STATE].aborted) throw stopped(this[STATE]);
    return this[GUARDED];
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
    const big = tooLarge(text);
    if (big) return big;
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
  /**
   * Whether requests go to the session store under the session mode in force now (the core's
   * rule: shared_store, or token with a deny list). A view draws the store only then.
   */
  get usesStore() { return this._core.usesStore(); }

  /**
   * Applies an action now. The answer to an add_server says which server it started: the core
   * revives a dead server's slot before it grows the pool, so it is not always the last one.
   */
  apply(action) {
    const answer = super.apply(action);
    if (!answer.ok) return answer;
    const added = this._core.addedServer();
    return added >= 0 ? { ok: true, server: added } : answer;
  }

  /**
   * The per-interval series so far; with `from`, only the points from that index on, at most
   * `count` of them (a view fetches what is new, in bounded pieces).
   */
  series(from, count) {
    if (from === undefined && count === undefined) return JSON.parse(this._core.series());
    return JSON.parse(this._core.seriesPart(Number(from) || 0, count === undefined ? 1e15 : Number(count) || 0));
  }

  /** results() without `series`: cheap enough to refresh several times a second. */
  summary() { return JSON.parse(this._core.summary()); }

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
  #load;
  #ready;
  #list = null;
  #theory = null;
  #vocabulary = null;

  /** @internal Use loadLab(). `load` makes a fresh instance: {module, state}. */
  constructor({ module, state }, load) {
    this.#load = load;
    this.#ready = Promise.resolve(this);
    this.#use(module, state);
  }

  #use(module, state) {
    this.#module = module;
    this.#state = state;
    // When a call stops this instance, load a fresh one for the calls after it.
    state.onStop = () => this.#restart();
  }

  #restart() {
    this.#ready = this.#load().then((fresh) => {
      this.#use(fresh.module, fresh.state);
      return this;
    });
    // A failed reload is reported by the next call (and by `ready`), not as an unhandled rejection.
    this.#ready.catch(() => {});
  }

  /**
   * Resolves to this Lab once it can be used: at once, or after the fresh core it loads
   * when a call stopped the last one (see LabError.coreStopped).
   * @returns {Promise<Lab>}
   */
  get ready() { return this.#ready; }

  /** Runs fn(module) under guard(): a fault stops only this instance and reloads it. */
  #call(fn) {
    const module = this.#module;
    return guard(this.#state, () => fn(module));
  }

  /**
   * The analytic theory of the core (queueing, scaling laws, remap shares, the lessons'
   * expectations): synchronous functions, null where there is no answer. See ./theory.mjs.
   */
  get theory() {
    this.#theory ??= theoryApi((fn) => this.#call(fn));
    return this.#theory;
  }

  /**
   * The names this core accepts and reports (policies, sessionModes, actions, reasons ...) and
   * what it says of them (stickyPolicies, sessionModeTraits): frozen all through, equal to
   * VOCABULARY.
   */
  get vocabulary() {
    if (!this.#vocabulary) {
      const freeze = (v) => {
        if (v && typeof v === 'object') for (const x of Object.values(v)) freeze(x);
        return Object.freeze(v);
      };
      this.#vocabulary = freeze(JSON.parse(this.#call((m) => m.vocabulary())));
    }
    return this.#vocabulary;
  }

  /** @internal For tests: the raw module of the current instance. */
  get _module() { return this.#module; }

  /** Registered scenarios: [{name, kind, title, description}] (copies), kind 'cluster' or 'stream'. */
  scenarios() {
    this.#list ??= JSON.parse(this.#call((m) => m.scenarioList()));
    return this.#list.map((s) => ({ ...s }));
  }

  /**
   * A registered scenario's JSON text. Throws LabError if no scenario has this name.
   * @param {string} name
   */
  scenarioText(name) {
    const text = typeof name === 'string' ? this.#call((m) => m.scenarioText(wellFormed(name))) : null;
    if (text === null) {
      const got = JSON.stringify(String(name));
      throw new LabError({ path: 'name', message: 'no registered scenario has this name', got });
    }
    return text;
  }

  /**
   * Runs `scenario` once per value of the field at `axis.path` and per seed, each run in a
   * worker (never on this thread); resolves to [{value, seed, results}]. See sweep.mjs.
   * @param {object|string} scenario
   * @param {{path: string, values: Array<number|string>}} axis
   * @param {{seeds?: number[], workers?: number, signal?: AbortSignal, onPoint?: Function}} [options]
   */
  async sweep(scenario, axis, options) {
    const { sweep } = await import('./sweep.mjs');
    return sweep(scenario, axis, options);
  }

  /**
   * Validates a scenario (either model) without running it.
   * @param {object|string} scenario JSON text or an object
   */
  validate(scenario) {
    const text = jsonText(scenario);
    if (text === null) return notJson(scenario);
    const big = tooLarge(text);
    if (big) return big;
    const error = this.#call((m) => m.validate(text));
    return error ? failure(error) : { ok: true };
  }

  /**
   * The scenario (either model) with every default filled in, as a new object: what the core
   * runs, field by field. Running it gives the same results as running `scenario`, and
   * normalizing it again gives it back unchanged. Throws LabError if the scenario is invalid.
   * @param {object|string} scenario JSON text or an object
   * @returns {object}
   */
  normalize(scenario) {
    const text = jsonText(scenario);
    if (text === null) throw new LabError(notJson(scenario));
    const big = tooLarge(text);
    if (big) throw new LabError(big);
    const out = JSON.parse(this.#call((m) => m.normalizeScenario(text)));
    if (out.error) throw new LabError(failure(JSON.stringify(out.error)));
    return out.scenario;
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
    const big = tooLarge(text);
    if (big) throw new LabError(big);
    if (typeof traceLimit !== 'number' || !(traceLimit >= 0)) {
      throw new RangeError(`traceLimit must be a number >= 0 (got ${String(traceLimit)})`);
    }
    const state = this.#state;
    const limit = Math.min(Math.floor(traceLimit), MAX_TRACE_LIMIT);
    const { stream, handle } = this.#call((m) => {
      const isStream = m.scenarioKind(text) === 'stream';
      const Class = isStream ? m.StreamSimulation : m.ClusterSimulation;
      return { stream: isStream, handle: new Class(text, Boolean(trace), limit) };
    });
    const error = this.#call(() => (handle.ok() ? '' : handle.error()));
    if (error) {
      this.#call(() => handle.delete());
      throw new LabError(failure(error));
    }
    return stream ? new StreamSimulation(handle, state) : new Simulation(handle, state);
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
        // One byte past the limit is enough for the core to refuse it; a huge file is never
        // copied into WebAssembly memory whole.
        const cap = (bytes) => (bytes.length > MAX_INPUT_BYTES + 1 ? bytes.subarray(0, MAX_INPUT_BYTES + 1) : bytes);
        if (typeof data === 'string') return cap(encoder.encode(data));
        if (data instanceof Uint8Array) return cap(data);
        if (data instanceof ArrayBuffer) return cap(new Uint8Array(data));
        if (ArrayBuffer.isView(data)) return cap(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        return null;
      } catch {
        return null;
      }
    };
    const argv = args.map((a) => wellFormed(String(a)));
    const r = this.#call((m) => m.runCli(argv, reader));
    if (encoding === 'bytes') return { stdout: r.stdout, stderr: r.stderr, code: r.code };
    return { stdout: decoder.decode(r.stdout), stderr: decoder.decode(r.stderr), code: r.code };
  }

  /** @internal For tests: core objects alive now, and embind value handles in use. */
  liveObjects() {
    return this.#call((m) => ({ simulations: m.liveSimulations(), handles: m.count_emval_handles() }));
  }

  /** @internal For tests: WebAssembly memory size and bytes allocated in it. */
  memory() {
    return this.#call((m) => ({ memoryBytes: m.memoryBytes(), heapInUse: m.heapInUse() }));
  }
}

let defaultLab = null;

/** Most trace events kept per step (traceLimit is clamped to it): about 40 MB of trace. */
export const MAX_TRACE_LIMIT = 1e6;

/** A fresh instance of the core: {module, state}. */
async function instantiate(options) {
  let factory;
  try {
    ({ default: factory } = await import('./core/stateless-lab-core.mjs'));
  } catch (e) {
    throw new Error('the WebAssembly core could not be loaded (is it built? ' +
                    'cmake --preset wasm && cmake --build --preset wasm): ' + e.message);
  }
  // After an abort nothing in the instance can be trusted: every later call into it throws.
  const state = { aborted: null, onStop: null };
  const settings = {
    // The reason, when the runtime gives one (else the error thrown says it, see guard()).
    onAbort: (what) => { if (what) state.aborted ??= String(what); },
    // The core prints nothing; what the runtime prints when it aborts becomes the LabError.
    printErr: () => {},
  };
  if (options?.wasmBinary) settings.wasmBinary = options.wasmBinary;
  if (options?.locateFile) settings.locateFile = options.locateFile;
  let failed = null;
  if (!settings.wasmBinary && typeof WebAssembly.compileStreaming === 'function' && !isNodeRuntime) {
    // Browsers: every instance of a page (one per widget) shares one fetch and one compile of
    // the .wasm; each still gets its own memory.
    const located = options?.locateFile ?? ((path, dir) => dir + path);
    let url = null;
    settings.locateFile = (path, dir) => (url = located(path, dir));
    failed = new Promise((_, fail) => {
      settings.instantiateWasm = (imports, receive) => {
        compiledCores[url] ??= WebAssembly.compileStreaming(fetch(url, { credentials: 'same-origin' }));
        compiledCores[url]
          .then((mod) => WebAssembly.instantiate(mod, imports).then((instance) => receive(instance, mod)))
          .catch((e) => { delete compiledCores[url]; fail(e); });
        return {};  // the instance arrives through receive()
      };
    });
  }
  const module = await (failed ? Promise.race([factory(settings), failed]) : factory(settings));
  return { module, state };
}

/// Compiled cores by URL, shared by the instances of a page.
const compiledCores = Object.create(null);
const isNodeRuntime = typeof process === 'object' && typeof process.versions?.node === 'string';

/**
 * Loads the WebAssembly module (once: later calls return the same Lab).
 * Options are for unusual hosting: wasmBinary (the .wasm bytes) or locateFile(name) -> URL of
 * the .wasm; passing any loads a separate instance. isolated: true also loads a separate
 * instance, with its own memory: a page with several simulators gives each its own, so that
 * one running out of memory never stops the others.
 * Whatever the options, a Lab whose core stops (LabError.coreStopped) loads a fresh one.
 * @param {{wasmBinary?: ArrayBuffer|Uint8Array, locateFile?: (name: string) => string, isolated?: boolean}} [options]
 * @returns {Promise<Lab>}
 */
export function loadLab(options) {
  const custom = options && (options.wasmBinary || options.locateFile || options.isolated);
  if (!custom && defaultLab) return defaultLab;
  const load = () => instantiate(options);
  const loading = load().then((first) => new Lab(first, load));
  if (!custom) {
    defaultLab = loading;
    loading.catch(() => { if (defaultLab === loading) defaultLab = null; });
  }
  return loading;
}
