// Runs inside the module factory (--pre-js). On node the loader must get the .wasm as a plain
// file path (it reads it with fs); its default is a file:// URL string, which fs refuses.
// require and __dirname come from node-shim.pre.js. A caller's own locateFile or wasmBinary
// wins. (Written with only names closure knows, so --closure 1 can process it.)
if (typeof process == 'object' && typeof process['versions'] == 'object' &&
    typeof process['versions']['node'] == 'string' &&
    !Module['locateFile'] && !Module['wasmBinary']) {
  Module['locateFile'] = function (path) {
    return require('path')['join'](__dirname, path);
  };
}
