// Sweeps: one scenario run at several values of one of its fields, on several seeds, each point
// in its own worker (Web Workers in a browser, worker_threads in node), so a page's main thread
// never runs a point. Every point is an ordinary run of the core: its results equal a single
// run of the same scenario.
//
//   const points = await sweep(scenario, { path: 'servers.count', values: [2, 4, 8] }, { seeds: [1, 2] });
//   // [{value: 2, seed: 1, results}, {value: 2, seed: 2, results}, {value: 4, seed: 1, ...}, ...]
import { startModuleWorker } from './module-worker.mjs';
import { LabError } from './stateless-lab.mjs';

/// Most points (values × seeds) one sweep runs: each is a whole run within the core's limits.
export const MAX_SWEEP_POINTS = 200;

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string' &&
  typeof window === 'undefined';

/// Where the worker script is: beside this module (web/lab/sweep-worker.mjs), or beside the
/// site's bundle, where this code then lives: the site build defines SL_SWEEP_WORKER as
/// ./sweep-worker.js, a name every static host serves as JavaScript.
/* global SL_SWEEP_WORKER */
const workerUrl = new URL(typeof SL_SWEEP_WORKER === 'string' ? SL_SWEEP_WORKER : './sweep-worker.mjs', import.meta.url);

function invalid(path, message, got) {
  return new LabError({ path, message, got: got === undefined ? '' : JSON.stringify(got) });
}

/// A deep copy of `scenario` with the field at dotted `path` set to `value`.
export function withValue(scenario, path, value) {
  const copy = JSON.parse(JSON.stringify(scenario));
  const keys = path.split('.');
  let at = copy;
  for (const k of keys.slice(0, -1)) {
    if (at[k] === undefined) at[k] = {};
    if (typeof at[k] !== 'object' || at[k] === null || Array.isArray(at[k])) {
      throw invalid(`sweep.path`, `${k} is not an object in the scenario`, path);
    }
    at = at[k];
  }
  at[keys[keys.length - 1]] = value;
  return copy;
}

/// The points of a sweep, checked: [{value, seed, scenario}].
export function sweepPoints(scenario, axis, { seeds } = {}) {
  const base = typeof scenario === 'string' ? JSON.parse(scenario) : scenario;
  if (!base || typeof base !== 'object' || Array.isArray(base)) throw invalid('scenario', 'must be a JSON object', scenario);
  const { path, values } = axis ?? {};
  if (typeof path !== 'string' || !/^[a-z_]+(\.[a-z_]+)*$/.test(path)) {
    throw invalid('sweep.path', 'must be a dotted field path such as "servers.count"', path);
  }
  if (!Array.isArray(values) || !values.length) throw invalid('sweep.values', 'must be a non-empty array', values);
  const seedList = seeds ?? [base.seed ?? 1];
  if (!Array.isArray(seedList) || !seedList.length || !seedList.every((s) => Number.isSafeInteger(s) && s >= 0)) {
    throw invalid('sweep.seeds', 'must be a non-empty array of whole numbers >= 0', seeds);
  }
  if (values.length * seedList.length > MAX_SWEEP_POINTS) {
    throw invalid('sweep', `at most ${MAX_SWEEP_POINTS} points (values × seeds)`, values.length * seedList.length);
  }
  return values.flatMap((value) => seedList.map((seed) => ({ value, seed, scenario: withValue({ ...base, seed }, path, value) })));
}

async function startWorker() {
  if (isNode) {
    const { Worker } = await import('node:worker_threads');
    const w = new Worker(workerUrl);
    return {
      post: (m) => w.postMessage(m),
      listen: (fn) => { w.on('message', fn); w.on('error', (e) => fn({ error: { message: String(e?.message ?? e) } })); },
      stop: () => w.terminate(),
    };
  }
  const w = startModuleWorker(workerUrl);
  return {
    post: (m) => w.postMessage(m),
    listen: (fn) => { w.onmessage = (e) => fn(e.data); w.onerror = (e) => fn({ error: { message: String(e?.message ?? 'worker failed') } }); },
    stop: () => w.terminate(),
  };
}

/**
 * Runs `scenario` once per value of `axis.path` and per seed, in parallel workers; resolves to
 * [{value, seed, results}] in the order of values, then seeds. Rejects with a LabError naming
 * the point and the field when a point's scenario is invalid, or with an AbortError when
 * `signal` aborts (the workers are stopped at once).
 * @param {object|string} scenario
 * @param {{path: string, values: Array<number|string>}} axis
 * @param {{seeds?: number[], workers?: number, signal?: AbortSignal,
 *          onPoint?: (point: {value, seed, results}, done: number, total: number) => void}} [options]
 */
export async function sweep(scenario, axis, options = {}) {
  const points = sweepPoints(scenario, axis, { seeds: options.seeds });
  const where = (p) => `sweep point ${axis.path} = ${JSON.stringify(p.value)}, seed ${p.seed}`;
  const results = await runPoints(points, { ...options, where });
  return points.map((p, i) => ({ value: p.value, seed: p.seed, results: results[i] }));
}

/**
 * Runs one scenario to its end in a worker, off the page's main thread; resolves to its results.
 * Rejects with the LabError of an invalid scenario, or an AbortError when `signal` aborts.
 */
export async function runInWorker(scenario, { signal } = {}) {
  const [results] = await runPoints([{ scenario }], { workers: 1, signal, where: () => 'scenario' });
  return results;
}

/// Runs [{scenario}] in up to `workers` workers; resolves to their results in order.
async function runPoints(points, { workers, signal, onPoint, where }) {
  const cores = isNode ? (await import('node:os')).availableParallelism?.() ?? 2 : navigator.hardwareConcurrency ?? 2;
  const n = Math.max(1, Math.min(points.length, workers ?? cores, 16));
  const out = new Array(points.length);
  const pool = [];
  let next = 0;
  let done = 0;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error) => {
      if (settled) return;
      settled = true;
      for (const w of pool) w.stop();
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(out);
    };
    const onAbort = () => finish(new DOMException('the run was cancelled', 'AbortError'));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort);
    const feed = (w) => {
      if (next >= points.length) return;
      const i = next++;
      w.post({ id: i, scenario: points[i].scenario });
    };
    const onMessage = (w, m) => {
      if (settled) return;
      if (m.error) {
        const at = m.id === undefined ? 'worker' : where(points[m.id]);
        finish(new LabError({ path: m.error.path ? `${at}: ${m.error.path}` : at, message: m.error.message, got: m.error.got ?? '' }));
        return;
      }
      out[m.id] = m.results;
      done += 1;
      onPoint?.({ ...points[m.id], results: m.results }, done, points.length);
      if (done === points.length) finish(null);
      else feed(w);
    };
    const start = async () => {
      for (let k = 0; k < n; ++k) {
        const w = await startWorker();
        if (settled) { w.stop(); return; }
        pool.push(w);
        w.listen((m) => onMessage(w, m));
        feed(w);
      }
    };
    start().catch((e) => finish(e));
  });
}
