// The difference between two runs in numbers: one table row per measure (A, B, B - A) and one
// sentence naming the largest differences, so a learner reads what changed, not only sees it.
import { count, quantity } from './number-format.mjs';

/// Measures compared: label, how to read it from results, unit, and whether lower is better.
export const measures = [
  { key: 'completed', label: 'Completed requests', get: (r) => r.requests?.completed, lower: false },
  { key: 'failed', label: 'Failed requests', get: (r) => r.requests?.failed, lower: true },
  { key: 'rejected', label: 'Rejected requests', get: (r) => r.requests?.rejected, lower: true },
  { key: 'denied', label: 'Denied (revoked) requests', get: (r) => r.requests?.denied, lower: true },
  { key: 'misses', label: 'Session misses (logged out)', get: (r) => r.sessions?.misses, lower: true },
  { key: 'lost', label: 'Sessions lost', get: (r) => r.sessions?.lost, lower: true },
  { key: 'revoked', label: 'Revoked tokens accepted', get: (r) => r.auth?.revoked_accepted, lower: true },
  { key: 'p50', label: 'Latency p50 (ms)', get: (r) => r.latency_ms?.p50, lower: true, real: true },
  { key: 'p99', label: 'Latency p99 (ms)', get: (r) => r.latency_ms?.p99, lower: true, real: true },
  { key: 'thr', label: 'Throughput (req/s)', get: (r) => r.throughput_per_s, lower: false, real: true },
  { key: 'lookups', label: 'Store lookups', get: (r) => r.store?.lookups, lower: null },
  { key: 'cred', label: 'Credential bytes per request', get: (r) => r.bytes?.credentials_per_request, lower: true, real: true },
];

const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function fmtNumber(v, real) {
  if (v === null) return '–';
  return real ? quantity(v) : count(v);
}

/// Rows {label, a, b, diff, better: 'a'|'b'|null} for two results objects.
export function compareRows(ra, rb) {
  const rows = [];
  for (const m of measures) {
    const a = num(m.get(ra ?? {}));
    const b = num(m.get(rb ?? {}));
    if (a === null && b === null) continue;
    if (!a && !b && m.key !== 'failed' && m.key !== 'misses') continue;  // both zero: nothing to say
    const diff = a !== null && b !== null ? b - a : null;
    let better = null;
    if (diff && m.lower !== null && Math.abs(diff) > (m.real ? 1e-9 : 0)) better = (diff < 0) === m.lower ? 'b' : 'a';
    rows.push({ key: m.key, label: m.label, a, b, diff, better, real: !!m.real });
  }
  return rows;
}

/// One sentence about the largest count differences.
export function compareSentence(rows, la, lb) {
  const counted = rows.filter((r) => !r.real && r.diff && ['failed', 'rejected', 'denied', 'misses', 'lost', 'revoked'].includes(r.key));
  if (!counted.length) {
    const p99 = rows.find((r) => r.key === 'p99');
    if (p99 && p99.diff) return `${lb} had ${p99.diff < 0 ? 'lower' : 'higher'} p99 latency (${fmtNumber(p99.b, true)} ms vs ${fmtNumber(p99.a, true)} ms); failures and session misses were the same.`;
    return 'No difference in failures or session misses so far.';
  }
  counted.sort((x, y) => Math.abs(y.diff) - Math.abs(x.diff));
  const parts = counted.slice(0, 2).map((r) => `${fmtNumber(Math.abs(r.diff))} ${r.diff < 0 ? 'fewer' : 'more'} ${r.label.toLowerCase()}`);
  return `${lb} had ${parts.join(' and ')} than ${la}.`;
}

export class CompareSummary {
  constructor(container) {
    this.container = container;
    this.table = document.createElement('table');
    this.caption = this.table.createCaption();
    this.caption.textContent = 'Difference in numbers';
    this.thead = this.table.createTHead();
    this.tbody = this.table.createTBody();
    this.sentence = document.createElement('p');
    // A focusable region: on a phone the table may scroll sideways, by keyboard too.
    container.setAttribute('role', 'region');
    container.setAttribute('aria-label', 'Difference in numbers');
    container.tabIndex = 0;
    container.replaceChildren(this.table, this.sentence);
  }

  update(ra, rb, la, lb) {
    const rows = compareRows(ra, rb);
    const head = document.createElement('tr');
    this.caption.replaceChildren('Difference in numbers', Object.assign(document.createElement('span'), { className: 'legend-ab', textContent: `A: ${la} · B: ${lb}` }));
    for (const text of ['Measure', 'A', 'B', 'B − A']) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = text;
      head.append(th);
    }
    this.thead.replaceChildren(head);
    const trs = rows.map((r) => {
      const tr = document.createElement('tr');
      tr.dataset.key = r.key;
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = r.label;
      const cell = (v, better) => {
        const td = document.createElement('td');
        td.textContent = fmtNumber(v, r.real);
        if (better) { td.className = 'better'; td.title = 'better'; }
        return td;
      };
      const d = document.createElement('td');
      d.textContent = r.diff === null ? '–' : (r.diff > 0 ? '+' : r.diff < 0 ? '−' : '') + fmtNumber(Math.abs(r.diff), r.real);
      tr.append(th, cell(r.a, r.better === 'a'), cell(r.b, r.better === 'b'), d);
      return tr;
    });
    this.tbody.replaceChildren(...trs);
    this.sentence.textContent = compareSentence(rows, la, lb);
  }
}
