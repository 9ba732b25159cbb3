// Reads a named number out of a run: the results object (the CLI's results JSON) or the
// scenario as written. Shared by the lesson page (experiment tables, quiz grading) and the
// content tests, so the page and the tests compute the same value from the same run.
//
// A metric path is dot-separated: "sessions.lost", "servers.4.handled" (array index),
// "series.servers.-1" (negative index: from the end), "servers.*.handled" (every element,
// combined by `reduce`). A path starting with "scenario." reads the scenario JSON instead of
// the results, e.g. "scenario.traffic.users".
import { withUnit } from '../widget/number-format.mjs';

/// How `reduce` combines the values a "*" path collects.
export const reducers = {
  max: (v) => Math.max(...v),
  min: (v) => Math.min(...v),
  sum: (v) => v.reduce((a, b) => a + b, 0),
  mean: (v) => v.reduce((a, b) => a + b, 0) / v.length,
  /// The largest over the mean: 1 is perfectly even, 2 means one element carries twice its share.
  max_over_mean: (v) => Math.max(...v) / (v.reduce((a, b) => a + b, 0) / v.length),
};

/// The value at `path` in `root` (numbers, strings or booleans), an array for "*" paths, or
/// undefined when the path does not exist.
export function readPath(root, path) {
  let values = [root];
  let spread = false;
  for (const part of String(path).split('.')) {
    const next = [];
    for (const v of values) {
      if (v === null || typeof v !== 'object') return undefined;
      if (part === '*') {
        if (!Array.isArray(v)) return undefined;
        next.push(...v);
        spread = true;
      } else if (Array.isArray(v)) {
        if (!/^-?\d+$/.test(part)) return undefined;
        const i = Number(part) < 0 ? v.length + Number(part) : Number(part);
        if (i < 0 || i >= v.length) return undefined;
        next.push(v[i]);
      } else {
        if (!Object.prototype.hasOwnProperty.call(v, part)) return undefined;
        next.push(v[part]);
      }
    }
    values = next;
  }
  return spread ? values : values[0];
}

/// Resolves one path against a run: {results, scenario}.
export function readRunPath(run, path) {
  const p = String(path);
  if (p.startsWith('scenario.')) return readPath(run.scenario, p.slice('scenario.'.length));
  return readPath(run.results, p);
}

/**
 * The value a metric spec names in a run. spec: {metric, per?, reduce?}; per is a path or an
 * array of paths whose sum divides the metric. Returns {value} (a number, or a string for
 * text metrics such as a digest) or {error} saying what is missing.
 */
export function metricValue(run, spec) {
  let value = readRunPath(run, spec.metric);
  if (value === undefined) return { error: `no value at "${spec.metric}"` };
  if (Array.isArray(value)) {
    const reduce = reducers[spec.reduce];
    if (!reduce) return { error: `"${spec.metric}" has several values: say how to combine them with "reduce"` };
    if (!value.length || value.some((v) => typeof v !== 'number')) return { error: `"${spec.metric}" is not a list of numbers` };
    value = reduce(value);
  }
  if (spec.per === undefined) return { value };
  if (typeof value !== 'number') return { error: `"${spec.metric}" is not a number, so it cannot be divided` };
  const pers = Array.isArray(spec.per) ? spec.per : [spec.per];
  let divisor = 0;
  for (const p of pers) {
    const d = readRunPath(run, p);
    if (typeof d !== 'number') return { error: `no number at "${p}"` };
    divisor += d;
  }
  if (divisor === 0) return { error: `"${pers.join(' + ')}" is zero in this run` };
  return { value: value / divisor };
}

/// Formats a metric value for people. format: number|percent|ms|s|bytes|ratio|text.
export function formatValue(value, format = 'number') {
  if (value === undefined || value === null) return '–';
  if (typeof value !== 'number') return String(value);
  if (!Number.isFinite(value)) return String(value);
  const round = (v, digits) => Number(v.toFixed(digits)).toLocaleString('en', { maximumFractionDigits: digits });
  switch (format) {
    case 'percent': return `${round(value * 100, value < 0.1 ? 2 : 1)}%`;
    case 'ms': return withUnit(value, 'ms');
    case 's': return `${round(value, 2)} s`;
    case 'bytes': return `${round(value, 0)} B`;
    case 'ratio': return `${round(value, 2)}×`;
    default: return Number.isInteger(value) ? value.toLocaleString('en') : round(value, Math.abs(value) < 10 ? 3 : 1);
  }
}
