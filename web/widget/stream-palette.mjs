// The stream view's marks: what an event or a window result looks like on the canvas, in the
// legend and in words. They borrow the widget's outcome palette (palette.mjs: Okabe-Ito colours,
// each with its own shape), so colour is never the only cue and both views read alike.
import { outcomes, outcomeColor, shapeSvg } from './palette.mjs';

// Trace constants of the stream model are the lab API's (the core's names), not copies; the
// API module loads in node without the WebAssembly core, which only loadLab() fetches.
import { StreamKind, StreamFlag } from '../lab/stateless-lab.mjs';

export { StreamKind, StreamFlag };

/// Marks in drawing order. `code` picks the colour and shape of palette.mjs's outcomes.
export const marks = [
  { key: 'event', code: 0, label: 'event' },
  { key: 'replayed', code: 1, label: 'replayed event or window (processed again)' },
  { key: 'lost', code: 2, label: 'window whose state was lost in a crash' },
  { key: 'filtered', code: 3, label: 'event dropped by the filter' },
  { key: 'window', code: 4, label: 'window result' },
];
export const Mark = Object.freeze({ EVENT: 0, REPLAYED: 1, LOST: 2, FILTERED: 3, WINDOW: 4 });

/// The mark of one trace event (kind and flags as the trace reports them).
export function markOf(kind, flags) {
  if (kind === StreamKind.WINDOW) {
    if (flags & StreamFlag.LOST_STATE) return Mark.LOST;
    if (flags & (StreamFlag.REPLAYED | StreamFlag.REPEAT)) return Mark.REPLAYED;
    return Mark.WINDOW;
  }
  if (flags & StreamFlag.REPLAYED) return Mark.REPLAYED;
  if (flags & StreamFlag.FILTERED) return Mark.FILTERED;
  return Mark.EVENT;
}

/// Canvas shape name of a mark ('circle', 'triangle', ...; see palette.traceShape).
export const markShape = (m) => outcomes[marks[m].code].shape;
/// Fill colour of a mark in a theme ('light' | 'dark').
export const markColor = (m, theme) => outcomeColor(marks[m].code, theme);
/// Inline SVG of a mark for the HTML legend (coloured by theme.css's .shape rules).
export const markSvg = (m, size = 14) => shapeSvg(marks[m].code, size);
