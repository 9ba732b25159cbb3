// Limits through the JS API and the node CLI: refused live actions come back as values,
// oversized input never reaches the core, and a core that runs out of memory becomes one
// LabError (or one `error:` line, exit 2) while the next call gets a fresh core.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { pathToFileURL } from 'node:url';

import { LabError, MAX_INPUT_BYTES, loadLab } from '../../web/lab/stateless-lab.mjs';
import { labModule, nodeCli, runNative, runNode, tempDir } from './support.mjs';

const lab = await loadLab();

/** Runs an ES module script in a node whose WebAssembly memories cannot pass `pages` x 64 KB:
 *  a real out-of-memory in the core, without a hook in it. Returns {code, stdout, stderr}. */
function inSmallMemory(pages, args) {
  const r = spawnSync(process.execPath, [`--wasm-max-mem-pages=${pages}`, ...args], { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A scenario whose million users need about 40 MB of core memory. */
const millionUsers = JSON.stringify({ duration_s: 1, traffic: { users: 1000000, rate_per_s: 10 } });

test('Simulation.apply refuses a set_rate past the run\'s request budget with {ok: false, path, message}', () => {
  // The link that froze a tab: zero traffic for 1e6 s, then set_rate 1e6 at t=0.
  const sim = lab.create({ duration_s: 1e6, series_interval_s: 10, traffic: { rate_per_s: 0 } });
  try {
    const refused = sim.apply({ do: 'set_rate', rate: 1e6 });
    assert.equal(refused.ok, false);
    assert.equal(refused.path, '$.rate');
    assert.match(refused.message, /limit is 100000000/);
    assert.equal(sim.rate, 0);
    assert.deepEqual(sim.apply({ do: 'set_rate', rate: 100 }), { ok: true });
  } finally {
    sim.delete();
  }
});

test('Lab.validate and Lab.create refuse text over 1 MB before it reaches the core', () => {
  const big = JSON.stringify({ description: 'x'.repeat(MAX_INPUT_BYTES) });
  const before = lab.memory().memoryBytes;
  const problem = lab.validate(big);
  assert.equal(problem.ok, false);
  assert.equal(problem.path, '$');
  assert.match(problem.message, /larger than 1 MB/);
  assert.throws(() => lab.create(big), (e) => e instanceof LabError && e.path === '$');
  // Multi-byte text is measured in UTF-8 bytes: 400,000 euro signs are 1.2 MB.
  assert.equal(lab.validate(JSON.stringify({ description: '\u20ac'.repeat(400000) })).ok, false);
  assert.equal(lab.memory().memoryBytes, before);
  // The core says the same of the same text (the CLI reads files through it).
  const cli = lab.runCli(['validate', 'big.json'], () => big);
  assert.equal(cli.code, 2);
  assert.equal(cli.stderr, `error: ${problem.text}\n`);
});

test('stateless-lab (node and native) refuses a file over 1 MB with the same line', () => {
  const file = join(tempDir(), 'big.json');
  writeFileSync(file, JSON.stringify({ description: 'x'.repeat(3 * MAX_INPUT_BYTES) }));
  const native = runNative(['validate', file]);
  const node = runNode(['validate', file]);
  assert.equal(native.code, 2);
  assert.match(native.stderr.toString(), /^error: \$: is larger than 1 MB/);
  assert.equal(node.code, native.code);
  assert.deepEqual(node.stderr, native.stderr);
});

test('Lab turns the core running out of memory into a LabError and loads a fresh core for the next call', () => {
  const script = `
    import { loadLab, LabError } from ${JSON.stringify(pathToFileURL(labModule).href)};
    const lab = await loadLab();
    const other = await loadLab({ isolated: true });
    const small = other.create({ duration_s: 10 });
    const out = {};
    try {
      lab.create(${JSON.stringify(millionUsers)});
      out.created = true;
    } catch (e) {
      out.error = { isLabError: e instanceof LabError, coreStopped: e.coreStopped, path: e.path, text: e.text };
    }
    await lab.ready;
    const sim = lab.create({ duration_s: 2 });
    sim.run();
    out.afterwards = sim.results().requests.arrived > 0;
    small.run();
    out.otherLab = small.results().requests.arrived > 0;
    console.log(JSON.stringify(out));
  `;
  const r = inSmallMemory(400, ['--input-type=module', '-e', script]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const out = JSON.parse(r.stdout);
  assert.equal(out.created, undefined, 'the scenario should not fit in 25 MB');
  assert.equal(out.error.isLabError, true);
  assert.equal(out.error.coreStopped, true);
  assert.equal(out.error.path, '$');
  assert.doesNotMatch(out.error.text, /\n/);
  assert.equal(out.afterwards, true);
  assert.equal(out.otherLab, true);
});

test('Simulations of a stopped core throw LabError, not a RuntimeError', () => {
  const script = `
    import { loadLab, LabError } from ${JSON.stringify(pathToFileURL(labModule).href)};
    const lab = await loadLab();
    const before = lab.create({ duration_s: 10 });
    try { lab.create(${JSON.stringify(millionUsers)}); } catch {}
    const out = [];
    for (const call of [() => before.step(1), () => before.results(), () => before.apply({ do: 'store_down' })]) {
      try { call(); out.push('no error'); } catch (e) { out.push(e instanceof LabError && e.coreStopped ? 'LabError' : String(e)); }
    }
    before.delete();
    console.log(JSON.stringify(out));
  `;
  const r = inSmallMemory(400, ['--input-type=module', '-e', script]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), ['LabError', 'LabError', 'LabError']);
});

test('stateless-lab (node) prints one error line and exits 2 when the core runs out of memory', () => {
  const file = join(tempDir(), 'users.json');
  writeFileSync(file, millionUsers);
  const r = inSmallMemory(400, [nodeCli, 'run', file]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^error: \$: the WebAssembly core stopped \(.*\): out of memory or a fault; .*\n$/);
  assert.equal(r.stderr.split('\n').length, 2);
});
