#!/usr/bin/env node
// Writes build/site/: the whole site as plain static files with relative URLs, so the folder
// works unchanged on any static host and under any path. Needs the WebAssembly core built
// first (web/lab/core/, by the wasm CMake preset); scripts/build.sh runs both.
//
//   build/site/stateless-lab.js         the element + JS API, uPlot and all CSS inside (one module)
//   build/site/stateless-lab-core.wasm  the core, found beside the module through import.meta.url
//   build/site/sweep-worker.js          a sweep's worker (imports ./stateless-lab.js)
//   build/site/sim-worker.js            the player's simulation worker (imports ./stateless-lab.js)
//   build/site/{index,lesson,playground,embed}.js   one module per page; each imports
//                                        ./stateless-lab.js instead of bundling a second copy
//   build/site/*.html, *.css, favicon.svg, lesson/lesson.css, lessons/**
//   build/site/lesson-<slug>.html, glossary-<term>.html
//                                        each lesson rendered at build time, readable without
//                                        JavaScript (scripts/prerender-lessons.mjs)
import { build } from 'esbuild';
import { cp, mkdir, readdir, readFile, rm, stat, copyFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { prerenderLessons } from './prerender-lessons.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'web');
const core = join(web, 'lab/core');

/// Modules that hold per-page state (the loaded core, the element class): pages import them
/// from the element's bundle so that a page has one of each.
const shared = new Set([
  join(web, 'widget/bundle.mjs'),
  join(web, 'widget/define.mjs'),
  join(web, 'widget/stateless-lab-element.mjs'),
  join(web, 'lab/stateless-lab.mjs'),
  join(web, 'lab/sweep.mjs'),
  join(web, 'widget/sweep-panel.mjs'),
]);

const pages = { index: 'lesson/index-page.mjs', lesson: 'lesson/lesson-page.mjs',
                playground: 'playground.mjs', embed: 'embed.mjs' };

const common = {
  bundle: true, format: 'esm', target: 'es2022', legalComments: 'eof',
  minify: process.env.SL_SITE_MINIFY !== '0',  // SL_SITE_MINIFY=0: readable names for profiling
  // The core's glue imports node:module only when it runs in node; browsers never reach it.
  external: ['node:*'],
  loader: { '.css': 'text' }, logLevel: 'warning', absWorkingDir: root,
  define: { SL_SWEEP_WORKER: '"./sweep-worker.js"', SL_SIM_WORKER: '"./sim-worker.js"' },
};

/// An esbuild plugin: imports of the shared modules become imports of the element bundle at
/// `elementUrl` (relative to the output file).
export const useElementBundle = (elementUrl = './stateless-lab.js') => ({
  name: 'use-element-bundle',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const file = resolve(args.resolveDir, args.path);
      return shared.has(file) ? { path: elementUrl, external: true } : undefined;
    });
  },
});

/// Bundles page modules ({out name: source file}) into `outdir`, sharing the element bundle.
export function bundlePages(entries, outdir, elementUrl) {
  return build({ ...common, plugins: [useElementBundle(elementUrl)], outdir,
                 entryPoints: Object.entries(entries).map(([name, src]) => ({ out: name, in: src })) });
}

/// Builds the site into `out` (default build/site); resolves to the list of files written.
export async function buildSite(out = join(root, 'build/site')) {
  for (const f of ['stateless-lab-core.mjs', 'stateless-lab-core.wasm', 'vocabulary.mjs']) {
    if (!existsSync(join(core, f))) {
      throw new Error(`web/lab/core/${f} is missing: build the WebAssembly core first ` +
                      '(bash scripts/build.sh, or cmake --preset wasm && cmake --build --preset wasm)');
    }
  }
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  await build({ ...common, entryPoints: [join(web, 'widget/bundle.mjs')],
                outfile: join(out, 'stateless-lab.js') });
  await copyFile(join(core, 'stateless-lab-core.wasm'), join(out, 'stateless-lab-core.wasm'));
  await bundlePages(Object.fromEntries(Object.entries(pages).map(([n, src]) => [n, join(web, src)])), out);
  // sweep.mjs starts its workers from SL_SWEEP_WORKER, resolved against the bundle's URL.
  await build({ ...common, plugins: [useElementBundle()], entryPoints: [join(web, 'lab/sweep-worker.mjs')],
                outfile: join(out, 'sweep-worker.js') });
  // sim-client.mjs starts its worker from SL_SIM_WORKER, resolved the same way.
  await build({ ...common, plugins: [useElementBundle()], entryPoints: [join(web, 'widget/sim-worker.mjs')],
                outfile: join(out, 'sim-worker.js') });
  for (const name of await readdir(web)) {
    if (/\.(html|css|svg)$/.test(name)) await copyFile(join(web, name), join(out, name));
  }
  await checkSharedImports(out, [...Object.keys(pages), 'sweep-worker', 'sim-worker'].map((n) => join(out, `${n}.js`)));
  await mkdir(join(out, 'lesson'), { recursive: true });
  await copyFile(join(web, 'lesson/lesson.css'), join(out, 'lesson/lesson.css'));
  await cp(join(root, 'lessons'), join(out, 'lessons'), { recursive: true });
  await prerenderLessons(root, out);
  return listFiles(out);
}

/// Fails the build when a page imports a name from stateless-lab.js that it does not export
/// (the browser would refuse the page with a SyntaxError).
async function checkSharedImports(out, files) {
  // Loaded as .mjs: node would otherwise warn that a .js file outside a "type": "module"
  // package holds an ES module. Without a DOM the bundle defines nothing and only exports.
  const probe = join(out, '.exports-probe.mjs');
  await copyFile(join(out, 'stateless-lab.js'), probe);
  let exported;
  try {
    exported = new Set(Object.keys(await import(`${pathToFileURL(probe)}?${Date.now()}`)));
  } finally {
    await rm(probe, { force: true });
  }
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*["']\.\/stateless-lab\.js["']/g)) {
      for (const part of m[1].split(',')) {
        const name = part.trim().split(/\s+as\s+/)[0];
        if (name && !exported.has(name)) {
          throw new Error(`${relative(root, file)} imports ${name} from stateless-lab.js, which does not export it: export it from web/widget/bundle.mjs`);
        }
      }
    }
  }
}

async function listFiles(dir, base = dir) {
  const files = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) files.push(...await listFiles(p, base));
    else files.push({ path: relative(base, p), bytes: (await stat(p)).size });
  }
  return files;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const files = await buildSite(process.argv[2] ? resolve(process.argv[2]) : undefined);
    const total = files.reduce((n, f) => n + f.bytes, 0);
    console.log(`build/site: ${files.length} files, ${(total / 1024).toFixed(0)} KiB`);
  } catch (e) {
    console.error(`error: ${e.message}`);
    process.exit(2);
  }
}
