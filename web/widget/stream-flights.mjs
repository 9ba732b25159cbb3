// Events and window results in flight, as the stream view draws them. The trace says what
// happened and when (an event appended to a partition, processed by a worker from t0 to t1, a
// window result emitted); this keeps one "flight" per drawn trace event and tells, for a display
// time, how far along its path it is. Flights shorter than `floor` are stretched to `floor` so
// a 2 ms step stays visible, and an event's processing never starts (on screen) before its
// arrival has landed. No simulation rule lives here: positions are interpolated only.
import { StreamKind, StreamFlag, markOf } from './stream-palette.mjs';

export class StreamFlights {
  /// cap: flights drawn at most; past it only every stride-th event number is followed.
  constructor({ cap = 2500 } = {}) {
    this.cap = cap;
    this.list = [];
    this.landed = new Map();  // event number -> display time its last flight ends
    this.stride = 1;
    /// Trace events not drawn because of the cap (since the last clear).
    this.skipped = 0;
  }

  clear() {
    this.list = [];
    this.landed.clear();
    this.stride = 1;
    this.skipped = 0;
  }

  get size() { return this.list.length; }

  /// Takes one step's trace (the lab's StreamTrace). floor: shortest drawn flight, simulated s.
  ingest(trace, floor) {
    const { kind, worker, partition, key, seq, detail, flags, t0, t1, count } = trace;
    const list = this.list;
    for (let i = 0; i < count; ++i) {
      const k = kind[i];
      if (k !== StreamKind.ARRIVE && k !== StreamKind.PROCESS && k !== StreamKind.WINDOW) continue;
      // Windows are sampled by key, events by number: a followed event keeps both its flights.
      const id = k === StreamKind.WINDOW ? key[i] >>> 0 : seq[i];
      if (this.stride > 1 && id % this.stride !== 0) { this.skipped++; continue; }
      if (list.length >= this.cap * 1.5) { this.skipped++; continue; }
      let vs = t0[i];
      let dur = Math.max(t1[i] - t0[i], floor);
      if (k === StreamKind.PROCESS) {
        const replay = (flags[i] & StreamFlag.REPLAYED) !== 0;
        // A replayed event arrived long ago; a fresh one waits until its arrival has landed.
        if (!replay) vs = Math.max(vs, this.landed.get(seq[i]) ?? -Infinity);
        dur = Math.max(t1[i] - t0[i], floor * 1.6);  // a longer path: into the worker and out
        this.landed.delete(seq[i]);
      }
      const f = {
        kind: k, mark: markOf(k, flags[i]), flags: flags[i], seq: seq[i], key: key[i],
        partition: partition[i], worker: worker[i], detail: detail[i], vs, ve: vs + dur,
      };
      if (k === StreamKind.ARRIVE) this.landed.set(seq[i], f.ve);
      list.push(f);
    }
    // Follow fewer events when too many are in flight, more when there is room again.
    if (list.length > this.cap && this.stride < 1024) this.stride *= 2;
    else if (list.length < this.cap / 2 && this.stride > 1) this.stride /= 2;
    if (this.landed.size > 4 * this.cap) this.landed.clear();
  }

  /// Calls visit(flight, p) for every flight visible at display time now (simulated s),
  /// p in [0, 1] along its path; flights that ended are dropped.
  forEach(now, visit) {
    const list = this.list;
    let keep = 0;
    for (let i = 0; i < list.length; ++i) {
      const f = list[i];
      if (now >= f.ve) continue;
      list[keep++] = f;
      if (now < f.vs) continue;  // not started yet: an arrival still in the partition's log
      visit(f, (now - f.vs) / (f.ve - f.vs));
    }
    list.length = keep;
  }
}
