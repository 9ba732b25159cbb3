// The cluster drawn on a canvas: users -> balancer -> servers -> session store, with every
// request in flight as a dot coloured and shaped by its outcome. Layout adapts to 1..256 servers
// and to narrow screens (top-to-bottom instead of left-to-right). Draws what it is given: server
// and store views from the simulation, dots from the FlightTracker.
import { Node } from './flights.mjs';
import { VOCABULARY } from '../lab/stateless-lab.mjs';
import { outcomes, outcomeColor, traceShape, themeColors } from './palette.mjs';
import { compact, compactRate } from './number-format.mjs';

const TAU = Math.PI * 2;
const hash = (n) => (Math.imul(n ^ (n >>> 15), 2654435761) >>> 0) / 4294967296;  // 0..1

/// Where everything is, in CSS pixels.
/// minHeight: at least this tall (two diagrams side by side share one height).
export function layoutDiagram(width, servers, showStore, minHeight = 0) {
  const n = Math.max(1, servers);
  const narrow = width < 520;
  if (!narrow) {
    const left = 12;
    const usersX = left + Math.max(34, width * 0.07);
    const balX = width * (showStore ? 0.27 : 0.3);
    const gridL = width * (showStore ? 0.42 : 0.47);
    const gridR = width * (showStore ? 0.76 : 0.95);
    const gridW = gridR - gridL;
    const gap = 6;
    const minH = 40;
    const baseH = Math.max(220, minHeight, Math.min(420, width * 0.42, n * 50 + 60));
    // Columns: as few as fit at a readable box height, given a height that may grow for many servers.
    let cols = 1;
    const maxCols = Math.max(1, Math.floor(gridW / 64));
    while (cols < maxCols && Math.ceil(n / cols) * (minH + gap) > baseH - 30) cols++;
    const rows = Math.ceil(n / cols);
    const height = Math.max(baseH, rows * (minH + gap) + 30);
    const boxH = Math.min(64, (height - 30 - gap * (rows - 1)) / rows);
    const boxW = Math.min(150, (gridW - gap * (cols - 1)) / cols);
    const totalH = rows * boxH + (rows - 1) * gap;
    const top = (height - totalH) / 2;
    const realW = cols * boxW + (cols - 1) * gap;
    const x0 = gridL + (gridW - realW) / 2;
    const boxes = [];
    for (let i = 0; i < n; ++i) {
      const c = Math.floor(i / rows);
      const r = i % rows;
      boxes.push({ x: x0 + c * (boxW + gap), y: top + r * (boxH + gap), w: boxW, h: boxH });
    }
    const midY = height / 2;
    return {
      width, height, narrow, boxes,
      users: { x: usersX, y: midY, spread: Math.min(height * 0.5, 160) },
      balancer: { x: balX - 44, y: midY - 30, w: 88, h: 60 },
      store: showStore ? { x: width * 0.84, y: midY - 38, w: Math.min(width * 0.14, 120), h: 76 } : null,
    };
  }
  // Narrow: top to bottom.
  const gap = 6;
  const cols = Math.min(n, Math.max(1, Math.floor((width - 16) / 72)), 8);
  const rows = Math.ceil(n / cols);
  const boxH = 46;
  const boxW = Math.min(120, (width - 16 - gap * (cols - 1)) / cols);
  const usersY = 24;
  const balY = 90;
  const gridTop = 156;
  const gridH = rows * boxH + (rows - 1) * gap;
  const storeTop = gridTop + gridH + 34;
  const height = Math.max(minHeight, showStore ? storeTop + 62 : gridTop + gridH + 16);
  const realW = cols * boxW + (cols - 1) * gap;
  const x0 = (width - realW) / 2;
  const boxes = [];
  for (let i = 0; i < n; ++i) {
    const r = Math.floor(i / cols);
    const c = i % cols;
    boxes.push({ x: x0 + c * (boxW + gap), y: gridTop + r * (boxH + gap), w: boxW, h: boxH });
  }
  return {
    width, height, narrow, boxes,
    users: { x: width / 2, y: usersY, spread: Math.min(width * 0.6, 200) },
    balancer: { x: width / 2 - 60, y: balY - 22, w: 120, h: 44 },
    store: showStore ? { x: width / 2 - 70, y: storeTop, w: 140, h: 56 } : null,
  };
}

export class Diagram {
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d', { alpha: true });
    this.width = 0;
    this.layout = null;
    this.theme = 'light';
    this.colors = {};
    this.flashes = [];  // {node, until (ms), color}
    /// Dots drawn in the last frame, and how many of them between nodes (benchmark, tests).
    this.drawn = 0;
    this.moving = 0;
    /// Frames drawn since creation.
    this.frames = 0;
  }

  /// Colours from the theme's custom properties on `from` (an element in the shadow root).
  setTheme(from, theme) {
    this.theme = theme;
    this.colors = themeColors(from);
    this.fills = outcomes.map((o) => outcomeColor(o.code, theme));
    this.font = getComputedStyle(from).getPropertyValue('--sl-font').trim() || 'system-ui, sans-serif';
  }

  /// Sets the size (CSS pixels) and device pixel ratio; returns the layout.
  resize(width, servers, showStore, dpr, minHeight = 0) {
    this.layout = layoutDiagram(width, servers, showStore, minHeight);
    const { height } = this.layout;
    const w = Math.round(width * dpr);
    const h = Math.round(height * dpr);
    if (this.canvas.width !== w) this.canvas.width = w;
    if (this.canvas.height !== h) this.canvas.height = h;
    this.canvas.style.height = `${height}px`;
    this.dpr = dpr;
    this.width = width;
    return this.layout;
  }

  /// Centre of a node, with a spread for requests waiting there (by request id).
  point(node, id, user, out) {
    const L = this.layout;
    if (node === Node.USERS) {
      const j = (user >= 0 ? hash(user + 7) : hash(id)) - 0.5;
      if (L.narrow) { out.x = L.users.x + j * L.users.spread; out.y = L.users.y + 8; }
      else { out.x = L.users.x + 10; out.y = L.users.y + j * L.users.spread; }
    } else if (node === Node.BALANCER) {
      const b = L.balancer;
      out.x = b.x + b.w / 2 + (hash(id) - 0.5) * b.w * 0.5;
      out.y = b.y + b.h / 2 + (hash(id + 1) - 0.5) * b.h * 0.4;
    } else if (node === Node.STORE) {
      const s = L.store ?? L.balancer;
      out.x = s.x + s.w / 2 + (hash(id) - 0.5) * s.w * 0.6;
      out.y = s.y + s.h / 2 + (hash(id + 3) - 0.5) * s.h * 0.3;
    } else {
      const b = L.boxes[node] ?? L.boxes[L.boxes.length - 1];
      out.x = b.x + 6 + hash(id) * (b.w - 12);
      out.y = b.y + b.h * 0.5 + hash(id + 5) * (b.h * 0.28);
    }
    return out;
  }

  /// Marks a node for a short highlight (an action took effect there).
  flash(node, kind, nowMs) {
    this.flashes.push({ node, kind, until: nowMs + 1200 });
  }

  /// Hit test in CSS pixels: {type: 'server', id} | {type: 'store'} | null.
  hit(x, y) {
    const L = this.layout;
    if (!L) return null;
    const inside = (r) => r && x >= r.x && x <= r.x + r.w && y >= r.y && y <= r.y + r.h;
    for (let i = 0; i < L.boxes.length; ++i) if (inside(L.boxes[i])) return { type: 'server', id: i };
    if (inside(L.store)) return { type: 'store' };
    return null;
  }

  /// Draws one frame. view: {servers, store, mode, policy, users, rate, workers, storeWorkers,
  /// tokenDenyList}; flights: FlightTracker; now: display time (s); steps: reduced motion.
  draw(view, flights, now, { steps = false, wallMs = 0, focus = -1 } = {}) {
    const { ctx, layout: L } = this;
    if (!L) return;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, L.width, L.height);
    ctx.lineWidth = 1;
    this.drawEdges();
    for (let i = 0; i < L.boxes.length; ++i) this.drawServer(i, view.servers[i], view, i === focus);
    this.drawDots(flights, now, steps);
    // Words on top of the dots: a busy cluster must not hide what is what.
    this.drawUsers(view);
    for (let i = 0; i < L.boxes.length; ++i) this.drawServerLabels(i, view.servers[i], view);
    // Balancer and store on top: requests pass through them rather than over their labels.
    this.drawBalancer(view);
    if (L.store) this.drawStore(view.store, view, focus === -3);
    this.drawFlashes(wallMs);
  }

  drawEdges() {
    const { ctx, layout: L, colors: C } = this;
    ctx.strokeStyle = C.line;
    ctx.beginPath();
    const b = L.balancer;
    if (L.narrow) {
      ctx.moveTo(L.users.x, L.users.y + 12); ctx.lineTo(b.x + b.w / 2, b.y);
      for (const box of L.boxes) { ctx.moveTo(b.x + b.w / 2, b.y + b.h); ctx.lineTo(box.x + box.w / 2, box.y); }
      if (L.store) for (const box of L.boxes) { ctx.moveTo(box.x + box.w / 2, box.y + box.h); ctx.lineTo(L.store.x + L.store.w / 2, L.store.y); }
    } else {
      ctx.moveTo(L.users.x + 14, L.users.y); ctx.lineTo(b.x, b.y + b.h / 2);
      for (const box of L.boxes) { ctx.moveTo(b.x + b.w, b.y + b.h / 2); ctx.lineTo(box.x, box.y + box.h / 2); }
      if (L.store) for (const box of L.boxes) { ctx.moveTo(box.x + box.w, box.y + box.h / 2); ctx.lineTo(L.store.x, L.store.y + L.store.h / 2); }
    }
    ctx.stroke();
  }

  text(str, x, y, { size = 12, weight = 400, color, align = 'center', base = 'middle' } = {}) {
    const ctx = this.ctx;
    ctx.font = `${weight} ${size}px ${this.font}`;
    ctx.fillStyle = color ?? this.colors.fg;
    ctx.textAlign = align;
    ctx.textBaseline = base;
    ctx.fillText(str, x, y);
  }

  drawUsers(view) {
    const { ctx, layout: L, colors: C } = this;
    const u = L.users;
    // Three person glyphs: a crowd.
    ctx.fillStyle = C.muted;
    const glyph = (x, y, s) => {
      ctx.beginPath(); ctx.arc(x, y - s * 0.9, s * 0.45, 0, TAU); ctx.fill();
      ctx.beginPath(); ctx.ellipse(x, y + s * 0.35, s * 0.75, s * 0.6, 0, Math.PI, TAU); ctx.fill();
    };
    if (L.narrow) {
      glyph(u.x - 14, u.y + 4, 9); glyph(u.x + 14, u.y + 4, 9); glyph(u.x, u.y + 2, 11);
      ctx.font = `400 11px ${this.font}`;
      const w = ctx.measureText(`${compact(view.users)} users · ${compactRate(view.rate)}/s`).width;
      ctx.globalAlpha = 0.85;
      ctx.fillStyle = C.bg;
      ctx.fillRect(u.x + 26, u.y - 7, w + 4, 14);
      ctx.globalAlpha = 1;
      this.text(`${compact(view.users)} users · ${compactRate(view.rate)}/s`, u.x + 28, u.y, { size: 11, align: 'left', color: C.muted });
    } else {
      glyph(u.x - 8, u.y - 6, 9); glyph(u.x + 10, u.y - 6, 9); glyph(u.x + 1, u.y + 2, 11);
      ctx.globalAlpha = 0.85;
      ctx.fillStyle = C.bg;
      ctx.fillRect(u.x - 34, u.y + 18, 70, 30);
      ctx.globalAlpha = 1;
      this.text(`${compact(view.users)} users`, u.x + 1, u.y + 26, { size: 11, color: C.muted });
      this.text(`${compactRate(view.rate)} req/s`, u.x + 1, u.y + 40, { size: 11, color: C.muted });
    }
  }

  roundRect(r, radius) {
    const ctx = this.ctx;
    ctx.beginPath();
    ctx.roundRect ? ctx.roundRect(r.x, r.y, r.w, r.h, radius) : ctx.rect(r.x, r.y, r.w, r.h);
  }

  drawBalancer(view) {
    const { ctx, layout: L, colors: C } = this;
    const b = L.balancer;
    this.roundRect(b, 8);
    ctx.fillStyle = C.node; ctx.fill();
    ctx.strokeStyle = C.border; ctx.lineWidth = 1.5; ctx.stroke(); ctx.lineWidth = 1;
    this.text('Balancer', b.x + b.w / 2, b.y + b.h * 0.36, { size: 12, weight: 600 });
    this.text(policyLabel(view.policy), b.x + b.w / 2, b.y + b.h * 0.68, { size: 10.5, color: C.muted });
  }

  /// A server's box, its state outline and its load bar (under the dots).
  drawServer(i, s, view, focused) {
    const { ctx, layout: L, colors: C } = this;
    const b = L.boxes[i];
    const alive = s?.alive ?? false;
    this.roundRect(b, 6);
    ctx.fillStyle = C.node; ctx.fill();
    ctx.lineWidth = focused ? 3 : 1.5;
    ctx.strokeStyle = focused ? C.accent : alive ? C.border : C.dead;
    if (!alive || s?.draining) ctx.setLineDash([4, 3]);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.lineWidth = 1;
    if (!s) return;
    if (!alive) {
      ctx.strokeStyle = C.dead;
      ctx.beginPath(); ctx.moveTo(b.x + 4, b.y + 4); ctx.lineTo(b.x + b.w - 4, b.y + b.h - 4); ctx.stroke();
      return;
    }
    // Load bar: workers busy (filled).
    const workers = Math.max(1, view.workers);
    const frac = Math.min(1, s.busy / workers);
    const by = b.y + b.h - 7;
    const bw = b.w - 12;
    ctx.fillStyle = C.line;
    ctx.fillRect(b.x + 6, by, bw, 3);
    ctx.fillStyle = C.bar;
    ctx.fillRect(b.x + 6, by, bw * frac, 3);
  }

  /// A server's name, what it holds (sessions, or the token badge) and its queue (over the dots).
  drawServerLabels(i, s, view) {
    const { ctx, layout: L, colors: C } = this;
    const b = L.boxes[i];
    if (!s) return;
    const small = b.w < 70 || b.h < 36;
    const twoLines = b.w < 96 && b.h >= 40;  // narrow box: the note goes under the label
    const label = `S${i}`;
    const fs = small ? 10 : 11.5;
    const plate = (x, y, w, h) => {
      ctx.globalAlpha = 0.85;
      ctx.fillStyle = C.node;
      ctx.fillRect(x, y, w, h);
      ctx.globalAlpha = 1;
    };
    ctx.font = `600 ${fs}px ${this.font}`;
    plate(b.x + 3, b.y + 3, ctx.measureText(label).width + 6, fs + 3);
    if (!s.alive) {
      this.text(label, b.x + 6, b.y + 10, { size: fs, weight: 600, align: 'left', color: C.dead });
      this.text('down', b.x + b.w - 5, b.y + 10, { size: fs - 1, align: 'right', color: C.dead });
      return;
    }
    this.text(label, b.x + 6, b.y + 10, { size: fs, weight: 600, align: 'left' });
    // What the session mode puts on a server is the core's (VOCABULARY.sessionModeTraits).
    const traits = VOCABULARY.sessionModeTraits[view.mode];
    let note = '';
    if (s.draining) note = 'draining';
    else if (!s.inRotation) note = 'starting';
    else if (traits?.inServerMemory) note = `${compact(s.sessions)} sess`;
    else if (traits?.credential === 'token') note = 'token';
    if (note === 'token') {
      // The token badge: the server holds nothing; each request brings a signed token.
      const w = small || twoLines ? 26 : 34;
      const bx = twoLines ? b.x + 5 : b.x + b.w - w - 4;
      const by = twoLines ? b.y + 17 : b.y + 3;
      ctx.fillStyle = C.muted;
      this.roundRect({ x: bx, y: by, w, h: 13 }, 6); ctx.fill();
      this.text(small || twoLines ? 'tok' : 'token', bx + w / 2, by + 7, { size: 9, weight: 600, color: C.bg });
    } else if (note && twoLines) {
      ctx.font = `400 9.5px ${this.font}`;
      plate(b.x + 4, b.y + 17, ctx.measureText(note).width + 4, 12);
      this.text(note, b.x + 6, b.y + 23, { size: 9.5, align: 'left', color: C.muted });
    } else if (note && !small) {
      ctx.font = `400 ${fs - 1.5}px ${this.font}`;
      const w = ctx.measureText(note).width;
      plate(b.x + b.w - w - 7, b.y + 3, w + 4, fs + 2);
      this.text(note, b.x + b.w - 5, b.y + 10, { size: fs - 1.5, align: 'right', color: C.muted });
    }
    if (s.queued > 0 && b.h >= 40 && !twoLines) {
      const by = b.y + b.h - 7;
      this.text(`q ${compact(s.queued)}`, b.x + b.w - 5, by - 6, { size: 9, align: 'right', color: C.queue });
    }
  }

  drawStore(st, view, focused) {
    const { ctx, layout: L, colors: C } = this;
    const s = L.store;
    const up = st?.up ?? true;
    const ry = 7;
    ctx.fillStyle = C.node;
    ctx.strokeStyle = focused ? C.accent : up ? C.border : C.dead;
    ctx.lineWidth = focused ? 3 : 1.5;
    if (!up) ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.ellipse(s.x + s.w / 2, s.y + ry, s.w / 2, ry, 0, Math.PI, 0);
    ctx.lineTo(s.x + s.w, s.y + s.h - ry);
    ctx.ellipse(s.x + s.w / 2, s.y + s.h - ry, s.w / 2, ry, 0, 0, Math.PI);
    ctx.closePath();
    ctx.fill(); ctx.stroke();
    ctx.beginPath(); ctx.ellipse(s.x + s.w / 2, s.y + ry, s.w / 2, ry, 0, 0, Math.PI); ctx.stroke();
    ctx.setLineDash([]); ctx.lineWidth = 1;
    const cx = s.x + s.w / 2;
    this.text(VOCABULARY.sessionModeTraits[view.mode]?.store ?? '', cx, s.y + ry + 12, { size: 11.5, weight: 600, color: up ? C.fg : C.dead });
    if (!st) return;
    if (!up) { this.text('down', cx, s.y + s.h / 2 + 10, { size: 11, color: C.dead }); return; }
    this.text(`${compact(st.sessions)} sessions`, cx, s.y + ry + 27, { size: 10.5, color: C.muted });
    const workers = Math.max(1, view.storeWorkers);
    const bw = s.w - 20;
    const by = s.y + s.h - ry - 9;
    ctx.fillStyle = C.line; ctx.fillRect(s.x + 10, by, bw, 3);
    ctx.fillStyle = C.bar; ctx.fillRect(s.x + 10, by, bw * Math.min(1, st.busy / workers), 3);
    if (st.queued > 0) this.text(`q ${compact(st.queued)}`, s.x + s.w - 10, by - 7, { size: 9, align: 'right', color: C.queue });
  }

  drawFlashes(wallMs) {
    const { ctx, layout: L } = this;
    this.flashes = this.flashes.filter((f) => f.until > wallMs);
    for (const f of this.flashes) {
      const r = f.node === Node.STORE ? L.store : f.node === Node.BALANCER ? L.balancer : L.boxes[f.node];
      if (!r) continue;
      const a = Math.max(0, (f.until - wallMs) / 1200);
      ctx.globalAlpha = a;
      ctx.strokeStyle = f.kind === 'bad' ? this.fills[2] : this.fills[0];
      ctx.lineWidth = 4;
      ctx.strokeRect(r.x - 3, r.y - 3, r.w + 6, r.h + 6);
      ctx.globalAlpha = 1;
      ctx.lineWidth = 1;
    }
  }

  drawDots(flights, now, steps) {
    const { ctx } = this;
    const paths = outcomes.map(() => new Path2D());
    const tokens = new Path2D();
    let tokenCount = 0;
    const r = this.layout.narrow ? 2.6 : 3.2;
    const a = { x: 0, y: 0 };
    const b = { x: 0, y: 0 };
    let drawn = 0;
    let moving = 0;
    flights.forEach(now, (f, s, p) => {
      let x; let y;
      const burst = s.from === s.to;
      if (steps) p = p < 0.5 ? 0 : 1;  // reduced motion: at a node, never between
      if (p <= 0 || burst) { this.point(s.from, f.id, f.user, a); x = a.x; y = a.y; }
      else if (p >= 1) { this.point(s.to, f.id, f.user, a); x = a.x; y = a.y; }
      else {
        moving++;
        this.point(s.from, f.id, f.user, a);
        this.point(s.to, f.id, f.user, b);
        const dx = b.x - a.x; const dy = b.y - a.y;
        const len = Math.hypot(dx, dy) || 1;
        // Keep right: requests and responses on the same edge travel in separate lanes.
        x = a.x + dx * p - (dy / len) * 3;
        y = a.y + dy * p + (dx / len) * 3;
      }
      const o = s.outcome < paths.length ? s.outcome : 0;
      const shape = outcomes[o].shape;
      traceShape(paths[o], shape, x, y, burst ? r * (1.2 + (steps ? 0.4 : p * 0.8)) : r);
      if (s.flags & 1) { tokens.moveTo(x + r + 1.6, y); tokens.arc(x, y, r + 1.6, 0, TAU); tokenCount++; }
      drawn++;
    });
    for (let o = 0; o < paths.length; ++o) {
      ctx.fillStyle = this.fills[o];
      ctx.fill(paths[o]);
    }
    if (tokenCount) {
      ctx.strokeStyle = this.colors.muted;
      ctx.lineWidth = 1;
      ctx.stroke(tokens);
    }
    this.drawn = drawn;
    this.moving = moving;
    this.frames++;
  }
}

export function policyLabel(p) {
  return String(p ?? '').replace(/_/g, ' ');
}
