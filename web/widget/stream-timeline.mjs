// What the stream view remembers of a run's history, all of it read from the trace: markers on
// the timeline (checkpoints, crashes, restarts, partitions moving), the lost-state badge of a
// crashed worker, and how many events each partition still has to replay. Pure: no DOM.
import { StreamKind, StreamFlag } from './stream-palette.mjs';

/// Marker kinds on the timeline.
export const MarkerKind = Object.freeze({ CHECKPOINT: 'checkpoint', CRASH: 'crash', RESTART: 'restart', ASSIGN: 'assign' });

export class StreamTimeline {
  constructor({ maxMarkers = 4000 } = {}) {
    this.maxMarkers = maxMarkers;
    this.clear();
  }

  clear() {
    /// [{t, kind, worker, partitions, windows, entries, number, replays, back}] in time order.
    this.markers = [];
    /// Markers pushed since the last clear, those dropped off the front included.
    this.pushed = 0;
    /// worker -> {t, windows, partitions}: its last crash while it is down.
    this.crashed = new Map();
    /// partition -> events still to process a second time (from REPLAY minus replayed events).
    this.replayLeft = new Map();
    /// The last checkpoint seen: {t, number, entries} or null.
    this.lastCheckpoint = null;
    /// Window results emitted with lost state / again, since the last clear.
    this.lostWindows = 0;
    this.repeatWindows = 0;
    /// Event outputs that reached downstream a second time / that the idempotent sink dropped.
    this.duplicates = 0;
    this.deduplicated = 0;
  }

  /// Takes one step's trace. owners[partition]: the worker that owned it before this step
  /// (to name the partitions a crash strands). Returns what happened, for the narration:
  /// {news: [{t, kind, ...}], windows, lostWindows, repeatWindows, replayWindows, replayedEvents,
  /// duplicates, deduplicated} of this step (window results emitted: all, with lost state, again,
  /// during a replay; event outputs emitted a second time, and repeats the sink dropped).
  ingest(trace, owners = []) {
    const { kind, worker, partition, value, detail, flags, seq, t0, count } = trace;
    const news = [];
    const step = { lostWindows: 0, repeatWindows: 0, replayWindows: 0, replayedEvents: 0, windows: 0, duplicates: 0, deduplicated: 0 };
    for (let i = 0; i < count; ++i) {
      const k = kind[i];
      const t = t0[i];
      switch (k) {
        case StreamKind.PROCESS:
          if (flags[i] & StreamFlag.DUPLICATE) step.duplicates++;
          if (flags[i] & StreamFlag.DEDUPLICATED) step.deduplicated++;
          if (flags[i] & StreamFlag.REPLAYED) {
            step.replayedEvents++;
            const p = partition[i];
            const left = this.replayLeft.get(p);
            if (left !== undefined) {
              if (left <= 1) this.replayLeft.delete(p);
              else this.replayLeft.set(p, left - 1);
            }
          }
          break;
        case StreamKind.WINDOW:
          step.windows++;
          if (flags[i] & StreamFlag.LOST_STATE) step.lostWindows++;
          else if (flags[i] & StreamFlag.REPEAT) step.repeatWindows++;
          else if (flags[i] & StreamFlag.REPLAYED) step.replayWindows++;
          break;
        case StreamKind.CHECKPOINT: {
          const m = { t, kind: MarkerKind.CHECKPOINT, number: seq[i], entries: value[i] };
          this.lastCheckpoint = m;
          this.push(m);
          news.push(m);
          break;
        }
        case StreamKind.CRASH: {
          const w = worker[i];
          const parts = [];
          for (let p = 0; p < owners.length; ++p) if (owners[p] === w) parts.push(p);
          const m = { t, kind: MarkerKind.CRASH, worker: w, partitions: parts, owned: value[i], windows: detail[i] };
          this.crashed.set(w, m);
          this.push(m);
          news.push(m);
          break;
        }
        case StreamKind.RESTART: {
          const m = { t, kind: MarkerKind.RESTART, worker: worker[i] };
          this.crashed.delete(worker[i]);
          this.push(m);
          news.push(m);
          break;
        }
        case StreamKind.ASSIGN: {
          const m = { t, kind: MarkerKind.ASSIGN, worker: worker[i], partition: partition[i], back: detail[i] === 1, replays: 0 };
          this.push(m);
          news.push(m);
          break;
        }
        case StreamKind.REPLAY: {
          const p = partition[i];
          this.replayLeft.set(p, detail[i]);
          // The replay belongs to the takeover just reported for this partition.
          for (let j = news.length - 1; j >= 0; --j) {
            if (news[j].kind === MarkerKind.ASSIGN && news[j].partition === p) { news[j].replays = detail[i]; break; }
          }
          break;
        }
        default: break;
      }
    }
    this.lostWindows += step.lostWindows;
    this.repeatWindows += step.repeatWindows;
    this.duplicates += step.duplicates;
    this.deduplicated += step.deduplicated;
    return { news, ...step };
  }

  push(m) {
    this.markers.push(m);
    this.pushed += 1;
    if (this.markers.length > this.maxMarkers) this.markers.splice(0, this.markers.length - this.maxMarkers);
  }
}
