// A throw-away copy of the shipped site (build/site/) with the browser tests' fixture pages in
// test-fixtures/, so fixtures load the site's modules from the same origin. Fixture modules
// that import the site's source are bundled the way the site's own pages are. Not a test file.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundlePages } from '../../scripts/build-site.mjs';

export const root = resolve(process.env.SL_ROOT ?? new URL('../..', import.meta.url).pathname);
export const site = join(root, 'build/site');

/// Fails early, with the fix, when the shipped site has not been built.
export function requireSite() {
  for (const f of ['stateless-lab.js', 'stateless-lab-core.wasm', 'lesson.html']) {
    if (!existsSync(join(site, f))) {
      throw new Error(`${join(site, f)} is missing: build the site first (bash scripts/build.sh)`);
    }
  }
}

/// Builds the copy; resolves to {dir, remove}. Bundled fixtures: stream-view.mjs.
export async function siteWithFixtures() {
  requireSite();
  mkdirSync(join(root, 'build/test-sites'), { recursive: true });
  const dir = mkdtempSync(join(root, 'build/test-sites/site-'));
  cpSync(site, dir, { recursive: true });
  const fixtures = join(root, 'tests/browser/fixtures');
  cpSync(fixtures, join(dir, 'test-fixtures'), { recursive: true });
  await bundlePages({ 'stream-view': join(fixtures, 'stream-view.mjs') }, join(dir, 'test-fixtures'),
                    '../stateless-lab.js');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/// Puts axe-core (the pinned npm package; not part of the site) into a page. Evaluated through
/// the DevTools protocol, so a page's strict CSP neither blocks it nor needs loosening.
export async function injectAxe(page) {
  const { readFileSync } = await import('node:fs');
  const { createRequire } = await import('node:module');
  const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
}
