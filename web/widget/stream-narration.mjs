// Plain words for what a stream run just did ("worker 1 crashed: partitions 1 and 4 wait 2 s
// for failover; 10 open windows lost"), from what the trace reported in one step (see
// StreamTimeline.ingest). Pure: no DOM, so node tests can read the sentences.
import { MarkerKind } from './stream-timeline.mjs';

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

/// What the crash did to the state of the crashed worker's partitions.
function stateWords(crash, ctx) {
  if (!ctx.stateful) return 'nothing is lost: the operators keep no state';
  if (crash.partitions.length === 0 && crash.owned === 0) return 'it held no window state';
  switch (ctx.mode) {
    case 'exactly_once':
      return ctx.checkpoint
        ? `its windows are safe in checkpoint ${ctx.checkpoint.number} and its input since then will be replayed`
        : 'no checkpoint yet: its input will be replayed from the start';
    case 'at_least_once':
      return 'its window counts survive, but the input since the last checkpoint will be replayed and counted again';
    default:
      return `${plural(crash.windows, 'open window', 'open windows')} lost`;
  }
}

/// A takeover clause: "partition 1 moves to worker 0 and replays 66 events".
function takeoverWords(a, ctx) {
  const base = `partition ${a.partition} moves to worker ${a.worker}`;
  if (a.replays > 0) return `${base} and replays ${plural(a.replays, 'event', 'events')} from the last checkpoint`;
  if (ctx.stateful && ctx.mode === 'none') return `${base} and goes on with empty windows`;
  return `${base} and goes on where it stopped`;
}

/// Sentences for one step. step: StreamTimeline.ingest's answer; ctx: {stateful, mode
/// ('none'|'exactly_once'|'at_least_once'), failoverS, checkpoint (the checkpoint before this
/// step, or null)}. Returns [{t, text, notable}] in time order; notable ones go to the live region.
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
      const what = ctx.stateful ? `${plural(m.entries, 'open window entry', 'open window entries')} and the input positions saved` : 'input positions saved';
      out.push({ t: m.t, text: `checkpoint ${m.number}: ${what}`, notable: false });
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
  if (step.replayWindows > 0) {
    out.push({ t: ctx.now ?? 0, text: `${plural(step.replayWindows, 'window', 'windows')} recomputed during the replay`, notable: false });
  }
  return out;
}
