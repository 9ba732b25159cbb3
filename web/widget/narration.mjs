// Plain-words narration of what the simulation does ("user 42 -> server 3: no session there,
// logged out"). From each step's trace it keeps the most telling event; the visible log takes
// at most one line per `lineMs` and the aria-live region one sentence per `liveMs`, so a screen
// reader is told what matters without being flooded. The words that differ by session mode
// are the core's (VOCABULARY.sessionModeTraits), so a new mode needs no words here.
import { Kind, Node, Outcome, Reason, Flag, ACTIONS, VOCABULARY } from '../lab/stateless-lab.mjs';
import { seconds } from './number-format.mjs';

/** The core's traits of a session mode, or undefined for a name it does not know. */
const traits = (mode) => VOCABULARY.sessionModeTraits[mode];

const where = (node) => (node === Node.STORE ? 'the session store' : node === Node.BALANCER ? 'the balancer' : `server ${node}`);

/// Words for one request event, or null when it says nothing new. Returns {text, rank, tally}.
export function describeEvent(k, outcome, flags, from, user, detail, mode) {
  const who = user >= 0 ? `user ${user}` : 'a user';
  if (k === Kind.RESPOND) {
    const srv = `${who} → server ${from}`;
    if (outcome === Outcome.MISS) return { text: `${srv}: no session there, logged out (logs in again)`, rank: 3, tally: 'miss' };
    if (outcome === Outcome.DENIED) return { text: `${srv}: denied, the user was revoked`, rank: 4, tally: 'denied' };
    if (outcome !== Outcome.OK) return null;
    if (flags & Flag.REVOKED) return { text: `${srv}: a revoked user's token was still accepted (no deny list)`, rank: 4, tally: 'revoked-accepted' };
    return { text: `${srv}: ${traits(mode)?.served ?? 'ok'}`, rank: 1, tally: 'ok' };
  }
  if (k === Kind.FAILED || k === Kind.REJECTED) {
    if (detail === Reason.REVOKED || outcome === Outcome.DENIED) return { text: `${who} denied: the user was revoked`, rank: 4, tally: 'denied' };
    // The reason, not the kind, says why: the core fails a request the store cannot take, for one.
    const why = detail === Reason.NO_SERVER ? 'no server in rotation'
      : detail === Reason.QUEUE_FULL ? `${where(from)}'s queue is full`
        : detail === Reason.SERVER_DIED ? `${where(from)} died while holding it`
          : detail === Reason.STORE_DOWN ? 'the session store is down'
            : detail === Reason.STORE_FULL ? "the session store's queue is full" : `at ${where(from)}`;
    return k === Kind.FAILED ? { text: `${who}'s request failed: ${why}`, rank: 4, tally: 'failed' }
      : { text: `${who} turned away: ${why}`, rank: 3, tally: 'rejected' };
  }
  return null;
}

/// Words for an action event; detail is the action's number (an index of ACTIONS).
export function describeAction(detail, server, user, ctx) {
  const name = ACTIONS[detail] ?? 'action';
  switch (name) {
    case 'kill_server':
      return traits(ctx.mode)?.inServerMemory ? `server ${server} killed: the sessions in its memory are lost` : `server ${server} killed`;
    case 'restart_server': return `server ${server} restarted with empty memory`;
    case 'add_server': return server >= 0 ? `server ${server} added` : 'a server was added';
    case 'remove_server': return `server ${server} taken out of rotation`;
    case 'store_down': return 'the session store went down';
    case 'store_up': return 'the session store is back up';
    case 'revoke_user': return user >= 0 ? `user ${user} revoked` : 'a user was revoked';
    case 'set_rate': return `arrival rate is now ${Math.round(ctx.rate * 10) / 10} requests per second`;
    case 'set_policy': return `the balancer now uses ${String(ctx.policy).replace(/_/g, ' ')}`;
    case 'set_session_mode': return `sessions are now kept: ${modeWords(ctx.mode)}`;
    case 'rolling_restart': return 'rolling restart: the servers restart one at a time, each with empty memory';
    default: return name.replace(/_/g, ' ');
  }
}

/// Where a session mode keeps sessions, in words ("in server memory"); the name itself for a
/// mode the core does not know.
export function modeWords(mode) {
  return traits(mode)?.where ?? String(mode);
}

const tallyWords = { miss: ['session miss', 'session misses'], failed: ['failure', 'failures'], rejected: ['rejection', 'rejections'], denied: ['denial', 'denials'], 'revoked-accepted': ['revoked token accepted', 'revoked tokens accepted'], ok: ['ok', 'ok'] };

export class Narration {
  constructor(listEl, liveEl, { lineMs = 1200, liveMs = 3500, maxLines = 30 } = {}) {
    this.list = listEl;
    this.live = liveEl;
    this.lineMs = lineMs;
    this.liveMs = liveMs;
    this.maxLines = maxLines;
    this.enabled = true;
    this.clear();
  }

  clear() {
    this.best = null;
    this.tally = new Map();
    this.pending = [];   // actions: always told, in order
    this.lastLine = -Infinity;
    this.lastLive = -Infinity;
    this.liveQueue = [];
    if (this.list) {
      const hint = document.createElement('li');
      hint.className = 'placeholder';
      hint.textContent = 'Press Play or Step: what happens to requests is told here in words.';
      this.list.replaceChildren(hint);
    }
  }

  /// Looks through one step's trace; ctx: {mode, policy, rate, prefix}.
  consider(trace, ctx) {
    if (!this.enabled) return;
    const { kind, outcome, flags, from, to, user, detail, t0, count } = trace;
    for (let i = 0; i < count; ++i) {
      const k = kind[i];
      if (k === Kind.ACTION) {
        this.pending.push({ t: t0[i], text: describeAction(detail[i], to[i] >= 0 ? to[i] : from[i], user[i], ctx) });
        continue;
      }
      if (k !== Kind.RESPOND && k !== Kind.FAILED && k !== Kind.REJECTED) continue;
      const d = describeEvent(k, outcome[i], flags[i], from[i], user[i], detail[i], ctx.mode);
      if (!d) continue;
      this.tally.set(d.tally, (this.tally.get(d.tally) ?? 0) + 1);
      if (!this.best || d.rank > this.best.rank) this.best = { ...d, t: t0[i] };
    }
  }

  /// Adds a line now (e.g. an error of a live action). kind 'jump': a seek, told quietly, and
  /// a run of them (dragging the timeline) keeps only the last.
  say(text, t, kind = '') {
    this.pending.push({ t, text, kind });
  }

  /// Writes what is due. force: write now (a step while paused).
  flush(wallMs, prefix = '', force = false) {
    if (!this.enabled) return;
    for (const p of this.pending) this.write(p.t, prefix + p.text, p.kind !== 'jump', p.kind);
    const hadAction = this.pending.some((p) => p.kind !== 'jump');
    this.pending = [];
    if (this.best && (force || wallMs - this.lastLine >= this.lineMs)) {
      const others = [];
      for (const [key, n] of this.tally) {
        const m = key === this.best.tally ? n - 1 : n;
        if (m > 0 && key !== 'ok') others.push(`${m} ${tallyWords[key][m === 1 ? 0 : 1]}`);
      }
      const more = others.length ? ` (also ${others.join(', ')})` : '';
      this.write(this.best.t, prefix + this.best.text + more, this.best.rank >= 3);
      this.best = null;
      this.tally.clear();
      this.lastLine = wallMs;
    }
    if (this.liveQueue.length && (force || hadAction || wallMs - this.lastLive >= this.liveMs)) {
      // Actions and the latest notable event; older lines are in the visible log.
      this.live.textContent = this.liveQueue.slice(-2).join('. ');
      this.liveQueue = [];
      this.lastLive = wallMs;
    }
  }

  write(t, text, notable, kind = '') {
    if (!this.list) return;
    if (kind === 'jump' && this.list.firstElementChild?.dataset.kind === 'jump') this.list.firstElementChild.remove();
    const li = document.createElement('li');
    if (kind) li.dataset.kind = kind;
    const ts = document.createElement('span');
    ts.className = 't';
    ts.textContent = `${seconds(t)} `;
    li.append(ts, text);
    this.list.querySelector('.placeholder')?.remove();
    this.list.prepend(li);
    while (this.list.childElementCount > this.maxLines) this.list.lastElementChild.remove();
    if (notable) this.liveQueue.push(text);
  }
}

/// The scenario's scheduled actions as [{at_s, text}] in time order, for the timeline marks.
/// The words are the action's own fields ("kill server 1", "set rate 400"), so a new action
/// kind needs no entry here.
export function scheduleOf(scenario) {
  const list = Array.isArray(scenario?.timeline) ? scenario.timeline : [];
  return list.filter((a) => a && Number.isFinite(a.at_s) && typeof a.do === 'string')
    .map((a) => {
      const arg = ['server', 'user', 'rate', 'policy', 'mode'].map((k) => a[k]).find((v) => v !== undefined);
      return { at_s: a.at_s, text: `${a.do.replace(/_/g, ' ')}${arg === undefined ? '' : ` ${String(arg).replace(/_/g, ' ')}`}` };
    })
    .sort((x, y) => x.at_s - y.at_s);
}
