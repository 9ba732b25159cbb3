// The player's worker: the simulation host (sim-host.mjs) on its own thread, wired to
// postMessage, so long seeks and runs never hold up the page. In node (tests) the same script
// runs as a worker_threads worker.
import { loadLab } from '../lab/stateless-lab.mjs';
import { SimHost } from './sim-host.mjs';

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string' &&
  typeof self === 'undefined';
const port = isNode ? (await import('node:worker_threads')).parentPort : null;
const post = (m, transfer) => (port ? port.postMessage(m, transfer) : self.postMessage(m, transfer));
// Its own core: one that runs out of memory stops only this worker.
const host = new SimHost(loadLab({ isolated: true }), { progress: (id, fraction) => post({ id, progress: fraction }) });

async function onMessage(msg) {
  const { reply, transfer } = await host.handle(msg);
  post(reply, transfer);
}

if (port) port.on('message', onMessage);
else self.onmessage = (e) => onMessage(e.data);
post({ id: 0, hello: true });
