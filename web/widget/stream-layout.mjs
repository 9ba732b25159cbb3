// Where the stream view draws everything, in CSS pixels: the source, the partitions (each a
// log), the workers (each running the pipeline's operators and holding its window state), the
// sinks (output and window results) and the timeline strip under them. Left to right on wide
// screens, top to bottom on narrow ones. Pure: no DOM, so node tests can check it.
import VOCABULARY from '../lab/core/vocabulary.mjs';

const PAD = 10;             // outer margin
const TIMELINE_H = 50;      // strip with checkpoint, crash and restart markers
const NARROW_BELOW = 560;   // narrower than this: top to bottom

/// Short words for an operator of the scenario's pipeline ({op, ...} as in the scenario JSON).
export function operatorLabel(op) {
  switch (op?.op) {
    case 'filter': return `filter ${op.field === 'key' ? 'key' : 'value'} ≥ ${op.min ?? 0}`;
    case 'map': return `map ×${op.scale ?? 1}`;
    case 'route': return `route to ${op.outputs ?? 2}`;
    case 'window_count': return `count ${op.window_s ?? 5} s`;
    case 'window_sum': return `sum ${op.window_s ?? 5} s`;
    default: return String(op?.op ?? '?');
  }
}

/// Even shorter words, for chips on narrow screens.
export function operatorShort(op) {
  switch (op?.op) {
    case 'filter': return 'filter';
    case 'map': return 'map';
    case 'route': return 'route';
    case 'window_count': return 'count';
    case 'window_sum': return 'sum';
    default: return String(op?.op ?? '?');
  }
}

/// True for the operators that keep state between events.
/// Whether an operator keeps state between events, as the core says.
export const isStateful = (op) => VOCABULARY.statefulStreamOperators.includes(op?.op);

/// Boxes of a grid: n cells in `cols` columns filling {x, y, w, h} with `gap` between cells;
/// byColumn: cell i goes down the column first.
function grid(n, cols, area, gap, { byColumn = false, maxW = Infinity, maxH = Infinity } = {}) {
  const rows = Math.max(1, Math.ceil(n / cols));
  const w = Math.min(maxW, (area.w - gap * (cols - 1)) / cols);
  const h = Math.min(maxH, (area.h - gap * (rows - 1)) / rows);
  const realW = cols * w + (cols - 1) * gap;
  const realH = rows * h + (rows - 1) * gap;
  const x0 = area.x + (area.w - realW) / 2;
  const y0 = area.y + (area.h - realH) / 2;
  const out = [];
  for (let i = 0; i < n; ++i) {
    const c = byColumn ? Math.floor(i / rows) : i % cols;
    const r = byColumn ? i % rows : Math.floor(i / cols);
    out.push({ x: x0 + c * (w + gap), y: y0 + r * (h + gap), w, h });
  }
  return out;
}

/// Columns needed so that n cells of at least minH (plus gap) fit in height h, at most maxCols.
function columnsFor(n, h, minH, gap, maxCols) {
  let cols = 1;
  while (cols < maxCols && Math.ceil(n / cols) * (minH + gap) - gap > h) cols++;
  return cols;
}

/// The inside of a worker box: name row, operator chips, state row.
function workerInside(box, operators) {
  const n = Math.max(1, operators);
  const gap = 4;
  const compact = box.h < 62;
  const chipH = compact ? 14 : 17;
  const chipY = box.y + (compact ? 19 : 22);
  const chipW = Math.min(96, (box.w - 12 - gap * (n - 1)) / n);
  // Chips start at the left edge: events enter the worker straight into its first operator.
  const x0 = box.x + 6;
  const chips = [];
  for (let i = 0; i < operators; ++i) chips.push({ x: x0 + i * (chipW + gap), y: chipY, w: chipW, h: chipH });
  const stateY = chipY + chipH + 4;
  return { ...box, chips, state: { x: box.x + 6, y: stateY, w: box.w - 12, h: Math.max(8, box.y + box.h - 4 - stateY) } };
}

/// The whole picture for a width and a model size:
/// spec = {partitions, workers, operators (count), output (bool), results (bool)}.
/// minHeight: at least this tall. Returns {width, height, narrow, source, parts, workers,
/// output, results, timeline}; every box is {x, y, w, h}; workers also have chips and state.
export function layoutStream(width, spec, minHeight = 0) {
  const P = Math.max(1, spec.partitions | 0);
  const W = Math.max(1, spec.workers | 0);
  const ops = Math.max(0, spec.operators | 0);
  const showOut = spec.output !== false;
  const showRes = !!spec.results;
  const narrow = width < NARROW_BELOW;
  let source; let parts; let workers; let output = null; let results = null; let bodyBottom;

  if (!narrow) {
    const srcW = Math.max(58, Math.min(96, width * 0.07));
    const partX = PAD + srcW + Math.max(26, width * 0.035);
    const partW = Math.max(110, Math.min(230, width * 0.19));
    const sinkW = Math.max(96, Math.min(170, width * 0.13));
    const sinkX = width - PAD - sinkW;
    const workX = partX + partW + Math.max(34, width * 0.05);
    const workW = sinkX - Math.max(30, width * 0.04) - workX;
    const gapP = 4;
    const gapW = 8;
    // Tall enough for every partition row and every worker at a readable size.
    let bodyH = Math.max(220, Math.min(460, Math.max(P * 34, W * 80)));
    const pCols = columnsFor(P, bodyH, 22, gapP, 4);
    const wCols = columnsFor(W, bodyH, 54, gapW, Math.max(1, Math.floor(workW / 150)));
    bodyH = Math.max(bodyH, Math.ceil(P / pCols) * (22 + gapP), Math.ceil(W / wCols) * (54 + gapW));
    bodyH = Math.max(bodyH, minHeight - TIMELINE_H - 2 * PAD - 14);
    const top = PAD;
    source = { x: PAD, y: top + bodyH / 2 - 32, w: srcW, h: 64 };
    parts = grid(P, pCols, { x: partX, y: top, w: partW, h: bodyH }, gapP, { byColumn: true, maxH: 36 });
    workers = grid(W, wCols, { x: workX, y: top, w: workW, h: bodyH }, gapW, { byColumn: true, maxH: 96, maxW: 420 });
    const sinks = [showOut, showRes].filter(Boolean).length;
    const sinkH = Math.min(92, (bodyH - 12) / Math.max(1, sinks));
    const sy = top + (bodyH - sinks * sinkH - (sinks - 1) * 12) / 2;
    if (showOut) output = { x: sinkX, y: sy, w: sinkW, h: sinkH };
    if (showRes) results = { x: sinkX, y: sy + (showOut ? sinkH + 12 : 0), w: sinkW, h: sinkH };
    bodyBottom = top + bodyH;
  } else {
    const inner = width - 2 * PAD;
    source = { x: width / 2 - 80, y: PAD, w: 160, h: 30 };
    const gapP = 5;
    const pCols = Math.max(1, Math.min(P, 8, Math.floor((inner + gapP) / (86 + gapP))));
    const pRows = Math.ceil(P / pCols);
    const partTop = source.y + source.h + 26;
    const partH = pRows * 30 + (pRows - 1) * gapP;
    parts = grid(P, pCols, { x: PAD, y: partTop, w: inner, h: partH }, gapP, { maxW: 150 });
    const gapW = 6;
    const wCols = Math.max(1, Math.min(W, Math.floor((inner + gapW) / (200 + gapW))));
    const wRows = Math.ceil(W / wCols);
    const workTop = partTop + partH + 30;
    const workH = wRows * 74 + (wRows - 1) * gapW;
    workers = grid(W, wCols, { x: PAD, y: workTop, w: inner, h: workH }, gapW, { maxW: 420 });
    const sinkTop = workTop + workH + 28;
    const both = showOut && showRes;
    const sw = both ? (inner - 8) / 2 : Math.min(inner, 220);
    const sx = both ? PAD : width / 2 - sw / 2;
    if (showOut) output = { x: sx, y: sinkTop, w: sw, h: 46 };
    if (showRes) results = { x: both ? sx + sw + 8 : sx, y: sinkTop, w: sw, h: 46 };
    bodyBottom = (showOut || showRes) ? sinkTop + 46 : workTop + workH;
  }
  const tlTop = bodyBottom + 14;
  const height = Math.max(minHeight, Math.ceil(tlTop + TIMELINE_H + PAD));
  return {
    width, height, narrow, source, output, results,
    parts,
    workers: workers.map((b) => workerInside(b, ops)),
    timeline: { x: PAD + (narrow ? 4 : 40), y: tlTop, w: width - 2 * PAD - (narrow ? 8 : 80), h: TIMELINE_H },
  };
}

/// The x of simulated time t on the timeline (clamped to its ends).
export function timelineX(L, t, end) {
  const f = end > 0 ? Math.min(1, Math.max(0, t / end)) : 0;
  return L.timeline.x + f * L.timeline.w;
}

/// What is at a point (CSS pixels): {type: 'worker', id} | {type: 'partition', id} | null.
export function hitStream(L, x, y) {
  if (!L) return null;
  const inside = (r) => r && x >= r.x && x <= r.x + r.w && y >= r.y && y <= r.y + r.h;
  for (let i = 0; i < L.workers.length; ++i) if (inside(L.workers[i])) return { type: 'worker', id: i };
  for (let i = 0; i < L.parts.length; ++i) if (inside(L.parts[i])) return { type: 'partition', id: i };
  return null;
}
