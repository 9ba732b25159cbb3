// ClusterRun (web/widget/cluster-run.mjs), the widget's driver of one cluster simulation, on
// the WebAssembly build in node: replays, seeks, slices and the incremental series agree with
// plain runs of the core.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadLab } from '../../web/lab/stateless-lab.mjs';
import { ClusterRun } from '../../web/widget/cluster-run.mjs';
import { finish, runFor } from '../../web/widget/job.mjs';

const lab = await loadLab();
const scenario = {
  seed: 5, duration_s: 20, series_interval_s: 0.5,
  traffic: { users: 300, rate_per_s: 400 },
  balancer: { policy: 'sticky_cookie' },
  servers: { count: 4, workers: 2, service_ms: { dist: 'exponential', mean: 8 } },
  session: { mode: 'server_memory' },
};

/// The results of the core run with these actions applied at their times, without ClusterRun.
function plain(actions, until) {
  const sim = lab.create(scenario);
  for (const a of actions) {
    sim.runUntil(a.at_s);
    const act = { ...a };
    delete act.at_s;
    assert.equal(sim.apply(act).ok, true);
  }
  sim.runUntil(until);
  const r = sim.results();
  sim.delete();
  return r;
}

test('ClusterRun.rebuild applies live actions at their times, as the core does step by step', () => {
  const actions = [{ at_s: 3, do: 'kill_server', server: 1 }, { at_s: 7.5, do: 'restart_server', server: 1 }];
  const run = new ClusterRun(lab, scenario);
  const { refused } = run.rebuild(actions, 12);
  assert.deepEqual(refused, []);
  assert.equal(run.now, 12);
  assert.deepEqual(run.actions, actions);
  assert.deepEqual(run.results(), plain(actions, 12));
  run.delete();
});

test('ClusterRun.rebuild reports the actions the core refuses and goes on with the rest', () => {
  const run = new ClusterRun(lab, scenario);
  const { refused } = run.rebuild([{ at_s: 2, do: 'kill_server', server: 99 }, { at_s: 4, do: 'kill_server', server: 0 }], 6);
  assert.equal(refused.length, 1);
  assert.equal(refused[0].action.server, 99);
  assert.equal(refused[0].error.ok, false);
  assert.match(refused[0].error.path, /server/);
  assert.deepEqual(run.actions, [{ at_s: 4, do: 'kill_server', server: 0 }]);
  run.delete();
});

test('ClusterRun.seek back forgets the live actions after the target, like a video timeline', () => {
  const run = new ClusterRun(lab, scenario);
  run.seek(2);
  run.apply({ do: 'kill_server', server: 2 });
  run.seek(9);
  run.apply({ do: 'kill_server', server: 3 });
  run.seek(5);
  assert.deepEqual(run.actions, [{ at_s: 2, do: 'kill_server', server: 2 }]);
  run.seek(12);
  assert.deepEqual(run.results(), plain([{ at_s: 2, do: 'kill_server', server: 2 }], 12));
  run.delete();
});

test('ClusterRun.seekSteps yields between slices and ends where seek() ends', () => {
  // 300 s at 400 requests/s: far more than one slice of about 15 ms.
  const long = { ...scenario, duration_s: 300 };
  const a = new ClusterRun(lab, long);
  const steps = a.seekSteps(300);
  let slices = 0;
  let step;
  while (!(step = runFor(steps, 0)).done) {
    slices += 1;
    assert.ok(step.at > 0 && step.at < 300, `a slice ends inside the run (${step.at} s)`);
  }
  assert.ok(slices > 1, `${slices} slices`);
  const b = new ClusterRun(lab, long);
  finish(b.seekSteps(300));
  assert.deepEqual(a.results(), b.results());
  a.delete();
  b.delete();
});
