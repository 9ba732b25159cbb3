// The npm package as a user gets it: `npm pack`, then `npm install` of the tarball into a fresh
// project (offline: the package has no dependencies), then its API, its CLI through npx, and
// an esbuild bundle of a host app that imports `stateless-lab/element`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { build } from 'esbuild';
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
                   'build/site/stateless-lab.js', 'build/site/stateless-lab-core.wasm', 'web/lab/cli.mjs']) {
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
