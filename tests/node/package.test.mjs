// The npm package as a user gets it: `npm pack`, then `npm install` of the tarball into a fresh
// project (offline: the package has no dependencies), then its API, its CLI through npx, and
// an esbuild bundle of a host app that imports `stateless-lab/element`, its declarations
// followed from both entry points, and a TypeScript app compiled against them by the pinned
// TypeScript compiler (a devDependency).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { before, test } from 'node:test';
import { build, transform } from 'esbuild';
import { loadLab } from '../../web/lab/stateless-lab.mjs';
import { root, runNative, tempDir } from './support.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let project;
let packed;

function sh(cmd, args, cwd, input) {
  const r = spawnSync(cmd, args, { cwd, input, maxBuffer: 64 << 20, env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

before(() => {
  const dir = tempDir();
  const pack = sh(npm, ['pack', root, '--json', '--pack-destination', dir], dir);
  assert.equal(pack.code, 0, pack.stderr);
  packed = JSON.parse(pack.stdout.toString())[0];
  project = join(dir, 'host-app');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'host-app', private: true, type: 'module' }));
  const install = sh(npm, ['install', '--offline', '--no-audit', '--no-fund', join(dir, packed.filename)], project);
  assert.equal(install.code, 0, install.stderr);
});

test('npm pack gives a tarball with the built core and no tests, C++ sources, CMake or CI files', () => {
  const paths = packed.files.map((f) => f.path);
  for (const f of ['web/lab/core/stateless-lab-core.wasm', 'web/lab/core/stateless-lab-core.mjs',
                   'build/site/stateless-lab.js', 'build/site/stateless-lab-core.wasm', 'web/lab/cli.mjs',
                   'web/lab/core/vocabulary.d.ts', 'web/lab/stateless-lab.d.ts', 'web/lab/stateless-lab.d.mts',
                   'web/widget/element.d.ts']) {
    assert.ok(paths.includes(f), `${f} is in the tarball`);
  }
  const unwanted = paths.filter((p) => /^(tests|wasm|lessons|scripts|\.ci)\//.test(p) ||
    /\.(cpp|h|cmake)$|CMakeLists\.txt|CMakePresets\.json|\.test\.mjs$/.test(p));
  assert.deepEqual(unwanted, []);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  assert.equal(pkg.private, undefined, 'the package can be published');
  assert.deepEqual(pkg.dependencies ?? {}, {}, 'an install needs nothing but the tarball');
});

test('the installed package runs the JS API through import { loadLab } from "stateless-lab"', () => {
  const script = `import { loadLab, LabError } from 'stateless-lab';
    const lab = await loadLab();
    const sim = lab.create(lab.scenarioText('sticky-crash'));
    sim.run();
    const r = sim.results();
    sim.delete();
    let refused = '';
    try { lab.create({ servers: { count: 0 } }); } catch (e) { refused = e instanceof LabError ? e.text : 'not a LabError'; }
    console.log(JSON.stringify({ names: lab.scenarios().length, arrived: r.requests.arrived, refused }));`;
  const r = sh(process.execPath, ['--input-type=module', '-e', script], project);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout.toString());
  assert.ok(out.names > 5, `${out.names} registered scenarios`);
  assert.ok(out.arrived > 1000, `the scenario ran (${out.arrived} requests)`);
  assert.match(out.refused, /^\$\.servers\.count: /);
});

test('npx stateless-lab from the installed package prints what the native CLI prints, byte for byte', () => {
  for (const args of [['run', '--builtin', 'sticky-crash'], ['list'], ['validate', '-']]) {
    const input = args[1] === '-' ? '{"servers": {"count": -3}}' : undefined;
    const viaNpx = sh('npx', ['--no-install', 'stateless-lab', ...args], project, input);
    const native = runNative(args, { input });
    assert.equal(viaNpx.code, native.code, `exit code of ${args.join(' ')}: ${viaNpx.stderr}`);
    assert.ok(Buffer.compare(viaNpx.stdout, native.stdout) === 0, `stdout of ${args.join(' ')}`);
    assert.equal(viaNpx.stderr, native.stderr.toString(), `stderr of ${args.join(' ')}`);
  }
});

test('esbuild bundles a host app that imports stateless-lab/element', async () => {
  writeFileSync(join(project, 'app.js'), `import { StatelessLabElement, loadLab } from 'stateless-lab/element';
    export { StatelessLabElement, loadLab };`);
  const out = join(project, 'dist/app.js');
  const result = await build({ entryPoints: [join(project, 'app.js')], bundle: true, format: 'esm',
                               outfile: out, absWorkingDir: project, logLevel: 'silent', external: ['node:*'] });
  assert.deepEqual(result.errors, []);
  const text = readFileSync(out, 'utf8');
  assert.ok(text.includes('stateless-lab-core.wasm'), 'the bundle looks for the core beside itself');
  assert.ok(existsSync(join(project, 'node_modules/stateless-lab/build/site/stateless-lab-core.wasm')),
            'the .wasm to copy beside the bundle is in the package');
  // In node (no DOM) the bundle loads, defines nothing, and its API works once the .wasm is beside it.
  writeFileSync(join(project, 'dist/stateless-lab-core.wasm'),
                readFileSync(join(project, 'node_modules/stateless-lab/build/site/stateless-lab-core.wasm')));
  writeFileSync(join(project, 'dist/check.mjs'), `import { loadLab } from './app.js';
    import { StatelessLabElement } from './app.js';
    const lab = await loadLab();
    const sim = lab.create(lab.scenarioText('mm1'));
    sim.run();
    console.log(typeof StatelessLabElement.define, sim.results().requests.arrived > 0);`);
  const r = sh(process.execPath, [join(project, 'dist/check.mjs')], project);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.toString().trim(), 'function true');
});

/**
 * The declaration file TypeScript reads for a relative specifier in a declaration file:
 * `x.js` -> `x.d.ts`, `x.mjs` -> `x.d.mts`.
 */
const declarationOf = (from, spec) => join(dirname(from), spec.replace(/\.js$/, '.d.ts').replace(/\.mjs$/, '.d.mts'));

/** Module specifiers of `import ... from`, `export ... from` and `import('...')` in declaration text. */
const specifiersIn = (text) => [...text.matchAll(/(?:\bfrom\s+|\bimport\(\s*)'([^']+)'/g)].map((m) => m[1]);

/** Names a declaration file exports: its own `export` declarations and those of its `export *` sources. */
function exportsOf(file, seen = new Set()) {
  if (seen.has(file)) return new Set();
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  const names = new Set([...text.matchAll(/^export (?:declare )?(?:abstract )?(?:type|interface|class|const|function) ([A-Za-z_]\w*)/gm)].map((m) => m[1]));
  for (const m of text.matchAll(/^export \* from '([^']+)';/gm)) {
    for (const n of exportsOf(declarationOf(file, m[1]), seen)) names.add(n);
  }
  return names;
}

test('the installed package\'s declarations parse as TypeScript and resolve, as TypeScript resolves them, from both entry points to the generated names', async () => {
  const pkgDir = join(project, 'node_modules/stateless-lab');
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const entries = [pkg.types, ...Object.values(pkg.exports).map((e) => e.types).filter(Boolean)];
  assert.deepEqual(entries, ['./web/lab/stateless-lab.d.mts', './web/lab/stateless-lab.d.mts', './web/widget/element.d.ts']);
  const files = new Set();
  const queue = entries.map((e) => join(pkgDir, e));
  while (queue.length) {
    const file = queue.shift();
    if (files.has(file)) continue;
    files.add(file);
    assert.ok(existsSync(file), `${relative(pkgDir, file)}, a types entry, is in the package`);
    const text = readFileSync(file, 'utf8');
    // esbuild parses TypeScript: a syntax error here would be one for every consumer.
    await transform(text, { loader: 'ts', sourcefile: file });
    for (const spec of specifiersIn(text)) {
      assert.match(spec, /^\.\.?\/.*\.m?js$/, `${relative(pkgDir, file)} imports ${spec}: relative, with the extension TypeScript maps`);
      const target = declarationOf(file, spec);
      // A .d.ts is CommonJS to TypeScript here (the package has no "type": "module"), and under
      // node16/nodenext a CommonJS file may not import an ES module's declarations (TS1479).
      assert.ok(!(file.endsWith('.d.ts') && target.endsWith('.d.mts')), `${relative(pkgDir, file)} imports the ES module ${spec}`);
      assert.ok(existsSync(target), `${relative(pkgDir, file)} imports ${spec}: ${relative(pkgDir, target)} is in the package`);
      queue.push(target);
    }
    // Every name imported by name is exported there.
    for (const m of text.matchAll(/^import type \{([^}]*)\} from '([^']+)';/gm)) {
      const exported = exportsOf(declarationOf(file, m[2]));
      for (const name of m[1].split(',').map((n) => n.trim()).filter(Boolean)) {
        assert.ok(exported.has(name), `${relative(pkgDir, file)} imports ${name}, which ${m[2]} exports`);
      }
    }
  }
  assert.ok(files.has(join(pkgDir, 'web/lab/core/vocabulary.d.ts')), 'the generated names are reached from the entry points');
  // Both entry points export the generated names and the API's own types.
  for (const entry of [join(pkgDir, 'web/lab/stateless-lab.d.mts'), join(pkgDir, 'web/widget/element.d.ts')]) {
    const exported = exportsOf(entry);
    for (const name of ['Policy', 'SessionMode', 'ActionName', 'CheckpointMode', 'StreamActionName', 'Vocabulary',
                        'Action', 'Scenario', 'Lab', 'loadLab']) {
      assert.ok(exported.has(name), `${relative(pkgDir, entry)} exports ${name}`);
    }
  }
  // The packed names are the core's.
  const lab = await loadLab();
  const dts = readFileSync(join(pkgDir, 'web/lab/core/vocabulary.d.ts'), 'utf8');
  const policy = dts.match(/export type Policy =([^;]*);/)[1];
  assert.deepEqual([...policy.matchAll(/'([^']*)'/g)].map((m) => m[1]), [...lab.vocabulary.policies]);
});

test('TypeScript compiles a host app against the installed package under strict nodenext, and refuses a name the core does not have', () => {
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  assert.ok(existsSync(tsc), 'the pinned TypeScript compiler is installed (npm ci)');
  const app = join(project, 'ts-app');
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'],
                       strict: true, noEmit: true, types: [], skipLibCheck: false },
    files: ['app.mts'],
  }));
  const app_ts = `import { loadLab, LabError, VOCABULARY, type Policy, type SessionMode, type Scenario, type Action } from 'stateless-lab';
import type { StatelessLabElement } from 'stateless-lab/element';

const lab = await loadLab();
const policy: Policy = 'sticky_cookie';
const mode: SessionMode = VOCABULARY.sessionModes[0];
const kill: Action = { do: 'kill_server', server: 1, at_s: 5 };
const roll: Action = { do: 'rolling_restart', gap_s: 4 };
const scenario: Scenario = { balancer: { policy }, session: { mode }, timeline: [{ ...kill, at_s: 5 }] };
const sim = lab.create(scenario);
sim.run();
const completed: number = sim.results().requests.completed;
sim.delete();
{
  using scoped = lab.create(scenario);
  scoped.step(1);
}
const el: StatelessLabElement | null = document.querySelector('stateless-lab');
const answer = await el?.inject(roll);
if (answer && !answer.ok) console.log(answer.path, answer.message);
try { lab.create({ servers: { count: 0 } }); } catch (e) { if (e instanceof LabError) console.log(e.path); }
console.log(completed, el?.state.policy);
// @ts-expect-error: not a policy of the core
const wrongPolicy: Policy = 'least_response_time';
// @ts-expect-error: kill_server needs its server
const incomplete: Action = { do: 'kill_server' };
// @ts-expect-error: not an action of the core
const unknown: Action = { do: 'reboot_everything' };
export { wrongPolicy, incomplete, unknown };
`;
  writeFileSync(join(app, 'app.mts'), app_ts);
  const r = sh(process.execPath, [tsc, '-p', app], app);
  assert.equal(r.code, 0, `tsc: ${r.stdout.toString()}${r.stderr}`);
  // The check can fail: a wrong name without its @ts-expect-error is an error.
  writeFileSync(join(app, 'app.mts'), app_ts.replace("// @ts-expect-error: not a policy of the core\n", ''));
  const bad = sh(process.execPath, [tsc, '-p', app], app);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stdout.toString(), /least_response_time/);
});
