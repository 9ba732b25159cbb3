// A sweep on screen: one measure of a scenario against the values of one field (p99 against
// servers, misses against servers, latency against load), each point the mean over seeds with
// its range, and theory drawn over it when a formula applies. The points are computed in
// workers by sweep(); this only shows them, as a uPlot chart and as a table for screen readers.
import { sweep } from '../lab/sweep.mjs';
import { quantity as fmt } from './number-format.mjs';
import { adoptChartSheet } from './styles.mjs';

const HEIGHT = 220;

const el = (tag, props = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
};

/// Mean, min and max of the measure at each value: [{value, mean, min, max, n}].
export function summarise(points, measure) {
  const byValue = new Map();
  for (const p of points) {
    const v = measure(p);
    if (!Number.isFinite(v)) continue;
    if (!byValue.has(p.value)) byValue.set(p.value, []);
    byValue.get(p.value).push(v);
  }
  return [...byValue].map(([value, vs]) => ({
    value, n: vs.length, mean: vs.reduce((a, b) => a + b, 0) / vs.length, min: Math.min(...vs), max: Math.max(...vs),
  }));
}

export class SweepPanel {
  /**
   * container: element to fill. spec: {scenario, path, values, seeds: number[], xLabel, yLabel,
   * measure(point) -> number, theory?(value, point) -> number|null (or a promise of one), theoryLabel?, colors: {fg, line}}.
   */
  constructor(container, spec) {
    this.spec = spec;
    this.container = container;
    adoptChartSheet(container.ownerDocument);
    this.button = el('button', { type: 'button', class: 'run-button', text: `Run the sweep (${spec.values.length * spec.seeds.length} runs)` });
    this.cancel = el('button', { type: 'button', text: 'Cancel' });
    this.cancel.hidden = true;
    this.progress = el('progress', { max: String(spec.values.length * spec.seeds.length), value: '0', 'aria-label': 'Sweep progress' });
    this.progress.hidden = true;
    this.status = el('span', { class: 'status', role: 'status' });
    this.plot = el('div', { class: 'sweep-plot', role: 'img', 'aria-label': `${spec.yLabel} against ${spec.xLabel}: not run yet` });
    this.table = el('table', { class: 'sweep-table' });
    this.tableBox = el('details', { class: 'sweep-details' }, el('summary', { text: 'The numbers' }), this.table);
    this.tableBox.hidden = true;
    container.append(el('div', { class: 'experiment-run' }, this.button, this.cancel, this.progress, this.status), this.plot, this.tableBox);
    this.button.addEventListener('click', () => this.run());
    this.cancel.addEventListener('click', () => this.controller?.abort());
  }

  /// Runs the sweep (in workers), drawing points as they arrive; resolves to the summary rows.
  async run() {
    const { spec } = this;
    this.controller = new AbortController();
    this.button.disabled = true;
    this.cancel.hidden = false;
    this.progress.hidden = false;
    this.progress.value = 0;
    this.status.textContent = 'Running in the background…';
    const started = performance.now();
    try {
      const points = await sweep(spec.scenario, { path: spec.path, values: spec.values }, {
        seeds: spec.seeds, signal: this.controller.signal,
        onPoint: (_, done) => { this.progress.value = done; },
      });
      this.rows = await Promise.all(summarise(points, spec.measure).map(async (r) => {
        const point = points.find((p) => p.value === r.value);
        const theory = spec.theory ? await spec.theory(r.value, point) : null;
        return { ...r, theory: Number.isFinite(theory) ? theory : null };
      }));
      // uPlot is loaded with the first chart, not with the page: its set-up would lengthen start-up.
      this.uPlot ??= (await import('uplot')).default;
      this.draw();
      this.status.textContent = `Done: ${points.length} runs in ${((performance.now() - started) / 1000).toFixed(1)} s.`;
      return this.rows;
    } catch (e) {
      this.status.textContent = e?.name === 'AbortError' ? 'Cancelled.' : `The sweep could not run: ${e?.text ?? e?.message ?? e}`;
      return null;
    } finally {
      this.button.disabled = false;
      this.cancel.hidden = true;
      this.progress.hidden = true;
    }
  }

  draw() {
    const { spec, rows } = this;
    const xs = rows.map((r) => r.value);
    const hasTheory = rows.some((r) => r.theory !== null);
    const { fg, line } = spec.colors;
    const axis = { stroke: fg, grid: { stroke: line, width: 1 }, ticks: { stroke: line, width: 1 }, font: '11px system-ui, sans-serif' };
    const series = [
      { label: spec.xLabel },
      { label: `simulated (mean of ${spec.seeds.length} seeds)`, stroke: '#0072B2', width: 2, points: { show: true, size: 7 } },
      { label: 'lowest seed', stroke: '#0072B2', width: 1, dash: [2, 3], points: { show: false } },
      { label: 'highest seed', stroke: '#0072B2', width: 1, dash: [2, 3], points: { show: false } },
    ];
    const data = [xs, rows.map((r) => r.mean), rows.map((r) => r.min), rows.map((r) => r.max)];
    if (hasTheory) {
      series.push({ label: spec.theoryLabel ?? 'theory', stroke: '#D55E00', width: 2, dash: [8, 4], points: { show: true, size: 5 } });
      data.push(rows.map((r) => r.theory));
    }
    this.uplot?.destroy();
    const width = Math.max(240, Math.floor(this.container.clientWidth || 480));
    this.uplot = new this.uPlot({
      width, height: HEIGHT, series,
      scales: { x: { time: false } },
      axes: [{ ...axis, label: spec.xLabel, labelSize: 14 }, { ...axis, label: spec.yLabel, labelSize: 16, size: 50 }],
      legend: { live: false },
    }, data, this.plot);
    this.plot.setAttribute('aria-label', `${spec.yLabel} against ${spec.xLabel}: ${rows.map((r) => `${r.value}: ${fmt(r.mean)}${r.theory !== null ? ` (theory ${fmt(r.theory)})` : ''}`).join('; ')}`);
    const head = el('tr', {}, ...[spec.xLabel, `${spec.yLabel}, mean`, 'range over seeds', ...(hasTheory ? ['theory'] : [])].map((t) => el('th', { scope: 'col', text: t })));
    const body = rows.map((r) => el('tr', {}, el('th', { scope: 'row', text: String(r.value) }), el('td', { text: fmt(r.mean) }),
      el('td', { text: `${fmt(r.min)} – ${fmt(r.max)}` }), ...(hasTheory ? [el('td', { text: r.theory === null ? 'no formula' : fmt(r.theory) })] : [])));
    this.table.replaceChildren(el('caption', { text: `${spec.yLabel} against ${spec.xLabel}` }), el('thead', {}, head), el('tbody', {}, ...body));
    this.tableBox.hidden = false;
  }

  destroy() {
    this.controller?.abort();
    this.uplot?.destroy();
  }
}
