// A guided experiment is written in lesson Markdown as a fenced code block of language "lab"
// holding JSON; the lesson page turns it into an embedded <stateless-lab> widget with a results
// table and, where it teaches, theory next to the simulated numbers:
//
//   ```lab
//   {"scenario": "scenarios/kill-one-sticky.json",
//    "compare": "scenarios/kill-one-shared-store.json",     // or tokens: "shared_store round_robin"
//    "labels": ["Sticky", "Shared store"],
//    "metrics": [{"label": "Sessions lost", "metric": "sessions.lost", "per": "...", "format": "percent"}],
//    "theory": [{"kind": "sticky_loss"}]}
//   ```
import { reducers } from './metric.mjs';
import { theoryKinds } from './theory.mjs';
import { parseMoments } from '../widget/url-state.mjs';
import { VOCABULARY } from '../lab/stateless-lab.mjs';

/// Balancer policies and session modes a variant compare may name: the core's.
export const POLICIES = VOCABULARY.policies;
export const MODES = VOCABULARY.sessionModes;
const FORMATS = ['number', 'percent', 'ms', 's', 'bytes', 'ratio', 'text'];
const FIELDS = ['scenario', 'compare', 'labels', 'metrics', 'theory', 'controls', 'moments', 'sweep'];
const SWEEP_FIELDS = ['path', 'values', 'seeds', 'label'];

const isScenarioPath = (s) => typeof s === 'string' && /^scenarios\/[a-z0-9-]+\.json$/.test(s);

/// Parses a compare value: {kind: 'scenario', path} | {kind: 'variant', policy, mode} | null.
export function parseCompare(value) {
  if (value === undefined) return null;
  if (isScenarioPath(value)) return { kind: 'scenario', path: value };
  if (typeof value !== 'string') return { kind: 'invalid' };
  const tokens = value.trim().split(/\s+/);
  const policy = tokens.filter((t) => POLICIES.includes(t));
  const mode = tokens.filter((t) => MODES.includes(t));
  if (!tokens.length || policy.length + mode.length !== tokens.length || policy.length > 1 || mode.length > 1) return { kind: 'invalid' };
  return { kind: 'variant', policy: policy[0] ?? null, mode: mode[0] ?? null };
}

/// The scenario a variant compare runs: a copy with the balancer policy and/or session mode swapped.
export function applyVariant(scenario, variant) {
  const copy = JSON.parse(JSON.stringify(scenario));
  if (variant.policy) copy.balancer = { ...(copy.balancer ?? {}), policy: variant.policy };
  if (variant.mode) copy.session = { ...(copy.session ?? {}), mode: variant.mode };
  return copy;
}

/// Parses the JSON of a lab block: {config} or {error}.
export function parseLabBlock(text) {
  let config;
  try { config = JSON.parse(text); } catch (e) { return { error: `not JSON: ${e.message}` }; }
  const problems = labBlockProblems(config);
  return problems.length ? { error: problems.join('; '), config } : { config };
}

/// Everything wrong with a lab block's config.
export function labBlockProblems(c) {
  const out = [];
  if (!c || typeof c !== 'object' || Array.isArray(c)) return ['must be a JSON object'];
  for (const k of Object.keys(c)) if (!FIELDS.includes(k)) out.push(`${k}: unknown field`);
  if (!isScenarioPath(c.scenario)) out.push('scenario: must name a file like "scenarios/name.json"');
  const cmp = parseCompare(c.compare);
  if (cmp?.kind === 'invalid') out.push('compare: must be a scenario file or policy/session-mode tokens');
  if (c.labels !== undefined && (!Array.isArray(c.labels) || c.labels.length !== (cmp ? 2 : 1) || !c.labels.every((l) => typeof l === 'string' && l))) {
    out.push(`labels: must be ${cmp ? 'two' : 'one'} non-empty strings`);
  }
  if (c.controls !== undefined && typeof c.controls !== 'string') out.push('controls: must be a string');
  if (c.sweep !== undefined) out.push(...sweepProblems(c.sweep, cmp));
  if (c.moments !== undefined) {
    const r = parseMoments(JSON.stringify(c.moments));
    if (r.error) out.push(`moments${r.error.startsWith('[') ? '' : ': '}${r.error}`);
  }
  if (!Array.isArray(c.metrics) || !c.metrics.length) out.push('metrics: must be a non-empty array');
  else c.metrics.forEach((m, i) => {
    if (!m || typeof m !== 'object') { out.push(`metrics[${i}]: must be an object`); return; }
    for (const k of Object.keys(m)) if (!['label', 'metric', 'per', 'reduce', 'format'].includes(k)) out.push(`metrics[${i}].${k}: unknown field`);
    if (typeof m.label !== 'string' || !m.label) out.push(`metrics[${i}].label: must be a non-empty string`);
    if (typeof m.metric !== 'string' || !m.metric) out.push(`metrics[${i}].metric: must be a path`);
    if (m.reduce !== undefined && !reducers[m.reduce]) out.push(`metrics[${i}].reduce: unknown reducer`);
    if (m.format !== undefined && !FORMATS.includes(m.format)) out.push(`metrics[${i}].format: unknown format`);
  });
  if (c.theory !== undefined) {
    if (!Array.isArray(c.theory)) out.push('theory: must be an array');
    else c.theory.forEach((t, i) => {
      if (!t || !theoryKinds.includes(t.kind)) out.push(`theory[${i}].kind: must be one of ${theoryKinds.join(', ')}`);
    });
  }
  return out;
}

/// The lab blocks of a Markdown text, found with a marked lexer (passed in, so this module
/// works in node and the browser alike): [{text, config?, error?}].
export function findLabBlocks(markdown, lexer) {
  const out = [];
  const walk = (tokens) => {
    for (const t of tokens ?? []) {
      if (t.type === 'code' && (t.lang ?? '').trim() === 'lab') out.push({ text: t.text, ...parseLabBlock(t.text) });
      if (t.tokens) walk(t.tokens);
      if (t.items) walk(t.items);
    }
  };
  walk(lexer(markdown));
  return out;
}

/// What is wrong with a lab block's `sweep`: {path, values, seeds, label}, run in workers.
function sweepProblems(w, cmp) {
  if (!w || typeof w !== 'object' || Array.isArray(w)) return ['sweep: must be an object'];
  const out = Object.keys(w).filter((k) => !SWEEP_FIELDS.includes(k)).map((k) => `sweep.${k}: unknown field`);
  if (typeof w.path !== 'string' || !/^[a-z_]+(\.[a-z_]+)*$/.test(w.path)) out.push('sweep.path: must be a dotted field path such as "servers.count"');
  if (!Array.isArray(w.values) || w.values.length < 2 || w.values.length > 40 || !w.values.every(Number.isFinite)) {
    out.push('sweep.values: must be 2 to 40 numbers');
  }
  if (w.seeds !== undefined && !(Number.isInteger(w.seeds) && w.seeds >= 1 && w.seeds <= 10)) out.push('sweep.seeds: must be a whole number 1 to 10');
  if (typeof w.label !== 'string' || !w.label) out.push('sweep.label: must name the swept field for the chart');
  if (cmp) out.push('sweep: cannot be combined with compare');
  return out;
}
