// A throw-away copy of the shipped site (build/site/) with the browser tests' fixture pages in
// test-fixtures/, so fixtures load the site's modules from the same origin. Fixture modules
// that import the site's source are bundled the way the site's own pages are. Not a test file.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundlePages } from '../../scripts/build-site.mjs';
import { serve } from '../../scripts/serve.mjs';

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

/// Builds the copy; resolves to {dir, remove}. Bundled fixtures: stream-view.mjs, sim-client.mjs.
export async function siteWithFixtures() {
  requireSite();
  mkdirSync(join(root, 'build/test-sites'), { recursive: true });
  const dir = mkdtempSync(join(root, 'build/test-sites/site-'));
  cpSync(site, dir, { recursive: true });
  const fixtures = join(root, 'tests/browser/fixtures');
  cpSync(fixtures, join(dir, 'test-fixtures'), { recursive: true });
  await bundlePages({ 'stream-view': join(fixtures, 'stream-view.mjs'), 'sim-client': join(fixtures, 'sim-client.mjs') }, join(dir, 'test-fixtures'),
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

/// Servers of test-made folders, stopped and removed by close(): a plain static host of
/// build/site/ under a deep sub-path (no mappings), and folders of host pages.
export class StaticHosts {
  servers = [];
  dirs = [];

  /// A folder under build/ for this test file's host pages.
  folder(prefix) {
    const dir = mkdtempSync(join(root, `build/${prefix}-`));
    this.dirs.push(dir);
    return dir;
  }

  /// Serves `root` (serve.mjs options); resolves to its URL.
  async serve(options) {
    const s = await serve({ port: 0, ...options });
    this.servers.push(s.server);
    return s.url;
  }

  /// build/site/ at `subpath` ('courses/net/lab/') of a plain static server; resolves to its URL.
  async siteUnder(subpath) {
    requireSite();
    const top = this.folder('static-host');
    const at = join(top, subpath.replace(/\/$/, ''));
    mkdirSync(join(at, '..'), { recursive: true });
    symlinkSync(site, at);
    return `${await this.serve({ root: top })}${subpath}`;
  }

  close() {
    for (const s of this.servers) { s.closeAllConnections?.(); s.close(); }
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
  }
}
