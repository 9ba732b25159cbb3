// Commits, crashes and recovery of the stream model: what each checkpoint mode commits, and
// what a crash keeps, discards and replays.
#include <algorithm>

#include "stream_engine.h"

namespace sl {

void StreamEngine::onCheckpoint() {
  std::vector<int64_t> written(workers.size(), 0);
  int64_t held = 0;
  for (Partition& p : parts) {
    if (p.owner < 0) continue;  // waiting for failover: keeps its previous commit
    written[static_cast<size_t>(p.owner)] += commitPartition(p);
    held += stateEntries(p);
    trim(p);
  }
  for (size_t w = 0; w < workers.size(); ++w) {
    if (!workers[w].alive) continue;
    const int64_t pause = static_cast<int64_t>(std::llround(
        sc.checkpoint.pause_ms * 1000.0 + sc.checkpoint.entry_us * static_cast<double>(written[w])));
    if (pause <= 0) continue;
    pause_us_total += pause;
    if (workers[w].busy) workers[w].pending_pause += pause;
    else pauseWorker(static_cast<int>(w), pause);
  }
  ++checkpoints;
  checkpoint_entries += static_cast<uint64_t>(held);
  emitTrace(StreamTraceKind::Checkpoint, -1, -1, -1, static_cast<uint32_t>(checkpoints), static_cast<double>(held),
            static_cast<int32_t>(checkpoints), 0, now, now);
  const int64_t next = now + checkpoint_us;
  if (next <= end_us) events.push(next, StreamEvent::Checkpoint);
}

// Commits one partition's input position and, by mode, its state and output. Returns the state
// entries written: only those changed since the previous commit.
int64_t StreamEngine::commitPartition(Partition& p) {
  p.ckpt = p.next;
  uint64_t n = 0;
  if (sc.checkpoint.mode != CheckpointMode::None)
    for (StreamStateStore& st : p.state) n += st.checkpoint();
  if (sc.checkpoint.mode == CheckpointMode::ExactlyOnce) commitOutput(p);
  p.pending.windows.clear();
  state_written += n;
  return static_cast<int64_t>(n);
}

// exactly_once: the output held since the last commit becomes visible downstream.
void StreamEngine::commitOutput(Partition& p) {
  for (const StreamEmission& e : p.pending.out) sink.emit(e);
  for (const WindowEmission& e : p.pending.windows) sink.emitWindow(e.id, e.value);
  p.pending.out.clear();
  p.pending.windows.clear();
}

void StreamEngine::pauseWorker(int w, int64_t us) {
  Worker& k = workers[static_cast<size_t>(w)];
  k.paused_until = (k.paused ? k.paused_until : now) + us;
  k.paused = true;
  events.push(k.paused_until, StreamEvent::Wake, static_cast<uint32_t>(w), ++k.wake);
}

void StreamEngine::onWake(int w, uint32_t token) {
  Worker& k = workers[static_cast<size_t>(w)];
  if (!k.alive || !k.paused || k.wake != token) return;
  k.paused = false;
  startNext(w);
}

void StreamEngine::doAction(const StreamAction& a) {
  if (a.kind == StreamActionKind::KillWorker) killWorker(a.worker);
  else restartWorker(a.worker);
}

void StreamEngine::killWorker(int w) {
  Worker& k = workers[static_cast<size_t>(w)];
  if (!k.alive) return;
  k.alive_us += now - k.alive_since;
  k.alive = false;
  ++k.gen;  // voids its pending Done and Wake events
  ++k.wake;
  k.paused = false;
  k.pending_pause = 0;
  int handed_to = -1;
  if (k.busy) {
    Partition& p = parts[static_cast<size_t>(k.part)];
    p.in_service = false;
    if (p.owner >= 0 && p.owner != w) handed_to = p.owner;
    k.busy = false;
  }
  crashes.push_back({now, w, 0, -1});
  const size_t ci = crashes.size() - 1;
  int owned = 0;
  int64_t lost_here = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    Partition& p = parts[i];
    if (p.owner != w) continue;
    ++owned;
    lost_here += dropPartition(p);
    p.recovery.push_back({ci, p.end()});
    ++crashes[ci].remaining;
    events.push(now + failover_us, StreamEvent::Failover, static_cast<uint32_t>(i), ++p.orphan_gen);
  }
  k.owned = 0;
  if (crashes[ci].remaining == 0) crashes[ci].recovered_us = now;
  emitTrace(StreamTraceKind::Crash, w, -1, -1, 0, owned, static_cast<int32_t>(lost_here), 0, now, now);
  if (handed_to >= 0) startNext(handed_to);
}

// A partition loses its worker: what survives depends on the mode. Returns the state entries
// destroyed (mode none).
int64_t StreamEngine::dropPartition(Partition& p) {
  p.owner = -1;
  int64_t destroyed = 0;
  switch (sc.checkpoint.mode) {
    case CheckpointMode::None:
      // State lived only in the worker's memory.
      for (size_t s = 0; s < stateful.size(); ++s) {
        for (const auto& kv : p.state[s].entries()) lost.insert(streamWindowId(stateful[s], kv.first));
        destroyed += p.state[s].size();
        p.state[s].clear();
      }
      break;
    case CheckpointMode::ExactlyOnce:
      // The transaction since the last commit aborts: its output and state changes vanish.
      p.pending.out.clear();
      p.pending.windows.clear();
      for (StreamStateStore& st : p.state) state_restored += st.rollback();
      break;
    case CheckpointMode::AtLeastOnce:
      break;  // state survives in its changelog; only the input position is behind
  }
  return destroyed;
}

int StreamEngine::leastLoadedAlive() const {
  int best = -1;
  for (size_t w = 0; w < workers.size(); ++w) {
    if (!workers[w].alive) continue;
    if (best < 0 || workers[w].owned < workers[static_cast<size_t>(best)].owned) best = static_cast<int>(w);
  }
  return best;
}

void StreamEngine::onFailover(int pi, uint32_t gen) {
  Partition& p = parts[static_cast<size_t>(pi)];
  if (p.owner >= 0 || p.orphan_gen != gen) return;
  const int home = p.home;
  const int to = workers[static_cast<size_t>(home)].alive ? home : leastLoadedAlive();
  if (to < 0) {
    p.stranded = true;  // nobody is up: the first worker to restart takes it
    return;
  }
  takeover(pi, to);
}

// A worker takes over a partition whose owner crashed and resumes it from the committed
// input position, in every mode: the events since then are processed, and emitted, again.
void StreamEngine::takeover(int pi, int w) {
  Partition& p = parts[static_cast<size_t>(pi)];
  p.owner = w;
  p.stranded = false;
  ++workers[static_cast<size_t>(w)].owned;
  if (sc.checkpoint.mode == CheckpointMode::AtLeastOnce) {
    // Windows closed since the commit are still in the store and take the replay again.
    // Newest emission first; a window the replay had already reopened keeps its open state.
    for (auto it = p.pending.windows.rbegin(); it != p.pending.windows.rend(); ++it)
      p.state[static_cast<size_t>(slot_of[static_cast<size_t>(it->id >> 60)])].reopen(it->id & kStreamStateKeyMask,
                                                                                      it->value);
    p.pending.windows.clear();
  }
  addBacklog(static_cast<int64_t>(p.next - p.ckpt));
  p.next = p.ckpt;
  emitTrace(StreamTraceKind::Assign, w, pi, -1, 0, static_cast<double>(p.next), 0, 0, now, now);
  if (p.high > p.next)
    emitTrace(StreamTraceKind::Replay, w, pi, -1, 0, static_cast<double>(p.next), static_cast<int32_t>(p.high - p.next),
              0, now, now);
  checkRecovery(pi);
  startNext(w);
}

void StreamEngine::restartWorker(int w) {
  Worker& k = workers[static_cast<size_t>(w)];
  if (k.alive) return;
  k.alive = true;
  k.alive_since = now;
  k.busy = false;
  k.paused = false;
  emitTrace(StreamTraceKind::Restart, w, -1, -1, 0, 0, 0, 0, now, now);
  for (size_t i = 0; i < parts.size(); ++i) {
    Partition& p = parts[i];
    if (p.home == w && p.owner >= 0) {
      // Handed back by a live worker: its state moves intact, nothing is replayed.
      --workers[static_cast<size_t>(p.owner)].owned;
      p.owner = w;
      ++k.owned;
      emitTrace(StreamTraceKind::Assign, w, static_cast<int>(i), -1, 0, static_cast<double>(p.next), 1, 0, now, now);
    } else if (p.owner < 0 && (p.home == w || p.stranded)) {
      ++p.orphan_gen;  // its pending failover is moot
      takeover(static_cast<int>(i), w);
    }
  }
  startNext(w);
}

void StreamEngine::checkRecovery(int pi) {
  Partition& p = parts[static_cast<size_t>(pi)];
  if (p.owner < 0) return;
  for (size_t i = 0; i < p.recovery.size();) {
    if (p.next >= p.recovery[i].second) {
      Crash& c = crashes[p.recovery[i].first];
      if (--c.remaining == 0) c.recovered_us = now;
      p.recovery.erase(p.recovery.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
}

}  // namespace sl
