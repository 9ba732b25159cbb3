// Set-up shared by the lesson pages' browser tests: the site's own static server and headless
// Debian Chromium driven by playwright-core (never a downloaded browser), with a fresh profile
// per launch so localStorage starts empty. Not a test file itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { after, before } from 'node:test';
import { serve } from '../../scripts/serve.mjs';

export const root = resolve(process.env.SL_ROOT ?? new URL('../..', import.meta.url).pathname);

/// TOOLCHAIN.md item 11: offline, quiet headless Chromium.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/// Fails early, with the fix, when the shipped site has not been built.
import { requireSite as requireCore } from './test-site.mjs';
export { requireCore };

/// Starts a server of build/site/ on a free port: {url, close}. csp: a Content-Security-Policy
/// header (default: the server's own strict one).
export async function startServer({ csp } = {}) {
  const { server, url } = await serve({ port: 0, host: '127.0.0.1', ...(csp === undefined ? {} : { csp }) });
  return { url, close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); }) };
}

/// A persistent Chromium context on a fresh profile directory: {context, close}.
export async function launch() {
  const dir = mkdtempSync(join(tmpdir(), 'sl-lesson-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.SL_CHROMIUM ?? '/usr/bin/chromium',
    args: ARGS,
    headless: true,
    viewport: { width: 1200, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/// Collects console errors, uncaught exceptions, failed requests and HTTP errors of a page.
/// Requests cancelled because the test navigated away (net::ERR_ABORTED) are not failures.
export function watchErrors(page) {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText ?? '';
    if (!why.includes('ERR_ABORTED')) errors.push(`requestfailed: ${r.url()} ${why}`);
  });
  page.on('response', (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`); });
  return errors;
}

/// Chooses option `choice` of quiz question `id` on a lesson page and submits it; resolves
/// when the page has graded it.
export async function answer(page, id, choice) {
  const item = page.locator(`#quiz-${id}`);
  await item.locator(`#quiz-${id}-${choice}`).check();
  await item.locator('button[type="submit"]').click();
  await item.locator('.quiz-verdict').waitFor({ timeout: 60000 });
}

/// The stored progress of a lesson, parsed (null when absent).
export async function storedProgress(page, slug) {
  const text = await page.evaluate((k) => localStorage.getItem(k), `stateless-lab:quiz:${slug}`);
  return text === null ? null : JSON.parse(text);
}

/// Registers the hooks that start the site's server and a browser for a lesson test file and
/// stop them after it; returns {server, browser}, filled once the hooks have run.
export function useLessonSite() {
  const env = {};
  before(async () => {
    requireCore();
    env.server = await startServer();
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}
