// Shared helpers of the lesson content tests: where the lessons are, how to read them and how
// to run their scenarios in the native core (the `stateless-lab` CLI). Not a test file itself.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(process.env.SL_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
export const lessonsDir = join(root, 'lessons');
export const cli = process.env.SL_NATIVE_CLI ?? join(root, 'build', 'native', 'stateless-lab');

/// The slugs every lesson set must have, in teaching order.
export const expectedSlugs = [
  'stateless', 'stateless-vs-stateful', 'session-management', 'sticky-sessions',
  'token-based-authentication', 'horizontal-scaling', 'stateless-stream-processing',
];
export const expectedGlossary = ['stateless', 'stateful', 'session', 'horizontal-scaling'];

export const readText = (path) => readFileSync(join(root, path), 'utf8');
export const readJson = (path) => JSON.parse(readText(path));
export const exists = (path) => existsSync(join(root, path));

export const index = () => readJson('lessons/index.json');

/// Scenario files of a lesson, as paths relative to the repo root.
export function scenarioFiles(slug) {
  const dir = join(lessonsDir, slug, 'scenarios');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => `lessons/${slug}/scenarios/${f}`);
}

/// Runs the CLI; {code, stdout, stderr}.
export function runCli(args) {
  const r = spawnSync(cli, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120000 });
  if (r.error) return { code: -1, stdout: '', stderr: String(r.error.message) };
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const runs = new Map();
let scratch = null;

/// Runs a scenario (a repo-relative path, or an object written to a scratch file) to the end
/// in the native core and returns {scenario, results}. Results are cached per input.
export function runScenario(input) {
  let path = input;
  let scenario;
  if (typeof input === 'string') {
    scenario = readJson(input);
  } else {
    scenario = input;
    scratch ??= mkdtempSync(join(tmpdir(), 'sl-lessons-'));
    path = join(scratch, `variant-${runs.size}.json`);
    writeFileSync(path, JSON.stringify(input));
  }
  const key = typeof input === 'string' ? input : JSON.stringify(input);
  if (!runs.has(key)) {
    const r = runCli(['run', path]);
    if (r.code !== 0) throw new Error(`stateless-lab run ${path} exited ${r.code}: ${r.stderr.trim()}`);
    runs.set(key, JSON.parse(r.stdout));
  }
  return { scenario, results: runs.get(key) };
}

/// Headings of a Markdown token list: [{depth, text}].
export function headings(tokens) {
  return tokens.filter((t) => t.type === 'heading').map((t) => ({ depth: t.depth, text: t.text }));
}

/// Every link in a Markdown token tree: [{href, text}].
export function links(tokens) {
  const out = [];
  const walk = (ts) => {
    for (const t of ts ?? []) {
      if (t.type === 'link') out.push({ href: t.href, text: t.text });
      if (t.tokens) walk(t.tokens);
      if (t.items) walk(t.items);
      if (t.type === 'table') {
        for (const cell of t.header ?? []) walk(cell.tokens);
        for (const r of t.rows ?? []) for (const cell of r) walk(cell.tokens);
      }
    }
  };
  walk(tokens);
  return out;
}

/// Splits top-level tokens into sections at each level-2 heading: [{title, tokens}].
export function sections(tokens) {
  const out = [];
  let current = { title: '(intro)', tokens: [] };
  for (const t of tokens) {
    if (t.type === 'heading' && t.depth === 2) {
      out.push(current);
      current = { title: t.text, tokens: [] };
    } else current.tokens.push(t);
  }
  out.push(current);
  return out;
}
