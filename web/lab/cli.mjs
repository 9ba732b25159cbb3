#!/usr/bin/env node
// `npx stateless-lab ...`: the native CLI's command line, run by the WebAssembly build.
// The C++ command line itself is compiled into the module (sl::runCommandLine), so stdout,
// stderr and the exit code are the native CLI's, byte for byte; this file only does the I/O.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { LabError, MAX_INPUT_BYTES, loadLab } from './stateless-lab.mjs';

/** The file's bytes, or null (the command line reports what could not be read, a directory
 *  included). `-` is standard input, as for the native CLI. At most one byte past the input
 *  limit is read: the command line refuses longer input, and a huge file is never read whole. */
function readFile(path) {
  try {
    if (path === '-') return readFileSync(0);
    const fd = openSync(path, 'r');
    try {
      const buffer = Buffer.alloc(MAX_INPUT_BYTES + 1);
      let n = 0;
      for (let got; n < buffer.length && (got = readSync(fd, buffer, n, buffer.length - n, null)) > 0;) n += got;
      return buffer.subarray(0, n);
    } finally {
      closeSync(fd);
    }
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

let lab;
try {
  lab = await loadLab();
} catch (e) {
  process.stderr.write(`error: ${e.message}\n`);
  process.exit(1);
}
let result;
try {
  result = lab.runCli(process.argv.slice(2), readFile, { encoding: 'bytes' });
} catch (e) {
  // The core stopped (out of memory or a fault): one line, like any other error, exit 2.
  if (!(e instanceof LabError)) throw e;
  process.stderr.write(`error: ${e.text}\n`);
  process.exit(2);
}
// Written asynchronously and flushed before exit: exitCode, not process.exit(), keeps pipes whole.
if (result.stdout.length) process.stdout.write(result.stdout);
if (result.stderr.length) process.stderr.write(result.stderr);
process.exitCode = result.code;
