// Waiting for the next task: long work (building a view, its charts, a replay) is cut into
// pieces with a task boundary between them, so the page can paint and answer input and no
// single task blocks the main thread for long.

/// Resolves in a later task. scheduler.yield() where the browser has it (the continuation runs
/// ahead of other queued work, but input and rendering get their turn); a timer elsewhere.
/// For building a view, which should finish before other work.
export function nextTask() {
  if (typeof globalThis.scheduler?.yield === 'function') return globalThis.scheduler.yield();
  return new Promise((ok) => setTimeout(ok, 0));
}

let channel = null;
const waiting = [];

/// Resolves after the tasks already queued have run: a posted message goes to the back of
/// the queue, without the 4 ms a nested timer waits. For a long job between its slices, so
/// other widgets, the page's own scripts and a press of Cancel all get their turn.
export function afterQueuedTasks() {
  if (typeof globalThis.MessageChannel !== 'function') return new Promise((ok) => setTimeout(ok, 0));
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
    // In node an open port would keep the process alive after the last job.
    channel.port1.unref?.();
  }
  return new Promise((ok) => {
    waiting.push(ok);
    channel.port2.postMessage(null);
  });
}
