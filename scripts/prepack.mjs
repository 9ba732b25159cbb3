#!/usr/bin/env node
// `npm pack` / `npm publish` run this first: the package carries the built core and the element
// bundle (build output, not in git), so refuse to pack without them rather than ship a package
// whose import fails; and it writes the core's name types (web/lab/core/vocabulary.d.ts) from
// the core it packs, so that the package's declarations name what its core accepts.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { coreTables, writeVocabularyDts } from './vocabulary-dts.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const built = ['web/lab/core/stateless-lab-core.mjs', 'web/lab/core/stateless-lab-core.wasm', 'web/lab/core/vocabulary.mjs',
               'build/site/stateless-lab.js', 'build/site/stateless-lab-core.wasm'];
const missing = built.filter((f) => !existsSync(join(root, f)));
if (missing.length) {
  console.error(`error: npm pack: ${missing.join(', ')} missing: build first with bash scripts/build.sh`);
  process.exit(1);
}
// The site's copy of the core must be the one the API ships, or the two entry points differ.
const a = statSync(join(root, 'web/lab/core/stateless-lab-core.wasm'));
const b = statSync(join(root, 'build/site/stateless-lab-core.wasm'));
if (a.size !== b.size || a.mtimeMs > b.mtimeMs + 1000) {
  console.error('error: npm pack: build/site/ is older than web/lab/core/: rebuild with bash scripts/build.sh');
  process.exit(1);
}
writeVocabularyDts(await coreTables());
