// scripts/serve.mjs, the static server of build/site/: it answers bad requests with an HTTP
// error instead of exiting, serves only GET and HEAD, sends CORS and a CSP by default, and
// never serves a file outside its folder.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { serve, DEFAULT_CSP } from '../../scripts/serve.mjs';

let dir;
let server;
let base;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sl-serve-'));
  mkdirSync(join(dir, 'site/sub'), { recursive: true });
  writeFileSync(join(dir, 'site/index.html'), '<!doctype html><title>home</title>');
  writeFileSync(join(dir, 'site/sub/index.html'), 'sub');
  writeFileSync(join(dir, 'site/core.wasm'), Buffer.from([0, 97, 115, 109]));
  writeFileSync(join(dir, 'secret.txt'), 'outside the site');
  ({ server, url: base } = await serve({ port: 0, root: join(dir, 'site') }));
});

after(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/// Sends a raw request line (fetch would normalise the path) and returns the status code.
function rawStatus(path, method = 'GET') {
  const { port } = new URL(base);
  return new Promise((ok, fail) => {
    const s = connect(Number(port), '127.0.0.1', () => s.write(`${method} ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    let text = '';
    s.on('data', (d) => { text += d; });
    s.on('end', () => ok(Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1])));
    s.on('error', fail);
  });
}

test('serve.mjs answers malformed paths with 400 and keeps serving', async () => {
  assert.equal(await rawStatus('/%'), 400);
  assert.equal(await rawStatus('/%E0%A4%A'), 400);
  assert.equal(await rawStatus('/a%00b'), 400);
  assert.equal(await rawStatus('//'), 200);
  assert.equal((await fetch(base)).status, 200, 'still up after the bad requests');
});

test('serve.mjs serves nothing outside its folder', async () => {
  assert.equal(await rawStatus('/../secret.txt'), 404);
  assert.equal(await rawStatus('/%2e%2e/secret.txt'), 404);
  assert.equal(await rawStatus('/..%2fsecret.txt'), 404);
});

test('serve.mjs refuses methods other than GET and HEAD with 405 and an Allow header', async () => {
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
    const r = await fetch(base, { method });
    assert.equal(r.status, 405, method);
    assert.equal(r.headers.get('allow'), 'GET, HEAD');
  }
});

test('serve.mjs gives HEAD the Content-Length of the GET body and no body', async () => {
  const head = await fetch(`${base}core.wasm`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('content-length'), '4');
  assert.equal(head.headers.get('content-type'), 'application/wasm');
  assert.equal((await head.arrayBuffer()).byteLength, 0);
});

test('serve.mjs sends Access-Control-Allow-Origin and the default CSP unless told otherwise', async () => {
  const r = await fetch(base);
  assert.equal(r.headers.get('access-control-allow-origin'), '*');
  assert.equal(r.headers.get('content-security-policy'), DEFAULT_CSP);
  assert.match(DEFAULT_CSP, /script-src 'self' 'wasm-unsafe-eval'/);
  const { server: plain, url } = await serve({ port: 0, root: join(dir, 'site'), csp: '', cors: false });
  const p = await fetch(url);
  assert.equal(p.headers.get('access-control-allow-origin'), null);
  assert.equal(p.headers.get('content-security-policy'), null);
  plain.close();
});

test('serve.mjs serves a folder\'s index.html and redirects a folder path without its slash', async () => {
  assert.equal(await (await fetch(`${base}sub/`)).text(), 'sub');
  const r = await fetch(`${base}sub`, { redirect: 'manual' });
  assert.equal(r.status, 301);
  assert.equal(r.headers.get('location'), '/sub/');
});

test('serve.mjs answers a request carrying the file\'s ETag with 304 and no body, and sends a changed file whole', async () => {
  writeFileSync(join(dir, 'site/app.js'), 'export const v = 1;');
  const first = await fetch(`${base}app.js`);
  const tag = first.headers.get('etag');
  assert.ok(tag, 'an ETag is sent');
  assert.equal(first.headers.get('cache-control'), 'no-cache');
  const again = await fetch(`${base}app.js`, { headers: { 'If-None-Match': tag } });
  assert.equal(again.status, 304);
  assert.equal((await again.arrayBuffer()).byteLength, 0);
  assert.equal(again.headers.get('access-control-allow-origin'), '*', 'a 304 keeps the CORS header');
  writeFileSync(join(dir, 'site/app.js'), 'export const v = 22;');
  const changed = await fetch(`${base}app.js`, { headers: { 'If-None-Match': tag } });
  assert.equal(changed.status, 200);
  assert.equal(await changed.text(), 'export const v = 22;');
});
