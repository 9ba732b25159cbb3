// The stream pipeline drawn on a canvas: source -> partitions (logs) -> workers (operators and
// window state) -> output / window results, with a timeline of checkpoints, crashes and
// restarts under it. Events and window results in flight are dots shaped and coloured by their
// mark (stream-palette.mjs). Draws what it is given: worker and partition views from the
// simulation, flights from StreamFlights, history from StreamTimeline.
import { traceShape, themeColors } from './palette.mjs';
import { marks, Mark, markShape, markColor, StreamKind } from './stream-palette.mjs';
import { layoutStream, timelineX, hitStream, operatorLabel, operatorShort, isStateful } from './stream-layout.mjs';
import { MarkerKind } from './stream-timeline.mjs';
import { compact } from './number-format.mjs';

const TAU = Math.PI * 2;
const hash = (n) => (Math.imul((n >>> 0) ^ (n >>> 15), 2654435761) >>> 0) / 4294967296;  // 0..1
const FLASH_MS = 1200;

export class StreamDiagram {
  /// pipeline: the scenario's operators ([{op, ...}]).
  constructor(canvas, pipeline) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d', { alpha: true });
    this.pipeline = pipeline;
    this.stateful = pipeline.some(isStateful);
    this.statefulIndex = pipeline.findIndex(isStateful);
    this.filterIndex = pipeline.findIndex((o) => o.op === 'filter');
    this.layout = null;
    this.fitted = new Map();  // fit() results by text, width, size and weight
    this.theme = 'light';
    this.colors = {};
    this.fills = [];
    this.flashes = [];  // {worker, kind: 'bad'|'good', until (ms)}
    /// Dots drawn in the last frame, how many of them between two places, frames drawn.
    this.drawn = 0;
    this.moving = 0;
    this.frames = 0;
    this.scratch = [{ x: 0, y: 0 }, { x: 0, y: 0 }];
  }

  /// Colours from the theme's custom properties on `from` (an element inside the widget).
  setTheme(from, theme) {
    this.theme = theme;
    this.colors = themeColors(from);
    this.fills = marks.map((m, i) => markColor(i, theme));
    this.font = getComputedStyle(from).getPropertyValue('--sl-font').trim() || 'system-ui, sans-serif';
    this.fitted.clear();
  }

  /// Sets the size (CSS pixels) and pixel ratio; spec as layoutStream's. Returns the layout.
  resize(width, spec, dpr, minHeight = 0) {
    this.layout = layoutStream(width, spec, minHeight);
    this.fitted.clear();
    const w = Math.round(width * dpr);
    const h = Math.round(this.layout.height * dpr);
    if (this.canvas.width !== w) this.canvas.width = w;
    if (this.canvas.height !== h) this.canvas.height = h;
    this.canvas.style.height = `${this.layout.height}px`;
    this.dpr = dpr;
    return this.layout;
  }

  hit(x, y) { return hitStream(this.layout, x, y); }

  /// Marks a worker for a short highlight (it crashed or restarted).
  flash(worker, kind, nowMs) {
    this.flashes.push({ worker, kind, until: nowMs + FLASH_MS });
  }

  // ----- geometry of flights -----

  /// Entry point of a partition for an event (spread by event number).
  partIn(p, id, out) {
    const b = this.layout.parts[p] ?? this.layout.parts[0];
    if (this.layout.narrow) { out.x = b.x + b.w * (0.2 + 0.6 * hash(id)); out.y = b.y; }
    else { out.x = b.x; out.y = b.y + b.h * (0.25 + 0.5 * hash(id)); }
    return out;
  }

  partOut(p, id, out) {
    const b = this.layout.parts[p] ?? this.layout.parts[0];
    if (this.layout.narrow) { out.x = b.x + b.w * (0.2 + 0.6 * hash(id + 3)); out.y = b.y + b.h; }
    else { out.x = b.x + b.w; out.y = b.y + b.h * (0.25 + 0.5 * hash(id + 3)); }
    return out;
  }

  chipPoint(w, i, id, out) {
    const wb = this.layout.workers[w] ?? this.layout.workers[0];
    const c = wb.chips[i];
    if (!c) { out.x = wb.x + wb.w / 2; out.y = wb.y + wb.h / 2; return out; }
    out.x = c.x + c.w * (0.25 + 0.5 * hash(id + 11));
    out.y = c.y + c.h * (0.3 + 0.4 * hash(id + 13));
    return out;
  }

  sinkPoint(box, slot, slots, id, out) {
    const inner = { x: box.x + 8, w: box.w - 16 };
    const f = slots > 1 ? (slot + 0.5) / slots : 0.5;
    out.x = inner.x + inner.w * f + (hash(id + 17) - 0.5) * Math.min(16, inner.w / Math.max(1, slots) * 0.6);
    out.y = box.y + box.h * (0.55 + 0.3 * hash(id + 19));
    return out;
  }

  /// Where flight f is at fraction p of its path (writes out).
  place(f, p, out) {
    const L = this.layout;
    const [a, b] = this.scratch;
    if (f.kind === StreamKind.ARRIVE) {
      const s = L.source;
      if (L.narrow) { a.x = s.x + s.w * (0.15 + 0.7 * hash(f.seq + 5)); a.y = s.y + s.h; }
      else { a.x = s.x + s.w; a.y = s.y + s.h * (0.3 + 0.4 * hash(f.seq + 5)); }
      this.partIn(f.partition, f.seq, b);
      return lerp(a, b, p, out);
    }
    if (f.kind === StreamKind.WINDOW) {
      this.chipPoint(f.worker, f.detail, f.key, a);
      if (L.results) this.sinkPoint(L.results, 0, 1, f.key * 31 + f.seq, b);
      else { b.x = a.x; b.y = a.y; }
      return lerp(a, b, p, out);
    }
    // PROCESS: partition -> the worker's operators -> output, or stopped by a filter / absorbed
    // into a window's state.
    const ops = this.pipeline.length;
    let last = ops - 1;
    let sink = null;
    if (f.mark === Mark.FILTERED && this.filterIndex >= 0) last = this.filterIndex;
    else if (this.stateful) last = this.statefulIndex;
    else if (L.output) sink = L.output;
    // Points: the partition, chips 0..last, the sink; one leg between two points.
    const legs = Math.max(1, last + 1 + (sink ? 1 : 0));
    const pos = p * legs;
    const leg = Math.min(legs - 1, Math.floor(pos));
    const q = pos - leg;
    const at = (j, o) => {
      if (j <= 0) return this.partOut(f.partition, f.seq, o);
      if (j - 1 <= last || !sink) return this.chipPoint(f.worker, Math.min(j - 1, Math.max(0, last)), f.seq, o);
      const outputs = Math.max(1, this.pipeline.find((x) => x.op === 'route')?.outputs ?? 1);
      return this.sinkPoint(sink, Math.max(0, f.detail), f.detail >= 0 ? outputs : 1, f.seq, o);
    };
    at(leg, a);
    at(Math.min(leg + 1, legs), b);
    return lerp(a, b, q, out);
  }

  // ----- drawing -----

  text(str, x, y, { size = 11.5, weight = 400, color, align = 'center', base = 'middle' } = {}) {
    const ctx = this.ctx;
    ctx.font = `${weight} ${size}px ${this.font}`;
    ctx.fillStyle = color ?? this.colors.fg;
    ctx.textAlign = align;
    ctx.textBaseline = base;
    ctx.fillText(str, x, y);
  }

  box(r, radius) {
    const ctx = this.ctx;
    ctx.beginPath();
    if (ctx.roundRect) ctx.roundRect(r.x, r.y, r.w, r.h, radius);
    else ctx.rect(r.x, r.y, r.w, r.h);
  }

  /// A mark's shape at (x, y), radius r, filled with its colour.
  shape(m, x, y, r) {
    const p = new Path2D();
    traceShape(p, markShape(m), x, y, r);
    this.ctx.fillStyle = this.fills[m];
    this.ctx.fill(p);
  }

  /// Text that fits a width: the long form, else the short one, else cut.
  fit(long, short, maxW, size, weight = 400) {
    // Remembered: the same labels come back every frame, and measuring text is what a frame
    // of a large pipeline (hundreds of operator chips) would otherwise spend most on.
    const key = `${long}\u0000${short}\u0000${maxW}\u0000${size}\u0000${weight}`;
    let text = this.fitted.get(key);
    if (text === undefined) {
      if (this.fitted.size > 4096) this.fitted.clear();
      text = this.#fit(long, short, maxW, size, weight);
      this.fitted.set(key, text);
    }
    return text;
  }

  #fit(long, short, maxW, size, weight) {
    this.ctx.font = `${weight} ${size}px ${this.font}`;
    if (this.ctx.measureText(long).width <= maxW) return long;
    if (short && this.ctx.measureText(short).width <= maxW) return short;
    let s = short ?? long;
    while (s.length > 1 && this.ctx.measureText(`${s}…`).width > maxW) s = s.slice(0, -1);
    return `${s}…`;
  }

  /// One frame. view: {workers, partitions, out, outputs, emitted, mode, end, rate, keys,
  /// timeline (StreamTimeline)}; flights: StreamFlights; now: display time (s); steps: reduced motion.
  draw(view, flights, now, { steps = false, wallMs = 0, focus = -1 } = {}) {
    const { ctx, layout: L } = this;
    if (!L) return;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, L.width, L.height);
    ctx.lineWidth = 1;
    this.drawEdges(view);
    this.drawSource(view);
    for (let p = 0; p < L.parts.length; ++p) this.drawPartition(p, view);
    for (let w = 0; w < L.workers.length; ++w) this.drawWorker(w, view, w === focus);
    this.drawSinks(view);
    this.drawDots(flights, now, steps);
    // Words over the dots: a busy stream must not hide what is what.
    for (let p = 0; p < L.parts.length; ++p) this.drawPartitionLabels(p, view);
    for (let w = 0; w < L.workers.length; ++w) this.drawWorkerLabels(w, view);
    this.drawSinks(view, true);
    this.drawTimeline(view, now);
    this.drawFlashes(wallMs);
    this.frames++;
  }

  drawEdges(view) {
    const { ctx, layout: L, colors: C } = this;
    ctx.strokeStyle = C.line;
    ctx.lineWidth = 1;
    ctx.beginPath();
    const s = L.source;
    for (const b of L.parts) {
      if (L.narrow) { ctx.moveTo(s.x + s.w / 2, s.y + s.h); ctx.lineTo(b.x + b.w / 2, b.y); }
      else { ctx.moveTo(s.x + s.w, s.y + s.h / 2); ctx.lineTo(b.x, b.y + b.h / 2); }
    }
    const sink = this.stateful ? L.results : L.output;
    if (sink) {
      for (const wb of L.workers) {
        if (L.narrow) { ctx.moveTo(wb.x + wb.w / 2, wb.y + wb.h); ctx.lineTo(sink.x + sink.w / 2, sink.y); }
        else { ctx.moveTo(wb.x + wb.w, wb.y + wb.h / 2); ctx.lineTo(sink.x, sink.y + sink.h / 2); }
      }
    }
    ctx.stroke();
    // Partition -> owner: solid to its home worker, dashed after a failover moved it.
    view.partitions.forEach((pt, p) => {
      if (pt.owner < 0 || !L.workers[pt.owner]) return;
      const wb = L.workers[pt.owner];
      const b = L.parts[p];
      const moved = pt.owner !== pt.home;
      ctx.strokeStyle = moved ? C.accent : C.border;
      ctx.lineWidth = moved ? 1.8 : 1;
      ctx.setLineDash(moved ? [5, 3] : []);
      ctx.beginPath();
      if (L.narrow) { ctx.moveTo(b.x + b.w / 2, b.y + b.h); ctx.lineTo(wb.x + wb.w / 2, wb.y); }
      else { ctx.moveTo(b.x + b.w, b.y + b.h / 2); ctx.lineTo(wb.x, wb.y + wb.h / 2); }
      ctx.stroke();
    });
    ctx.setLineDash([]);
    ctx.lineWidth = 1;
  }

  drawSource(view) {
    const { ctx, layout: L, colors: C } = this;
    const s = L.source;
    this.box(s, 8);
    ctx.fillStyle = C.node; ctx.fill();
    ctx.strokeStyle = C.border; ctx.lineWidth = 1.5; ctx.stroke(); ctx.lineWidth = 1;
    if (L.narrow) {
      this.text(`Source · ${compact(view.rate)} events/s · ${compact(view.keys)} keys`, s.x + s.w / 2, s.y + s.h / 2, { size: 11, weight: 600 });
    } else {
      this.text('Source', s.x + s.w / 2, s.y + 16, { size: 12, weight: 600 });
      this.text(`${compact(view.rate)}/s`, s.x + s.w / 2, s.y + 34, { size: 10.5, color: C.muted });
      this.text(`${compact(view.keys)} keys`, s.x + s.w / 2, s.y + 49, { size: 10.5, color: C.muted });
    }
  }

  /// A partition's box and its log, newest at the right and scaled alike for every partition:
  /// backlog (waiting) in the queue colour, the part processed since the last checkpoint shaded
  /// (a crash replays it), events still to replay in the replay colour, the checkpoint a flag.
  drawPartition(p, view) {
    const { ctx, layout: L, colors: C } = this;
    const b = L.parts[p];
    const pt = view.partitions[p];
    if (!pt) return;
    const waiting = pt.owner < 0;
    this.box(b, 5);
    ctx.fillStyle = C.node; ctx.fill();
    ctx.strokeStyle = waiting ? C.dead : C.border;
    ctx.lineWidth = 1.2;
    if (waiting) ctx.setLineDash([4, 3]);
    ctx.stroke();
    ctx.setLineDash([]); ctx.lineWidth = 1;
    if (b.h < 28) return;
    const replay = view.timeline.replayLeft.get(p) ?? 0;
    const x0 = b.x + 5;
    const x1 = b.x + b.w - 5;
    const y = b.y + b.h - 9;
    const scale = view.logSpan;
    const X = (e) => x1 - Math.min(1, Math.max(0, (pt.logEnd - e) / scale)) * (x1 - x0);
    ctx.fillStyle = C.line;
    ctx.fillRect(x0, y, x1 - x0, 5);
    // Positions are committed in every mode: the shaded part is what a crash would replay.
    if (pt.checkpoint < pt.position) {
      ctx.fillStyle = C.muted;
      ctx.globalAlpha = 0.45;
      ctx.fillRect(X(pt.checkpoint), y, X(pt.position) - X(pt.checkpoint), 5);
      ctx.globalAlpha = 1;
    }
    if (pt.backlog > 0) {
      ctx.fillStyle = C.queue;
      ctx.fillRect(X(pt.position), y, Math.max(1.5, x1 - X(pt.position)), 5);
    }
    if (replay > 0) {
      ctx.fillStyle = this.fills[Mark.REPLAYED];
      const rx = X(pt.position);
      ctx.fillRect(rx, y - 1, Math.max(1.5, X(pt.position + replay) - rx), 7);
    }
    const cx = X(pt.checkpoint);
    ctx.fillStyle = C.fg;
    ctx.fillRect(cx - 0.75, y - 4, 1.5, 11);
    ctx.fillRect(cx, y - 4, 4, 3);
  }

  /// Text on a plate of the node colour, so dots passing under it never hide it.
  label(str, x, y, opts) {
    const { ctx } = this;
    const size = opts.size ?? 11.5;
    ctx.font = `${opts.weight ?? 400} ${size}px ${this.font}`;
    const w = ctx.measureText(str).width;
    const left = opts.align === 'right' ? x - w : opts.align === 'left' ? x : x - w / 2;
    ctx.fillStyle = opts.plate ?? this.colors.node;
    ctx.fillRect(left - 2, y - size / 2 - 1.5, w + 4, size + 3);
    this.text(str, x, y, opts);
  }

  /// A partition's name, its owner and its replay badge (over the dots).
  drawPartitionLabels(p, view) {
    const { layout: L, colors: C } = this;
    const b = L.parts[p];
    const pt = view.partitions[p];
    if (!pt) return;
    const waiting = pt.owner < 0;
    const small = b.h < 28;
    const fs = small ? 10 : 11;
    const ty = b.y + (small ? b.h / 2 : 9);
    this.label(`P${p}`, b.x + 5, ty, { size: fs, weight: 600, align: 'left' });
    const replay = view.timeline.replayLeft.get(p) ?? 0;
    const room = b.w - 34 - (replay > 0 ? 40 : 0);
    const note = this.fit(waiting ? 'waiting for failover' : `→ W${pt.owner}`, waiting ? 'waiting' : `W${pt.owner}`, room, fs - 1);
    this.label(note, b.x + b.w - 5, ty, { size: fs - 1, align: 'right', color: waiting ? C.dead : C.muted });
    if (replay > 0) {
      // Replay badge: the replay mark's triangle and the events still to process again.
      const bx = b.x + 28;
      this.label(`↺${compact(replay)}`, bx + 10, ty, { size: fs - 1, align: 'left', color: C.fg, weight: 600 });
      this.shape(Mark.REPLAYED, bx + 4, ty, 3.6);
    }
  }

  /// A worker's box, its operator chips and its window state (under the dots).
  drawWorker(w, view, focused) {
    const { ctx, layout: L, colors: C } = this;
    const b = L.workers[w];
    const k = view.workers[w];
    if (!k) return;
    const alive = k.alive;
    this.box(b, 7);
    ctx.fillStyle = C.node; ctx.fill();
    ctx.lineWidth = focused ? 3 : 1.5;
    ctx.strokeStyle = focused ? C.accent : alive ? C.border : C.dead;
    if (!alive) ctx.setLineDash([5, 3]);
    ctx.stroke();
    ctx.setLineDash([]); ctx.lineWidth = 1;
    // Operators: stateless ones plain, windowed ones with a heavier border (they hold state).
    this.pipeline.forEach((op, i) => {
      const c = b.chips[i];
      if (!c) return;
      const st = isStateful(op);
      this.box(c, 4);
      ctx.fillStyle = C.bg; ctx.fill();
      ctx.strokeStyle = alive ? (st ? C.fg : C.border) : C.dead;
      ctx.lineWidth = st ? 1.6 : 1;
      if (!alive) ctx.setLineDash([3, 2]);
      ctx.stroke();
      ctx.setLineDash([]); ctx.lineWidth = 1;
    });
  }

  /// A worker's name, status, operator names and state (over the dots): one hollow square per
  /// open window entry it holds; a crashed worker shows what its crash did to the state.
  drawWorkerLabels(w, view) {
    const { ctx, layout: L, colors: C } = this;
    const b = L.workers[w];
    const k = view.workers[w];
    if (!k) return;
    const alive = k.alive;
    const owned = [];
    view.partitions.forEach((pt, p) => { if (pt.owner === w) owned.push(p); });
    const tight = b.h < 62;
    const fs = tight ? 11 : 12;
    const ty = b.y + (tight ? 9 : 11);
    this.label(`W${w}`, b.x + 6, ty, { size: fs, weight: 700, align: 'left', color: alive ? C.fg : C.dead });
    let status;
    if (!alive) status = 'down (crashed)';
    else if (k.paused) status = 'paused: checkpoint';
    else status = owned.length ? `owns ${owned.map((p) => `P${p}`).join(' ')}` : 'owns no partition';
    ctx.font = `700 ${fs}px ${this.font}`;
    const nameW = ctx.measureText(`W${w}`).width;
    const statusText = this.fit(status, alive ? (owned.length ? `${owned.length} part.` : 'idle') : 'down', b.w - nameW - 22, fs - 1.5);
    this.label(statusText, b.x + b.w - 6, ty, { size: fs - 1.5, align: 'right', color: alive ? C.muted : C.dead });
    this.pipeline.forEach((op, i) => {
      const c = b.chips[i];
      if (!c) return;
      const text = this.fit(operatorLabel(op), operatorShort(op), c.w - 6, 9.5);
      this.label(text, c.x + c.w / 2, c.y + c.h / 2 + 0.5, { size: 9.5, color: alive ? C.fg : C.dead, plate: C.bg });
    });
    const s = b.state;
    const sy = s.y + Math.min(s.h, 12) / 2;
    if (!alive) {
      const crash = view.timeline.crashed.get(w);
      const lost = crash?.windows ?? 0;
      if (this.stateful && view.mode === 'none' && lost > 0) {
        const text = `${compact(lost)} open ${lost === 1 ? 'window' : 'windows'} lost`;
        ctx.font = `600 10px ${this.font}`;
        const tw = ctx.measureText(text).width;
        const n = Math.min(lost, Math.max(0, Math.floor((s.w - tw - 12) / 9)));
        for (let i = 0; i < n; ++i) this.shape(Mark.LOST, s.x + 4 + i * 9, sy, 3.4);
        this.label(text, s.x + s.w, sy, { size: 10, align: 'right', color: C.fg, weight: 600 });
      } else {
        const words = !this.stateful ? 'stateless: no state to restore'
          : view.mode === 'exactly_once' ? 'state restored from the checkpoint'
            : view.mode === 'at_least_once' ? 'state kept; input replayed'
              : 'no open window lost';
        this.label(this.fit(words, 'nothing lost', s.w, 10), s.x, sy, { size: 10, align: 'left', color: C.muted });
      }
      return;
    }
    if (!this.stateful) {
      this.label('no state', s.x, sy, { size: 10, align: 'left', color: C.muted });
      return;
    }
    const n = k.stateEntries;
    const text = `${compact(n)} open ${n === 1 ? 'window' : 'windows'}`;
    ctx.font = `400 10px ${this.font}`;
    const lw = ctx.measureText(text).width;
    const fitN = Math.max(0, Math.floor((s.w - lw - 16) / 7));
    ctx.strokeStyle = C.fg;
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let i = 0; i < Math.min(n, fitN); ++i) ctx.rect(s.x + i * 7 + 0.5, sy - 2.5, 5, 5);
    ctx.stroke();
    this.label(n > fitN && fitN > 0 ? `+ ${text}` : text, s.x + s.w, sy, { size: 10, align: 'right', color: C.muted });
  }

  /// Output and window-result boxes. labels: the words pass (over the dots), else the shapes.
  drawSinks(view, labels = false) {
    const { ctx, layout: L, colors: C } = this;
    const sink = (r, title, lines) => {
      if (!labels) {
        this.box(r, 7);
        ctx.fillStyle = C.node; ctx.fill();
        ctx.strokeStyle = C.border; ctx.lineWidth = 1.5; ctx.stroke(); ctx.lineWidth = 1;
        return;
      }
      this.label(this.fit(title, null, r.w - 8, 11.5, 600), r.x + r.w / 2, r.y + 11, { size: 11.5, weight: 600 });
      lines.forEach((line, i) => {
        if (r.y + 25 + i * 14 > r.y + r.h - 6) return;
        this.label(this.fit(line, null, r.w - 8, 10.5), r.x + r.w / 2, r.y + 25 + i * 14, { size: 10.5, color: i ? C.fg : C.muted });
      });
    };
    if (L.output) {
      const route = this.pipeline.find((x) => x.op === 'route');
      sink(L.output, route ? `Output (${route.outputs ?? 2} routes)` : 'Output', [`${compact(view.out)} events`]);
      if (!labels && route && view.outputs?.length > 1 && L.output.h >= 56) {
        // Events per route output so far, as bars.
        const n = view.outputs.length;
        const r = L.output;
        const max = Math.max(1, ...view.outputs);
        const bw = (r.w - 16) / n;
        view.outputs.forEach((v, i) => {
          const h = Math.max(1, (r.h - 46) * v / max);
          ctx.fillStyle = C.line;
          ctx.fillRect(r.x + 8 + i * bw + 2, r.y + r.h - 6 - h, bw - 4, h);
        });
      }
    }
    if (L.results) {
      const w = view.windows ?? {};
      sink(L.results, 'Window results', [`${compact(view.emitted)} emitted`,
        `${compact(w.correct)} right · ${compact(w.wrong)} wrong`, `${compact(w.lost)} lost`]);
    }
  }

  drawDots(flights, now, steps) {
    const { ctx } = this;
    const paths = marks.map(() => new Path2D());
    const r = this.layout.narrow ? 2.5 : 3;
    const out = { x: 0, y: 0 };
    let drawn = 0;
    let moving = 0;
    flights.forEach(now, (f, p) => {
      if (steps) p = p < 0.5 ? 0 : 1;  // reduced motion: at a place, never between
      else if (p > 0 && p < 1) moving++;
      this.place(f, p, out);
      const big = f.kind === StreamKind.WINDOW ? 1.25 : 1;
      traceShape(paths[f.mark], markShape(f.mark), out.x, out.y, r * big);
      drawn++;
    });
    for (let m = 0; m < paths.length; ++m) {
      ctx.fillStyle = this.fills[m];
      ctx.fill(paths[m]);
    }
    this.drawn = drawn;
    this.moving = moving;
  }

  /// The run's time axis: checkpoints (flags), crashes (crosses), restarts (rings), now.
  drawTimeline(view, now) {
    const { ctx, layout: L, colors: C } = this;
    const T = L.timeline;
    const end = view.end;
    const ay = T.y + T.h - 16;
    ctx.strokeStyle = C.border;
    ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(T.x, ay); ctx.lineTo(T.x + T.w, ay); ctx.stroke();
    // Ticks at a round step.
    const steps = [1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 43200, 86400];
    const want = Math.max(2, Math.floor(T.w / 60));
    const step = steps.find((s) => end / s <= want) ?? Math.ceil(end / want);
    ctx.beginPath();
    for (let t = 0; t <= end + 1e-9; t += step) {
      const x = timelineX(L, t, end);
      ctx.moveTo(x, ay); ctx.lineTo(x, ay + 4);
      this.text(`${t}${t === 0 ? ' s' : ''}`, x, ay + 10, { size: 9.5, color: C.muted });
    }
    ctx.stroke();
    if (!L.narrow) this.text('time', T.x - 8, ay, { size: 10, color: C.muted, align: 'right' });
    // Markers up to now.
    const ms = view.timeline.markers;
    ctx.fillStyle = C.fg;
    let lastCkX = -Infinity;
    for (const m of ms) {
      if (m.t > now + 1e-9) continue;
      const x = timelineX(L, m.t, end);
      if (m.kind === MarkerKind.CHECKPOINT) {
        if (x - lastCkX < 2) continue;  // dense checkpoints: one flag per 2 px
        lastCkX = x;
        ctx.fillStyle = C.fg;
        ctx.fillRect(x - 0.6, ay - 12, 1.2, 12);
        ctx.fillRect(x, ay - 12, 5, 4);
      }
    }
    for (const m of ms) {
      if (m.t > now + 1e-9) continue;
      const x = timelineX(L, m.t, end);
      if (m.kind === MarkerKind.CRASH) {
        this.shape(Mark.LOST, x, ay - 22, 4.5);
        this.text(`W${m.worker}`, x + 7, ay - 22, { size: 9.5, align: 'left', color: C.fg, weight: 600 });
      } else if (m.kind === MarkerKind.RESTART) {
        ctx.strokeStyle = C.fg; ctx.lineWidth = 1.6;
        ctx.beginPath(); ctx.arc(x, ay - 22, 4.2, 0, TAU); ctx.stroke();
        ctx.lineWidth = 1;
        this.text(`W${m.worker}`, x + 7, ay - 22, { size: 9.5, align: 'left', color: C.fg, weight: 600 });
      }
    }
    // Now.
    const nx = timelineX(L, now, end);
    ctx.strokeStyle = C.accent;
    ctx.lineWidth = 2;
    ctx.beginPath(); ctx.moveTo(nx, T.y + 2); ctx.lineTo(nx, ay + 4); ctx.stroke();
    ctx.lineWidth = 1;
  }

  drawFlashes(wallMs) {
    const { ctx, layout: L } = this;
    this.flashes = this.flashes.filter((f) => f.until > wallMs);
    for (const f of this.flashes) {
      const r = L.workers[f.worker];
      if (!r) continue;
      ctx.globalAlpha = Math.max(0, (f.until - wallMs) / FLASH_MS);
      ctx.strokeStyle = f.kind === 'bad' ? this.fills[Mark.LOST] : this.fills[Mark.EVENT];
      ctx.lineWidth = 4;
      ctx.strokeRect(r.x - 3, r.y - 3, r.w + 6, r.h + 6);
      ctx.globalAlpha = 1;
      ctx.lineWidth = 1;
    }
  }
}

function lerp(a, b, p, out) {
  out.x = a.x + (b.x - a.x) * p;
  out.y = a.y + (b.y - a.y) * p;
  return out;
}
