#!/usr/bin/env node
// `npx stateless-lab ...`: the native CLI's command line, run by the WebAssembly build.
// The C++ command line itself is compiled into the module (sl::runCommandLine), so stdout,
// stderr and the exit code are the native CLI's, byte for byte; this file only does the I/O.
import { readFileSync } from 'node:fs';
import { loadLab } from './stateless-lab.mjs';

/** The file's bytes, or null (the command line reports what could not be read, a directory
 *  included). `-` is standard input, as for the native CLI. */
function readFile(path) {
  try {
    return readFileSync(path === '-' ? 0 : path);
  } catch {
    return null;
  }
}

// A reader that stops early (`| head`) closes the pipe: end quietly, as the native CLI does.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
}

let result;
try {
  const lab = await loadLab();
  result = lab.runCli(process.argv.slice(2), readFile, { encoding: 'bytes' });
} catch (e) {
  process.stderr.write(`error: ${e.message}\n`);
  process.exit(1);
}
// Written asynchronously and flushed before exit: exitCode, not process.exit(), keeps pipes whole.
if (result.stdout.length) process.stdout.write(result.stdout);
if (result.stderr.length) process.stderr.write(result.stderr);
process.exitCode = result.code;
