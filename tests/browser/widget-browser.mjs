// Shared set-up of the widget's browser tests: the site's static server and headless Debian
// Chromium through playwright-core (never a downloaded browser), one browser per test file.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';
import { before, after } from 'node:test';

export const root = resolve(process.env.SL_ROOT ?? new URL('../..', import.meta.url).pathname);
export const artifacts = join(process.env.SL_BUILD_DIR ? resolve(process.env.SL_BUILD_DIR, '..') : join(root, 'build'), 'artifacts');

/// Chromium flags that keep a headless run offline and quiet (TOOLCHAIN.md 11).
export const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage', '--hide-scrollbars', '--mute-audio'];

export function chromiumPath() {
  return process.env.SL_CHROMIUM ?? '/usr/bin/chromium';
}

/// The shipped site (build/site/) must be built before any browser test can pass.
import { requireSite as requireCore } from './test-site.mjs';
export { requireCore };

/// Starts the site's server on a free port; returns {url, close}.
export async function startServer(options = {}) {
  const { server, url } = await serve({ port: 0, host: '127.0.0.1', ...options });
  return { url, close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); }) };
}

/// Launches Chromium with one default context (1280 px); more contexts (touch, dark, reduced
/// motion) come from browser.newContext(). Returns {browser, context, close}.
export async function launch(contextOptions = {}) {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs, headless: true });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions });
  return {
    browser,
    context,
    close: async () => {
      await browser.close().catch(() => {});
    },
  };
}

/// Records console errors, page errors and failed requests of a page (and its frames).
export function watchErrors(page, { ignore = [] } = {}) {
  const errors = [];
  const skip = (text) => ignore.some((r) => r.test(text));
  page.on('console', (m) => { if (m.type() === 'error' && !skip(m.text())) errors.push(`console: ${m.text()} @ ${m.location()?.url ?? ''}`); });
  page.on('pageerror', (e) => { if (!skip(String(e))) errors.push(`pageerror: ${e.message}`); });
  page.on('requestfailed', (r) => { const t = `${r.url()} ${r.failure()?.errorText}`; if (!skip(t)) errors.push(`requestfailed: ${t}`); });
  page.on('response', (r) => { if (r.status() >= 400 && !skip(r.url())) errors.push(`HTTP ${r.status()}: ${r.url()}`); });
  return errors;
}

/// Waits until the first <stateless-lab> (or the one matching selector) is ready.
export async function waitReady(page, selector = 'stateless-lab') {
  await page.waitForFunction((sel) => {
    const el = document.querySelector(sel);
    return el && (typeof el.firstFrameAt === 'number' || el.error);
  }, selector, { timeout: 20000 });
}

/// Saves a screenshot under build/artifacts/ and returns its path.
export async function screenshot(page, name, options = {}) {
  mkdirSync(artifacts, { recursive: true });
  const path = join(artifacts, `${name}.png`);
  await page.screenshot({ path, ...options });
  return path;
}

/// A value inside the widget's shadow root: the stats item `key` of panel `run` ('a' | 'b').
export function statValue(page, key, run = 'a', selector = 'stateless-lab') {
  return page.evaluate(([k, r, sel]) => {
    const li = document.querySelector(sel).shadowRoot.querySelector(`.panel[data-run="${r}"] .stats li[data-key="${k}"]`);
    return li ? Number(li.dataset.value) : null;
  }, [key, run, selector]);
}

/// Serves tests/browser/fixtures/ on its own origin, with `__SITE__` in HTML replaced by the
/// site's URL, so fixture pages play "someone else's page". Returns {url, close}.
export async function startFixtureServer(siteUrl, { host = '127.0.0.1' } = {}) {
  const { createServer } = await import('node:http');
  const { readFile } = await import('node:fs/promises');
  const dir = join(root, 'tests/browser/fixtures');
  const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8' };
  const server = createServer(async (req, res) => {
    const name = new URL(req.url, 'http://x').pathname.slice(1);
    if (!/^widget-[a-z0-9-]+\.(html|css|mjs)$/.test(name)) { res.writeHead(404); res.end(); return; }
    try {
      let body = await readFile(join(dir, name), 'utf8');
      body = body.replaceAll('__SITE__', siteUrl);
      res.writeHead(200, { 'Content-Type': types[name.slice(name.lastIndexOf('.'))], 'Cache-Control': 'no-cache' });
      res.end(body);
    } catch {
      res.writeHead(404); res.end();
    }
  });
  await new Promise((ok) => server.listen(0, host, ok));
  return { url: `http://${host}:${server.address().port}/`, close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); }) };
}

/// Registers the hooks that start the site's server and a browser for a test file, and stop
/// them after it; returns {site, browser}, filled once the hooks have run.
export function useSiteAndBrowser(serverOptions) {
  const env = {};
  before(async () => {
    requireCore();
    env.site = await startServer(serverOptions);
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.site?.close();
  });
  return env;
}
