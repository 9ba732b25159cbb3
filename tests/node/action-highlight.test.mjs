// actionHighlight (web/widget/action-highlight.mjs): where a live action shows on each cluster's
// diagram, checked against the answers of real cores.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadLab, Node } from '../../web/lab/stateless-lab.mjs';
import { actionHighlight } from '../../web/widget/action-highlight.mjs';

const lab = await loadLab();
const cluster = (count) => lab.create({
  seed: 3, duration_s: 10, traffic: { users: 50, rate_per_s: 50 },
  servers: { count, workers: 1, service_ms: { dist: 'exponential', mean: 5 } },
});

test('actionHighlight marks, in each of two compared clusters, the server that cluster itself added', () => {
  const a = cluster(2);
  const b = cluster(3);
  try {
    a.runUntil(1);
    b.runUntil(1);
    const act = { do: 'add_server' };
    const answerA = a.apply(act);
    const answerB = b.apply(act);
    assert.equal(answerA.ok, true);
    assert.equal(answerB.ok, true);
    assert.notEqual(answerA.server, answerB.server, 'the clusters started different slots');
    assert.deepEqual(actionHighlight(act, answerA), { node: answerA.server, tone: 'good' });
    assert.deepEqual(actionHighlight(act, answerB), { node: answerB.server, tone: 'good' });
    assert.equal(answerB.server, b.servers().length - 1, "B's new server is B's last box, not A's");
  } finally {
    a.delete();
    b.delete();
  }
});

test('actionHighlight shows nothing for a cluster that refused the action or was not given it', () => {
  assert.equal(actionHighlight({ do: 'kill_server', server: 9 }, { ok: false, message: 'no such server' }), null);
  assert.equal(actionHighlight({ do: 'add_server' }, null), null);
});

test('actionHighlight marks the store for store actions and a killed server in the bad tone', () => {
  assert.deepEqual(actionHighlight({ do: 'store_down' }, { ok: true }), { node: Node.STORE, tone: 'bad' });
  assert.deepEqual(actionHighlight({ do: 'store_up' }, { ok: true }), { node: Node.STORE, tone: 'good' });
  assert.deepEqual(actionHighlight({ do: 'kill_server', server: 1 }, { ok: true }), { node: 1, tone: 'bad' });
});
