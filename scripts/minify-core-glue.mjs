#!/usr/bin/env node
// Minifies the core's JS glue (web/lab/core/stateless-lab-core.mjs) in place with the pinned
// esbuild: emscripten 3.1.6 only strips its whitespace (closure, which would also rename its
// locals, is not usable here: TOOLCHAIN.md); renaming them takes a quarter off its gzip. Run by the wasm build after each link of the core (wasm/bindings.cmake); the
// vocabulary step that follows imports the minified glue, so a glue that no longer loads in
// node fails the build there.
//
//   node scripts/minify-core-glue.mjs [file]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const file = process.argv[2] ||
  join(dirname(fileURLToPath(import.meta.url)), '..', 'web', 'lab', 'core', 'stateless-lab-core.mjs');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // The build still works without it (setup.sh installs it), only the glue stays larger.
  console.warn(`minify-core-glue: esbuild is not installed (npm ci): ${file} left as linked`);
  process.exit(0);
}

const code = readFileSync(file, 'utf8');
// es2022: the glue already awaits at top level (wasm/node-shim.pre.js), so this target asks
// nothing new of a host.
const out = esbuild.transformSync(code, { format: 'esm', target: 'es2022', minify: true, legalComments: 'none' });
writeFileSync(file, out.code);
