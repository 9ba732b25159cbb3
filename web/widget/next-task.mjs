// Waiting for the next task: long work (building a view, its charts, a replay) is cut into
// pieces with a task boundary between them, so the page can paint and answer input and no
// single task blocks the main thread for long.

/// Resolves in a later task. scheduler.yield() where the browser has it (the continuation runs
/// ahead of other queued work, but input and rendering get their turn); a timer elsewhere.
export function nextTask() {
  if (typeof globalThis.scheduler?.yield === 'function') return globalThis.scheduler.yield();
  return new Promise((ok) => setTimeout(ok, 0));
}
