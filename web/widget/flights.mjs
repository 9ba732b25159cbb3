// Requests in flight as the diagram shows them. The trace says where a request went and when
// (t0 -> t1, simulated seconds); this keeps each request's hops in order and tells, for a display
// time, where along which hop the request is. Hops shorter than `floor` are stretched to `floor`
// so that a 10 ms hop stays visible; a request's hops never overlap, so a dot moves along its
// path in order. No simulation rule lives here: positions are interpolated only.

/// Trace kinds and nodes: the lab API's constants (the core's numbers).
import { Kind, Node } from '../lab/stateless-lab.mjs';

export { Kind, Node };

const PARKED_MAX_S = 30;  // a request parked this long (simulated s) lost its later hops to a full trace

export class FlightTracker {
  /// cap: requests drawn at most; past it, only every stride-th request id is followed.
  constructor({ cap = 3000 } = {}) {
    this.cap = cap;
    this.flights = new Map();
    this.stride = 1;
    /// Requests not drawn because of the cap (since the last clear).
    this.skipped = 0;
  }

  clear() {
    this.flights.clear();
    this.stride = 1;
    this.skipped = 0;
  }

  get size() { return this.flights.size; }

  /// Takes one step's trace. floor: shortest drawn hop, simulated seconds.
  ingest(trace, floor) {
    const n = trace.count;
    const { request, user, from, to, kind, outcome, flags, t0, t1 } = trace;
    const flights = this.flights;
    for (let i = 0; i < n; ++i) {
      const k = kind[i];
      if (k === Kind.ACTION) continue;
      const id = request[i];
      let f = flights.get(id);
      if (!f) {
        if (this.stride > 1 && id % this.stride !== 0) { if (k === Kind.ARRIVE) this.skipped++; continue; }
        if (flights.size >= this.cap * 1.5) { if (k === Kind.ARRIVE) this.skipped++; continue; }
        f = { id, user: user[i], segs: [], i: 0, end: -Infinity };
        flights.set(id, f);
      }
      let a = from[i];
      let b = to[i];
      if (k === Kind.ARRIVE) { a = Node.USERS; b = Node.BALANCER; }
      else if (k === Kind.REJECTED || k === Kind.FAILED) b = a;  // happens at `from`
      const vs = Math.max(t0[i], f.end);
      const ve = vs + Math.max(t1[i] - t0[i], floor);
      f.end = ve;
      f.segs.push({
        from: a, to: b, vs, ve, kind: k, outcome: outcome[i], flags: flags[i],
        terminal: k === Kind.DONE || k === Kind.REJECTED || k === Kind.FAILED,
      });
    }
    // Follow fewer requests when too many are in flight, more when there is room again.
    if (flights.size > this.cap && this.stride < 256) this.stride *= 2;
    else if (flights.size < this.cap / 2 && this.stride > 1) this.stride /= 2;
  }

  /// Calls visit(flight, seg, p) for every request visible at display time now (simulated s).
  /// p in (0, 1): moving along seg; p = 0: waiting at seg.from; p = 1: parked at seg.to.
  forEach(now, visit) {
    for (const f of this.flights.values()) {
      const segs = f.segs;
      let s = segs[f.i];
      while (now >= s.ve && f.i < segs.length - 1) s = segs[++f.i];
      if (f.i > 8) { segs.splice(0, f.i); f.i = 0; }
      if (now >= s.ve) {
        if (s.terminal || now - s.ve > PARKED_MAX_S) { this.flights.delete(f.id); continue; }
        visit(f, s, 1);
      } else if (now < s.vs) {
        visit(f, s, 0);
      } else {
        visit(f, s, (now - s.vs) / (s.ve - s.vs));
      }
    }
  }
}
