// Starts a module Web Worker from a script's URL, also when the script lives on another origin
// than the page: a widget embedded from another site. Browsers start a worker only from the
// page's own origin, so the worker is then a same-origin blob that imports the script; the
// script's host already serves it with CORS, which a module from another origin needs anyway.
// A page whose CSP refuses blob: workers (no `worker-src blob:`) gets the same error as for any
// worker it refuses, and the caller goes on without one.
//
//   const w = startModuleWorker(new URL('./sim-worker.js', import.meta.url));

/// A module Worker running the script at `url` (a URL or string); throws as `new Worker` does.
export function startModuleWorker(url) {
  const href = String(url);
  const page = globalThis.location?.origin;
  if (!page || page === 'null' || new URL(href, globalThis.location?.href).origin === page) {
    return new Worker(href, { type: 'module' });
  }
  const source = URL.createObjectURL(new Blob([`import ${JSON.stringify(href)};\n`], { type: 'text/javascript' }));
  const worker = new Worker(source, { type: 'module' });
  // Once it has started (or failed to), nothing reads the blob again.
  const revoke = () => URL.revokeObjectURL(source);
  worker.addEventListener('message', revoke, { once: true });
  worker.addEventListener('error', revoke, { once: true });
  return worker;
}
