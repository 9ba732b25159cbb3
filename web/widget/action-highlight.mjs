// Where a live action shows on a cluster's diagram, and in which tone. Each cluster's highlight
// comes from that cluster's own answer: add_server may start a different slot in each (the core
// revives a dead server's slot when it has one), so one cluster's id would mark the wrong box
// in the other.
import { Node } from '../lab/stateless-lab.mjs';

const BAD = new Set(['kill_server', 'remove_server', 'store_down']);

/// {node, tone} for the action `act` ({do, server?}) that one cluster answered with `answer`
/// ({ok, server?}), or null when that cluster shows nothing (it refused, or no node is named).
export function actionHighlight(act, answer) {
  if (!answer?.ok) return null;
  const tone = BAD.has(act.do) ? 'bad' : 'good';
  if (act.do === 'store_down' || act.do === 'store_up') return { node: Node.STORE, tone };
  const server = act.do === 'add_server' ? answer.server ?? -1 : act.server ?? -1;
  return server >= 0 ? { node: server, tone } : null;
}
