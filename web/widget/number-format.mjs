// How the widget and the lessons write numbers, in one place, so that a figure reads the same
// wherever it appears (the numbers line, a chart's legend, a comparison, a lesson's table):
// about three significant figures, thousands grouped, the unit after a space, '–' for none.

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });  // one: making one per call is slow

const finite = (v) => typeof v === 'number' && Number.isFinite(v);

/// A count, rounded and grouped: 12,345.
export function count(n) {
  return finite(n) ? grouped.format(Math.round(n)) : '–';
}

/// A measured quantity to about three significant figures: 3,580 · 35.8 · 3.58.
export function quantity(v) {
  if (!finite(v)) return '–';
  const a = Math.abs(v);
  return a >= 100 ? grouped.format(Math.round(v)) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/// A quantity with its unit: '3,580 ms'.
export function withUnit(v, unit) {
  return finite(v) ? `${quantity(v)} ${unit}` : '–';
}

/// A count where space is tight (inside the diagram): 9,999 · 12.3k · 4.5M.
export function compact(n) {
  n = Number(n) || 0;
  const a = Math.abs(n);
  if (a >= 1e6) return `${(n / 1e6).toFixed(a >= 1e7 ? 0 : 1)}M`;
  if (a >= 1e4) return `${(n / 1e3).toFixed(a >= 1e5 ? 0 : 1)}k`;
  return String(Math.round(n));
}

/// A rate where space is tight: one decimal below 100, then as compact().
export function compactRate(r) {
  r = Number(r) || 0;
  return r >= 100 ? compact(r) : String(Math.round(r * 10) / 10);
}

/// A simulated time: '12.3 s'.
export function seconds(t) {
  return `${(Math.round(Number(t) * 10) / 10).toFixed(1)} s`;
}
