// Plain words for what a stream run just did ("worker 1 crashed: partitions 1 and 4 wait 2 s
// for failover; 10 open windows lost"), from what the trace reported in one step (see
// StreamTimeline.ingest). Pure: no DOM, so node tests can read the sentences.
import { MarkerKind } from './stream-timeline.mjs';
import { count } from './number-format.mjs';

/// "1", "1 and 4", "1, 4 and 5".
export function listWords(items) {
  const a = items.map(String);
  if (a.length <= 1) return a.join('');
  return `${a.slice(0, -1).join(', ')} and ${a[a.length - 1]}`;
}

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
const partitionsWords = (ps) => `${ps.length === 1 ? 'partition' : 'partitions'} ${listWords(ps)}`;

/// Where partitions went: "partitions 1 and 4 move to worker 2" / "... to workers 0 and 2".
function moveWords(assigns) {
  const ps = assigns.map((a) => a.partition);
  const ws = [...new Set(assigns.map((a) => a.worker))];
  return `${partitionsWords(ps)} ${ps.length === 1 ? 'moves' : 'move'} to ${ws.length === 1 ? 'worker' : 'workers'} ${listWords(ws)}`;
}

/// What a replay will do to the output: emitted again, or dropped by an idempotent sink.
const outputWords = (ctx) => (ctx.idempotent ? 'the idempotent sink will drop its repeated output' : 'its output since then will be emitted again');

/// What the crash did to the state and the output of the crashed worker's partitions. In every
/// mode they resume from the last commit.
function stateWords(crash, ctx) {
  const since = ctx.checkpoint ? `commit ${ctx.checkpoint.number}` : 'the start (no commit yet)';
  if (crash.partitions.length === 0 && crash.owned === 0) return ctx.stateful ? 'it held no window state' : 'it owned nothing to replay';
  if (!ctx.stateful) return `no state to restore, but its input since ${since} will be replayed and ${outputWords(ctx)}`;
  switch (ctx.mode) {
    case 'exactly_once':
      return `its windows and output roll back to ${since}, whose input will be replayed; nothing uncommitted was emitted`;
    case 'at_least_once':
      return `its window counts survive, but its input since ${since} will be replayed, counted again and ${outputWords(ctx)}`;
    default:
      return `${plural(crash.windows, 'open window', 'open windows')} lost; its input since ${since} will be replayed`;
  }
}

/// A takeover clause: "partition 1 moves to worker 0 and replays 66 events".
function takeoverWords(a, ctx) {
  const base = `partition ${a.partition} moves to worker ${a.worker}`;
  if (a.replays > 0) return `${base} and replays ${plural(a.replays, 'event', 'events')} from the last commit`;
  if (ctx.stateful && ctx.mode === 'none') return `${base} and goes on with empty windows`;
  return `${base} and goes on from the last commit, with nothing processed since to replay`;
}

/// Sentences for one step. step: StreamTimeline.ingest's answer; ctx: {stateful, mode
/// ('none'|'exactly_once'|'at_least_once'), idempotent (sink), failoverS, checkpoint (the
/// commit before this step, or null)}. Returns [{t, text, notable}] in time order; notable ones go to the live region.
export function describeStreamStep(step, ctx) {
  const out = [];
  const news = step.news ?? [];
  const used = new Set();
  let checkpoint = ctx.checkpoint ?? null;
  for (let i = 0; i < news.length; ++i) {
    const m = news[i];
    if (used.has(m)) continue;
    if (m.kind === MarkerKind.CHECKPOINT) {
      checkpoint = m;
      const what = ctx.stateful && ctx.mode !== 'none'
        ? `${plural(m.entries, 'open window entry', 'open window entries')} and the input positions saved` : 'input positions saved';
      out.push({ t: m.t, text: `${ctx.mode === 'none' ? 'commit' : 'checkpoint'} ${m.number}: ${what}`, notable: false });
    } else if (m.kind === MarkerKind.CRASH) {
      // Takeovers reported in the same step (no failover delay) are told with the crash.
      const moved = news.filter((x) => x.kind === MarkerKind.ASSIGN && !x.back && !used.has(x) && m.partitions.includes(x.partition));
      for (const x of moved) used.add(x);
      let where;
      if (m.partitions.length === 0) where = 'it owned no partitions';
      else if (moved.length === m.partitions.length) where = moveWords(moved);
      else where = `${partitionsWords(m.partitions)} ${m.partitions.length === 1 ? 'waits' : 'wait'} ${ctx.failoverS ?? 0} s for failover`;
      out.push({ t: m.t, text: `worker ${m.worker} crashed: ${where}; ${stateWords(m, { ...ctx, checkpoint })}`, notable: true });
    } else if (m.kind === MarkerKind.RESTART) {
      const back = news.filter((x) => x.kind === MarkerKind.ASSIGN && x.worker === m.worker && !used.has(x));
      for (const x of back) used.add(x);
      const handed = back.filter((x) => x.back).map((x) => x.partition);
      const taken = back.filter((x) => !x.back);
      let text = `worker ${m.worker} restarted`;
      if (handed.length) text += ` and takes back ${partitionsWords(handed)} with ${ctx.stateful ? (handed.length === 1 ? 'its window state' : 'their window state') : 'nothing to carry'}; nothing is replayed`;
      if (taken.length) text += `${handed.length ? '; ' : ' and '}${taken.map((a) => takeoverWords(a, ctx)).join('; ')}`;
      out.push({ t: m.t, text, notable: true });
    } else if (m.kind === MarkerKind.ASSIGN) {
      const group = news.filter((x) => x.kind === MarkerKind.ASSIGN && !x.back && !used.has(x) && x.t === m.t);
      for (const x of group) used.add(x);
      if (!group.length) continue;  // a hand-back without its restart: told with the restart
      out.push({ t: m.t, text: `failover: ${group.map((a) => takeoverWords(a, ctx)).join('; ')}`, notable: true });
    }
  }
  if (step.lostWindows > 0) {
    out.push({ t: ctx.now ?? 0, text: `${plural(step.lostWindows, 'window', 'windows')} closed after losing state in a crash: ${step.lostWindows === 1 ? 'its result misses' : 'their results miss'} the events before the crash`, notable: true });
  }
  if (step.repeatWindows > 0) {
    out.push({ t: ctx.now ?? 0, text: `${plural(step.repeatWindows, 'window', 'windows')} emitted a second time after the replay`, notable: true });
  }
  if (step.duplicates > 0) {
    out.push({ t: ctx.now ?? 0, text: `${plural(step.duplicates, 'event', 'events')} emitted downstream a second time by the replay`, notable: false });
  }
  if (step.deduplicated > 0) {
    out.push({ t: ctx.now ?? 0, text: `${plural(step.deduplicated, 'repeated event', 'repeated events')} dropped by the idempotent sink`, notable: false });
  }
  if (step.replayWindows > 0) {
    out.push({ t: ctx.now ?? 0, text: `${plural(step.replayWindows, 'window', 'windows')} recomputed during the replay`, notable: false });
  }
  return out;
}

/// The picture in words, for screen readers (the canvas's label): time, workers, events and
/// windows so far. r: the stream results; workers: the core's workers; view: {now, end (s),
/// partitions (count), idempotent, stateful}.
export function describeStreamView(r, workers, view) {
  const down = workers.filter((w) => !w.alive).map((w) => w.id);
  const entries = workers.reduce((n, w) => n + w.stateEntries, 0);
  const w = r.windows ?? {};
  const parts = [`Stream at ${view.now.toFixed(1)} s of ${view.end} s: ${view.partitions} partitions on ${workers.length} workers`];
  if (down.length) parts[0] += ` (${down.length === 1 ? 'worker' : 'workers'} ${listWords(down)} down)`;
  parts.push(`${count(r.events?.in ?? 0)} events in, ${count(r.events?.out ?? 0)} out, ${count(r.events?.replayed ?? 0)} replayed, ${count(r.events?.duplicates ?? 0)} emitted twice`
    + (view.idempotent ? `, ${count(r.events?.deduplicated ?? 0)} repeats dropped by the idempotent sink` : ''));
  if (view.stateful) {
    parts.push(`${count(entries)} open window entries held`);
    parts.push(`windows so far: ${count(w.correct ?? 0)} correct, ${count(w.wrong ?? 0)} wrong, ${count(w.lost ?? 0)} lost compared with a crash-free run`);
  }
  return `${parts.join('; ')}.`;
}
