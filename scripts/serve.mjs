#!/usr/bin/env node
// A plain static file server for build/site/ (what ships): no URL mappings, no backend logic.
// Any static host serves the same folder the same way; this one adds the headers a host
// should send: Access-Control-Allow-Origin (the site has no cookies or credentials, so any
// page may load stateless-lab.js), a Content-Security-Policy the whole site passes, nosniff.
//
//   node scripts/serve.mjs [--port 8080] [--host 127.0.0.1] [--root build/site]
//                          [--csp "<policy>" | --no-csp] [--no-cors]
//
// PORT in the environment sets the default port; --port 0 picks a free one. Prints the URL.
import { createServer } from 'node:http';
import { open, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const top = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const siteDir = join(top, 'build/site');

/// The policy the site is built to pass: scripts only from the site (and WebAssembly
/// compilation), no inline script or style, no plugins, frames may embed it from anywhere.
export const DEFAULT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; " +
  "style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'";

const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.wasm': 'application/wasm',
  '.md': 'text/markdown; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8', '.map': 'application/json',
};

/// The file a URL path names under `root`, or null when the path is malformed or leaves it.
export function fileFor(root, rawPath) {
  let path;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (!path.startsWith('/') || path.includes('\0')) return null;
  const file = resolve(root, '.' + sep + normalize(path));
  return file === root || file.startsWith(root + sep) ? file : null;
}

function reply(res, status, headers, text, extra = {}) {
  const body = Buffer.from(text + '\n');
  res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8',
                          'Content-Length': body.length, ...extra });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/// Starts a server of `root`; resolves to {server, url}. Options: port, host, root,
/// csp (header value; '' for none), cors (send Access-Control-Allow-Origin: *).
export function serve({ port = 8080, host = '127.0.0.1', root = siteDir, csp = DEFAULT_CSP,
                        cors = true } = {}) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    const headers = { 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' };
    if (csp) headers['Content-Security-Policy'] = csp;
    if (cors) headers['Access-Control-Allow-Origin'] = '*';
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return reply(res, 405, headers, 'method not allowed', { Allow: 'GET, HEAD' });
    }
    const rawPath = (req.url ?? '').split(/[?#]/, 1)[0];
    let file = fileFor(base, rawPath);
    if (!file) return reply(res, 400, headers, 'bad request');
    let handle;
    try {
      let info = await stat(file);
      if (info.isDirectory()) {
        if (!rawPath.endsWith('/')) {
          return reply(res, 301, headers, 'moved', { Location: rawPath + '/' });
        }
        file = join(file, 'index.html');
        info = await stat(file);
      }
      if (!info.isFile()) throw new Error('not a file');
      // no-cache revalidates every use; the tag makes that cheap. A page's worker imports the
      // element bundle and loads the core again: it gets 304s, not the bytes a second time.
      const etag = `W/"${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}"`;
      headers.ETag = etag;
      if (req.headers['if-none-match']?.split(/\s*,\s*/).includes(etag)) {
        res.writeHead(304, headers);
        return res.end();
      }
      handle = await open(file);
      const body = await handle.readFile();
      res.writeHead(200, { ...headers, 'Content-Type': types[extname(file)] || 'application/octet-stream',
                           'Content-Length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      reply(res, 404, headers, 'not found');
    } finally {
      await handle?.close();
    }
  });
  // A malformed request line must not end the server.
  server.on('clientError', (err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      const h = host.includes(':') ? `[${host}]` : host;
      ok({ server, url: `http://${h}:${server.address().port}/` });
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
  const root = resolve(opt('--root') ?? siteDir);
  try {
    if (!(await stat(root)).isDirectory()) throw new Error();
  } catch {
    console.error(`error: --root: ${root} is not a folder (build the site first: bash scripts/build.sh)`);
    process.exit(2);
  }
  const { url } = await serve({ port, host: opt('--host') ?? '127.0.0.1', root,
                                csp: args.includes('--no-csp') ? '' : (opt('--csp') ?? DEFAULT_CSP),
                                cors: !args.includes('--no-cors') });
  console.log(`Stateless Lab is served at ${url}`);
}
