// Live charts of the per-interval series (uPlot): latency p50/p99, throughput, failures and
// session misses, and per-server load. In compare mode both runs share each chart: the primary
// (A) drawn solid, the compared run (B) dashed.
import uPlot from 'uplot';
import { outcomeColor, runColors } from './palette.mjs';
import { ChartPanel, HEIGHT } from './chart-panel.mjs';
import { quantity as fmt } from './number-format.mjs';

const nums = (a) => (Array.isArray(a) ? a : []);

export class Charts extends ChartPanel {
  /// container: element to fill; opts: {compare, labels: {a, b}, theme, colors: {fg, muted, line}}.
  constructor(container, opts) {
    super(container, opts);
    this.lastPerServer = null;
  }

  *build() {
    const { compare, labels, theme } = this.opts;
    const rc = runColors[theme] ?? runColors.light;
    const two = (name, key, extra = {}) => {
      const s = [{ label: `${name}${compare ? ` ${labels.a}` : ''}`, stroke: rc.a, width: 2, ...extra, key: `${key}a` }];
      if (compare) s.push({ label: `${name} ${labels.b}`, stroke: rc.b, width: 2, dash: [5, 4], ...extra, key: `${key}b` });
      return s;
    };
    const width = this.width();
    const base = (series, yLabel) => ({
      width, height: HEIGHT,
      scales: { x: { time: false }, y: { range: (u, min, max) => [0, Math.max(1, (Number.isFinite(max) ? max : 0) * 1.1)] } },
      axes: this.axes(yLabel),
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      // Legends show the value under the cursor, or nothing (never a placeholder dash).
      series: [{ label: 't', value: (u, v) => (v == null ? '' : `${v} s`) }, ...series.map(({ key, ...s }) => ({ ...s, value: (u, v) => (v == null ? '' : fmt(v)) }))],
    });
    const latency = [
      ...two('p50 ms', 'p50'),
      ...two('p99 ms', 'p99', { width: 1.5, dash: [2, 3] }),
    ];
    if (compare) latency[3].dash = [8, 3, 2, 3];
    this.latency = new uPlot(base(latency, 'ms'), this.emptyData(latency.length), this.figure('Latency (p50 and p99)'));
    this.plots.push(this.latency);
    yield;
    const thr = two('completed/s', 'thr');
    this.throughput = new uPlot(base(thr, 'req/s'), this.emptyData(thr.length), this.figure('Throughput'));
    this.plots.push(this.throughput);
    yield;
    const bad = [];
    const keys = [['misses', 1], ['failed', 2], ['rejected', 3], ['denied', 4]];
    for (const [k, code] of keys) {
      bad.push({ label: `${k}/s${compare ? ` ${labels.a}` : ''}`, stroke: outcomeColor(code, theme), width: 2 });
      if (compare) bad.push({ label: `${k}/s ${labels.b}`, stroke: outcomeColor(code, theme), width: 1.5, dash: [5, 4] });
    }
    this.failures = new uPlot(base(bad, 'per s'), this.emptyData(bad.length), this.figure('Failures and session misses'));
    this.plots.push(this.failures);
    yield;
    const bars = uPlot.paths.bars({ size: [compare ? 0.4 : 0.7, 40], align: compare ? -1 : 0 });
    const barsB = uPlot.paths.bars({ size: [0.4, 40], align: 1 });
    const loadSeries = [{ label: `busy %${compare ? ` ${labels.a}` : ''}`, stroke: rc.a, fill: rc.a + '99', paths: bars, points: { show: false } }];
    if (compare) loadSeries.push({ label: `busy % ${labels.b}`, stroke: rc.b, fill: rc.b + '99', paths: barsB, points: { show: false } });
    const loadOpts = base(loadSeries, 'busy %');
    loadOpts.scales.y = { range: [0, 100] };
    loadOpts.scales.x = { time: false, range: (u, min, max) => [min - 0.6, max + 0.6] };
    loadOpts.axes[0] = { ...loadOpts.axes[0], label: 'server', values: (u, v) => v.map((x) => (Number.isInteger(x) ? `S${x}` : '')) };
    loadOpts.series[0] = { label: 'server', value: (u, v) => (v == null ? '' : `S${v}`) };
    this.load = new uPlot(loadOpts, this.emptyData(loadSeries.length), this.figure('Load per server (workers busy, last interval)'));
    this.plots.push(this.load);
    yield;
  }

  emptyData(n) {
    return [[], ...Array.from({ length: n }, () => [])];
  }

  width() {
    const fig = this.container.querySelector('.chart');
    const w = fig ? fig.clientWidth : this.container.clientWidth;
    return Math.max(200, Math.floor(w || 300));
  }

  /// New series (the lab's series objects) of A and (compare) B.
  update(a, b) {
    const lastRow = (s) => {
      const rows = s?.server_utilization;
      return Array.isArray(rows) && rows.length ? rows[rows.length - 1].map((u) => Math.round(u * 1000) / 10) : [];
    };
    const loadA = lastRow(a);
    const loadB = b ? lastRow(b) : null;
    // The series grows one point per interval: nothing to redraw between two points.
    const key = `${a.t_s?.length}|${b?.t_s?.length}|${a.t_s?.[a.t_s.length - 1]}`;
    if (key === this.lastKey) return;
    this.lastKey = key;
    const t = nums(a.t_s);
    const n = t.length;
    const per = (s, key) => {
      const iv = s?.interval_s || 1;
      return Array.from({ length: n }, (_, i) => (s && s[key] && i < s[key].length ? s[key][i] / iv : null));
    };
    const val = (s, key) => Array.from({ length: n }, (_, i) => (s && s[key] && i < s[key].length ? s[key][i] : null));
    // Intervals with no latency measured (warm-up, nothing completed) report 0 ms: a gap, not 0.
    const lat = (s, key) => val(s, key).map((v) => (v === 0 ? null : v));
    const cmp = this.opts.compare;
    this.latency.setData(cmp ? [t, lat(a, 'p50_ms'), lat(b, 'p50_ms'), lat(a, 'p99_ms'), lat(b, 'p99_ms')]
      : [t, lat(a, 'p50_ms'), lat(a, 'p99_ms')]);
    this.throughput.setData(cmp ? [t, per(a, 'completed'), per(b, 'completed')] : [t, per(a, 'completed')]);
    const bad = [t];
    for (const k of ['misses', 'failed', 'rejected', 'denied']) {
      bad.push(per(a, k));
      if (cmp) bad.push(per(b, k));
    }
    this.failures.setData(bad);
    const m = Math.max(loadA.length, loadB?.length ?? 0);
    const xs = Array.from({ length: m }, (_, i) => i);
    const pad = (arr) => xs.map((i) => (arr && i < arr.length ? arr[i] : null));
    this.load.setData(cmp ? [xs, pad(loadA), pad(loadB)] : [xs, pad(loadA)]);
    this.describe(a, loadA);
  }

  /// Text equivalents for screen readers: the latest point of each chart.
  describe(a, loadA) {
    const last = (k) => { const arr = nums(a[k]); return arr.length ? arr[arr.length - 1] : null; };
    const iv = a.interval_s || 1;
    const t = last('t_s');
    if (t === null) return;
    const f = this.figures;
    f[0].plot.setAttribute('aria-label', `Latency at ${t} s: p50 ${fmt(last('p50_ms'))} ms, p99 ${fmt(last('p99_ms'))} ms`);
    f[1].plot.setAttribute('aria-label', `Throughput at ${t} s: ${fmt(last('completed') / iv)} completed per second`);
    f[2].plot.setAttribute('aria-label', `At ${t} s per second: ${fmt(last('misses') / iv)} session misses, ${fmt(last('failed') / iv)} failed, ${fmt(last('rejected') / iv)} rejected, ${fmt(last('denied') / iv)} denied`);
    f[3].plot.setAttribute('aria-label', `Workers busy per server in the last interval: ${loadA.map((v, i) => `S${i} ${fmt(v)}%`).join(', ')}`);
  }

}
