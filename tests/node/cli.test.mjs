// `npx stateless-lab` (web/lab/cli.mjs on the WebAssembly build) behaves exactly like the
// native CLI: same stdout, same stderr, same exit code, for every command and every misuse.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { loadLab } from '../../web/lab/stateless-lab.mjs';
import { root, runNative, runNode, tempDir } from './support.mjs';

const dir = tempDir();
const good = join(dir, 'good.json');
writeFileSync(good, JSON.stringify({ seed: 3, duration_s: 4, traffic: { rate_per_s: 150 } }));
const empty = join(dir, 'empty.json');
writeFileSync(empty, '');
const folder = join(dir, 'folder');
mkdirSync(folder);

function assertSame(args, input) {
  const native = runNative(args, { input });
  const node = runNode(args, { input });
  const what = JSON.stringify(args);
  assert.equal(node.code, native.code, `${what}: exit code`);
  assert.ok(node.stdout.equals(native.stdout), `${what}: stdout\n native: ${native.stdout}\n node:   ${node.stdout}`);
  assert.ok(node.stderr.equals(native.stderr), `${what}: stderr\n native: ${native.stderr}\n node:   ${node.stderr}`);
  return native;
}

test('stateless-lab (node) matches the native CLI for every command', () => {
  assert.equal(assertSame(['run', good]).code, 0);
  assert.equal(assertSame(['run', good, '--seed', '99']).code, 0);
  assert.equal(assertSame(['run', '--seed', '0', good]).code, 0);
  assert.equal(assertSame(['validate', good]).stdout.toString(), 'ok\n');
  assert.equal(assertSame(['validate', '--builtin', 'mm1']).code, 0);
  assert.equal(assertSame(['list']).code, 0);
  assert.equal(assertSame(['show', 'mm1']).code, 0);
  assert.equal(assertSame(['help']).code, 0);
  assert.equal(assertSame(['--help']).code, 0);
});

test('stateless-lab (node) matches the native CLI for usage errors, with exit code 2', () => {
  const misuses = [
    [], ['frobnicate'], ['run'], ['run', good, good], ['run', '--builtin'], ['run', '--builtin', 'nope'],
    ['run', good, '--builtin', 'mm1'], ['run', good, '--seed'], ['run', good, '--seed', '-1'],
    ['run', good, '--seed', '1.5'], ['run', good, '--seed', '9007199254740992'], ['run', good, '--fast'],
    ['show'], ['show', 'nope'], ['validate'],
  ];
  for (const args of misuses) {
    const native = assertSame(args);
    assert.equal(native.code, 2, JSON.stringify(args));
    assert.ok(native.stderr.length > 0, JSON.stringify(args));
  }
});

test('stateless-lab (node) reads files as the native CLI does: missing, empty, a folder, stdin', () => {
  assert.equal(assertSame(['run', join(dir, 'missing.json')]).code, 2);
  assert.equal(assertSame(['run', empty]).code, 2);
  assert.equal(assertSame(['run', folder]).code, 2);
  assert.match(String(runNative(['run', folder]).stderr), /^error: .*: cannot read file\n$/);
  assert.equal(assertSame(['run', '-'], '{"duration_s": 3, "seed": 5}').code, 0);
  assert.equal(assertSame(['validate', '-'], '{"duration_s": -3}').code, 2);
  assert.equal(assertSame(['run', 'caf\u00e9 \u2603.json']).code, 2);  // non-ASCII path
});

test('npx stateless-lab runs the package bin with the native output', () => {
  const npx = spawnSync('npx', ['--no-install', 'stateless-lab', 'run', good], { cwd: root, shell: false });
  assert.equal(npx.status, 0, String(npx.stderr));
  assert.ok(npx.stdout.equals(runNative(['run', good]).stdout));
});

test('lab.runCli returns the native output as text, or as bytes on request', async () => {
  const lab = await loadLab();
  const native = runNative(['run', good]);
  const files = { 'a.json': JSON.stringify({ seed: 3, duration_s: 4, traffic: { rate_per_s: 150 } }) };
  const asText = lab.runCli(['run', 'a.json'], (p) => files[p] ?? null);
  assert.deepEqual(asText, { stdout: native.stdout.toString(), stderr: '', code: 0 });
  const asBytes = lab.runCli(['run', 'a.json'], (p) => files[p] ?? null, { encoding: 'bytes' });
  assert.ok(asBytes.stdout instanceof Uint8Array);
  assert.ok(Buffer.from(asBytes.stdout).equals(native.stdout));
  // A readFile that throws is a file that cannot be read, not a crash.
  const thrown = lab.runCli(['run', 'a.json'], () => { throw new Error('disk on fire'); });
  assert.equal(thrown.code, 2);
  assert.equal(thrown.stderr, runNative(['run', 'a.json'], { cwd: dir }).stderr.toString());
  // Without a readFile nothing can be read.
  assert.equal(lab.runCli(['validate', 'a.json']).code, 2);
  assert.throws(() => lab.runCli('list'), TypeError);
});
