#!/usr/bin/env node
// Static file server for the site and the tests: web/ at /, lessons/ at /lessons/, pinned npm
// packages at /vendor/<package>/. No backend logic: it only maps URLs to files.
//
//   node scripts/serve.mjs [--port 8080] [--host 127.0.0.1] [--csp "<policy>"] [--cors]
//
// PORT in the environment sets the default port; --port 0 picks a free one. Prints the URL.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

/// URL prefix -> folder. Longest prefix wins.
export const mounts = [
  ['/vendor/uplot/', join(root, 'node_modules/uplot/dist')],
  ['/vendor/marked/', join(root, 'node_modules/marked/lib')],
  ['/vendor/dompurify/', join(root, 'node_modules/dompurify/dist')],
  ['/vendor/axe-core/', join(root, 'node_modules/axe-core')],
  ['/lessons/', join(root, 'lessons')],
  ['/', join(root, 'web')],
];

const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.wasm': 'application/wasm',
  '.md': 'text/markdown; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8', '.map': 'application/json',
};

function resolvePath(urlPath) {
  for (const [prefix, dir] of mounts) {
    if (!urlPath.startsWith(prefix)) continue;
    const rel = normalize(decodeURIComponent(urlPath.slice(prefix.length)));
    const file = resolve(dir, '.' + sep + rel);
    if (file !== dir && !file.startsWith(dir + sep)) return null;  // no escaping the mount
    return file;
  }
  return null;
}

/// Starts a server; resolves to {server, url}. Options: port, host, csp (header value), cors.
export function serve({ port = 8080, host = '127.0.0.1', csp = '', cors = false } = {}) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    let file = resolvePath(url.pathname);
    const headers = { 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' };
    if (csp) headers['Content-Security-Policy'] = csp;
    if (cors) headers['Access-Control-Allow-Origin'] = '*';
    try {
      if (!file) throw new Error('outside');
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      headers['Content-Type'] = types[extname(file)] || 'application/octet-stream';
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('not found\n');
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      ok({ server, url: `http://${host}:${server.address().port}/` });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const port = Number(opt('--port') ?? process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`error: --port/PORT: must be a port number 0..65535 (got ${opt('--port') ?? process.env.PORT})`);
    process.exit(2);
  }
  const { url } = await serve({ port, host: opt('--host') ?? '127.0.0.1', csp: opt('--csp') ?? '',
                                cors: args.includes('--cors') });
  console.log(`Stateless Lab is served at ${url}`);
}
