// What every chart panel of the widget shares: uPlot figures with captions and a text
// equivalent for screen readers, axes in the theme's colours, resizing with the container,
// and cleanup. The cluster view's Charts and the stream view's StreamCharts build on it.

/// Height of one chart, CSS pixels.
export const HEIGHT = 150;


export class ChartPanel {
  /// container: element to fill; opts: at least {colors: {fg, line}}. Subclasses draw in
  /// build(), a generator that yields after each chart. The constructor builds them all at
  /// once; ChartPanel.create() builds one chart per task.
  constructor(container, opts, { deferred = false } = {}) {
    this.container = container;
    this.opts = opts;
    this.plots = [];
    this.figures = [];
    this.lastKey = '';
    this.ro = null;
    this.building = this.build();
    if (!deferred) this.#finish();
  }

  /// A panel of this class built one chart per task (a uPlot costs tens of milliseconds on a
  /// slow machine; four in one task would block the page). Resolves to the panel, or to null
  /// when wanted() turns false part way (the panel is then destroyed).
  static async create(container, opts, { nextTask, wanted = () => true }) {
    const panel = new this(container, opts, { deferred: true });
    for (;;) {
      await nextTask();  // not in the task that asked for the charts either
      if (!wanted()) {
        panel.destroy();
        return null;
      }
      if (panel.building.next().done) break;
    }
    panel.#finish();
    return panel;
  }

  #finish() {
    while (!this.building.next().done);
    this.ro = new ResizeObserver(() => this.resize());
    this.ro.observe(this.container);
  }

  /// A captioned figure appended to the container; returns the element uPlot draws into.
  figure(title) {
    const fig = document.createElement('figure');
    fig.className = 'chart';
    const cap = document.createElement('figcaption');
    cap.textContent = title;
    const plot = document.createElement('div');
    plot.className = 'plot';
    plot.setAttribute('role', 'img');
    plot.setAttribute('aria-label', `${title}: no data yet`);
    fig.append(cap, plot);
    this.container.append(fig);
    this.figures.push({ fig, plot, title });
    return plot;
  }

  /// uPlot axes: simulated seconds across, yLabel up.
  axes(yLabel) {
    const { fg, line } = this.opts.colors;
    const axis = { stroke: fg, grid: { stroke: line, width: 1 }, ticks: { stroke: line, width: 1 }, font: '11px system-ui, sans-serif' };
    return [{ ...axis, label: 'simulated s', labelSize: 14, labelFont: '11px system-ui, sans-serif' },
      { ...axis, label: yLabel, labelSize: 16, labelFont: '11px system-ui, sans-serif', size: 44 }];
  }

  resize() {
    for (let i = 0; i < this.plots.length; ++i) {
      const w = Math.max(200, Math.floor(this.figures[i].fig.clientWidth || 300));
      if (this.plots[i].width !== w) this.plots[i].setSize({ width: w, height: HEIGHT });
    }
  }

  destroy() {
    this.ro?.disconnect();
    this.building.return();
    for (const p of this.plots) p.destroy();
    this.plots = [];
    this.container.replaceChildren();
  }
}
