// Prepended to web/lab/core/stateless-lab-core.mjs (--extern-pre-js), outside the module
// factory. Emscripten 3.1.6 writes its node support for CommonJS: it calls require() and reads
// __dirname, which an ES module does not have, and it would fetch() the .wasm by a file path
// because node 20 has a global fetch. On node only, provide the first two and hide fetch so
// the loader reads the .wasm with fs. In browsers and workers all three stay as they are.
const slIsNode = typeof process === 'object' && typeof process.versions === 'object' &&
  typeof process.versions.node === 'string';
const require = slIsNode ? (await import('node:module')).createRequire(import.meta.url) : undefined;
const __dirname = slIsNode ? require('node:path').dirname(require('node:url').fileURLToPath(import.meta.url)) : '';
const fetch = slIsNode ? undefined : globalThis.fetch && globalThis.fetch.bind(globalThis);
