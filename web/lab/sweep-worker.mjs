// The worker of a sweep (sweep.mjs): it holds its own instance of the core, runs each scenario
// it is sent to the end and posts back {id, results}, or {id, error: {path, message, got}}.
import { loadLab } from './stateless-lab.mjs';

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string' &&
  typeof self === 'undefined';
const port = isNode ? (await import('node:worker_threads')).parentPort : null;
const post = (m) => (port ? port.postMessage(m) : self.postMessage(m));
const labReady = loadLab();

async function runPoint({ id, scenario }) {
  try {
    const lab = await labReady;
    const sim = lab.create(scenario);
    try {
      sim.run();
      post({ id, results: sim.results() });
    } finally {
      sim.delete();
    }
  } catch (e) {
    post({ id, error: { path: e?.path ?? '', message: String(e?.message ?? e), got: e?.got ?? '' } });
  }
}

if (port) port.on('message', runPoint);
else self.onmessage = (e) => runPoint(e.data);
