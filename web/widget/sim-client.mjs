// The player's side of the simulation protocol (sim-host.mjs): requests go to a module worker
// when one can start, else to the same host running in the page, whose long jobs then run in
// slices between tasks. Either way a request resolves to the host's reply.
//
//   const client = await SimClient.start();          // worker, or in the page
//   await client.request({ op: 'open', run: 'a', scenario });
//   const { snapshot } = await client.request({ op: 'frame', run: 'a', dt: 1 / 60, numbers: true });
import { startModuleWorker } from '../lab/module-worker.mjs';
import { SimHost } from './sim-host.mjs';

/// Where the worker script is: beside this module, or beside the site's bundle, where this code
/// then lives: the site build defines SL_SIM_WORKER as ./sim-worker.js.
/* global SL_SIM_WORKER */
const workerUrl = () => new URL(typeof SL_SIM_WORKER === 'string' ? SL_SIM_WORKER : './sim-worker.mjs', import.meta.url);

/// A worker that has not said hello by then is taken as unable to start.
const HELLO_MS = 5000;

export class SimClient {
  #send;
  #pending = new Map();
  #ids = 0;
  #close;

  /// Resolves to a client on a worker, or, when none can start, on a host in this page.
  /// options: {worker: false} keeps it in the page; url: the worker script (default: see
  /// above); loadLab: () => lab promise (in the page).
  static async start({ worker = true, url = null, loadLab = null } = {}) {
    if (worker) {
      const port = await startWorker(url ?? workerUrl());
      if (port) return new SimClient(port);
    }
    const load = loadLab ?? (() => import('../lab/stateless-lab.mjs').then((m) => m.loadLab({ isolated: true })));
    return new SimClient(inPage((progress) => new SimHost(load(), { progress })));
  }

  /// Whether requests go to a worker (false: to a host in this page).
  get inWorker() { return this.#inWorker; }
  #inWorker;

  constructor(port) {
    this.#inWorker = port.worker;
    this.#send = port.send;
    this.#close = port.close;
    port.listen((reply) => {
      const p = this.#pending.get(reply.id);
      if (!p) return;
      // A long job's progress comes before its reply ({id, progress}).
      if ('progress' in reply) {
        p.onProgress?.(reply.progress);
        return;
      }
      this.#pending.delete(reply.id);
      p.answer(reply);
    });
  }

  /// Sends a request ({op, ...}); resolves to the host's reply. Its id (for a cancel) is
  /// given to onId before it is sent; onProgress(fraction) hears how far a long job has got.
  request(msg, onId = null, onProgress = null) {
    const id = ++this.#ids;
    onId?.(id);
    return new Promise((answer) => {
      this.#pending.set(id, { answer, onProgress });
      this.#send({ ...msg, id });
    });
  }

  /// Stops the worker (or the host in the page); pending requests resolve to {closed: true}.
  close() {
    const pending = [...this.#pending.entries()];
    this.#pending.clear();
    this.#close();
    for (const [id, { answer }] of pending) answer({ id, closed: true });
  }
}

/// A module worker running sim-worker.mjs, once it has said hello; null if none can start.
async function startWorker(url) {
  const isNode = typeof process === 'object' && typeof process.versions?.node === 'string' && typeof window === 'undefined';
  let w;
  try {
    if (isNode) {
      const { Worker } = await import('node:worker_threads');
      w = new Worker(url);
    } else {
      if (typeof Worker !== 'function') return null;
      w = startModuleWorker(url);
    }
  } catch {
    return null;  // a policy that forbids workers
  }
  const listeners = [];
  const on = (fn) => listeners.push(fn);
  const deliver = (m) => { for (const fn of listeners) fn(m); };
  if (isNode) w.on('message', deliver);
  else w.onmessage = (e) => deliver(e.data);
  const hello = await new Promise((ok) => {
    const timer = setTimeout(() => ok(false), HELLO_MS);
    const done = (v) => { clearTimeout(timer); ok(v); };
    on((m) => { if (m?.hello) done(true); });
    if (isNode) w.on('error', () => done(false));
    else w.onerror = (e) => { e.preventDefault?.(); done(false); };
  });
  if (!hello) {
    w.terminate();
    return null;
  }
  return {
    worker: true,
    send: (m) => w.postMessage(m),
    listen: on,
    close: () => w.terminate(),
  };
}

/// The host in this page (made by makeHost(progress)): the same messages, answered in later
/// tasks (the host's long jobs run in slices between tasks).
function inPage(makeHost) {
  let listener = null;
  let closed = false;
  const host = makeHost((id, progress) => { if (!closed) listener?.({ id, progress }); });
  return {
    worker: false,
    send: (m) => {
      host.handle(structuredClone(m)).then(({ reply }) => { if (!closed) listener?.(reply); });
    },
    listen: (fn) => { listener = fn; },
    close: () => { closed = true; },
  };
}
