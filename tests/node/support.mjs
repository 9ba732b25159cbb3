// Shared by the node:test suites: where the builds are, and how to run both CLIs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root. */
export const root = process.env.SL_ROOT || resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** The native CLI (CTest passes its path; by hand it is the native preset's build). */
export const nativeCli = process.env.SL_NATIVE_CLI || join(root, 'build/native/stateless-lab');
/** The node CLI, the package's "bin". */
export const nodeCli = join(root, 'web/lab/cli.mjs');
/** The JS API module. */
export const labModule = join(root, 'web/lab/stateless-lab.mjs');

if (!existsSync(nativeCli)) throw new Error(`native CLI not built: ${nativeCli} (cmake --build --preset native)`);
if (!existsSync(join(root, 'web/lab/core/stateless-lab-core.wasm'))) {
  throw new Error('WebAssembly core not built: cmake --preset wasm && cmake --build --preset wasm');
}

/** Runs a command; stdout and stderr as Buffers (bytes, not text). */
function run(cmd, args, { input, cwd } = {}) {
  const r = spawnSync(cmd, args, { input, cwd: cwd ?? root, maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

/** The native CLI with these arguments. */
export const runNative = (args, options) => run(nativeCli, args, options);
/** `node web/lab/cli.mjs` (what `npx stateless-lab` runs) with these arguments. */
export const runNode = (args, options) => run(process.execPath, [nodeCli, ...args], options);

/** A fresh temporary directory, removed when the process exits. */
export function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'sl-node-test-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** splitmix32-style generator for test data: the same seed gives the same cases everywhere. */
export function seededRandom(seed) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  };
}
