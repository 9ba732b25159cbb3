// Live charts of a stream run's per-interval series (uPlot, as the cluster view's charts):
// events per second in / processed / out, the backlog, and the p99 lag. Lines differ by dash
// as well as colour, and each chart has a text equivalent for screen readers.
import uPlot from 'uplot';
import { markColor, Mark } from './stream-palette.mjs';
import { ChartPanel, HEIGHT } from './chart-panel.mjs';
import { quantity as fmt } from './number-format.mjs';

export class StreamCharts extends ChartPanel {
  /// opts: {theme, colors: {fg, line}}.
  *build() {
    const { theme } = this.opts;
    const width = Math.max(200, Math.floor(this.container.clientWidth / 3) || 300);
    const base = (series, yLabel) => ({
      width, height: HEIGHT,
      scales: { x: { time: false }, y: { range: (u, min, max) => [0, Math.max(1, (Number.isFinite(max) ? max : 0) * 1.1)] } },
      axes: this.axes(yLabel),
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      series: [{ label: 't', value: (u, v) => (v == null ? '' : `${v} s`) },
        ...series.map((s) => ({ ...s, value: (u, v) => (v == null ? '' : fmt(v)) }))],
    });
    const c = (m) => markColor(m, theme);
    const empty = (n) => [[], ...Array.from({ length: n }, () => [])];
    this.events = new uPlot(base([
      { label: 'in/s', stroke: c(Mark.EVENT), width: 2 },
      { label: 'processed/s (replays too)', stroke: c(Mark.REPLAYED), width: 2, dash: [6, 3] },
      { label: 'out/s', stroke: c(Mark.WINDOW), width: 1.5, dash: [2, 3] },
    ], 'events/s'), empty(3), this.figure('Events per second'));
    this.plots.push(this.events);
    yield;
    this.backlog = new uPlot(base([{ label: 'backlog', stroke: c(Mark.FILTERED), width: 2 }], 'events'), empty(1), this.figure('Backlog (events waiting)'));
    this.plots.push(this.backlog);
    yield;
    this.lag = new uPlot(base([{ label: 'p99 lag ms', stroke: c(Mark.LOST), width: 2 }], 'ms'), empty(1), this.figure('Lag p99 (arrival to processed)'));
    this.plots.push(this.lag);
    yield;
  }

  /// series: the run's results().series ({interval_s, t_s, in, processed, out, backlog, lag_p99_ms}).
  update(s) {
    if (!s || !Array.isArray(s.t_s)) return;
    const key = `${s.t_s.length}|${s.t_s[s.t_s.length - 1]}`;
    if (key === this.lastKey) return;
    this.lastKey = key;
    const t = s.t_s;
    const iv = s.interval_s || 1;
    const per = (k) => t.map((_, i) => (Array.isArray(s[k]) && i < s[k].length ? s[k][i] / iv : null));
    const val = (k) => t.map((_, i) => (Array.isArray(s[k]) && i < s[k].length ? s[k][i] : null));
    this.events.setData([t, per('in'), per('processed'), per('out')]);
    this.backlog.setData([t, val('backlog')]);
    this.lag.setData([t, val('lag_p99_ms')]);
    const last = (k) => (Array.isArray(s[k]) && s[k].length ? s[k][s[k].length - 1] : null);
    const at = last('t_s');
    if (at === null) return;
    const f = this.figures;
    f[0].plot.setAttribute('aria-label', `Events per second at ${at} s: ${fmt(last('in') / iv)} in, ${fmt(last('processed') / iv)} processed, ${fmt(last('out') / iv)} out`);
    f[1].plot.setAttribute('aria-label', `Backlog at ${at} s: ${fmt(last('backlog'))} events waiting`);
    f[2].plot.setAttribute('aria-label', `Lag p99 at ${at} s: ${fmt(last('lag_p99_ms'))} ms`);
  }

}
