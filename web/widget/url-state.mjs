// The widget's whole view as a few text fields (scenario, compare, seed, speed, time, live
// actions), read from element attributes or a page URL and written back as a query string, so a
// link reproduces what its sender saw. Pure functions: no DOM, usable in node.

import { VOCABULARY } from '../lab/stateless-lab.mjs';

/// Balancer policies and session modes, as the core spells them.
export const policies = VOCABULARY.policies;
export const sessionModes = VOCABULARY.sessionModes;
/// Live action names, in the order of the trace's ACTION detail codes.
export const actionNames = VOCABULARY.actions;

/// Accepted ranges.
export const bounds = {
  speedMin: 0.01,   ///< simulated seconds per wall second
  speedMax: 100,
  seedMax: 2 ** 53 - 1,
  maxActions: 500,  ///< live actions kept in a link
};

/// The fields of the state, in query-string order.
export const stateFields = ['scenario', 'compare', 'seed', 'speed', 't', 'actions'];

/// Control groups the `controls` attribute can name.
export const controlGroups = ['playback', 'cluster', 'charts', 'narration', 'legend'];

const show = (text) => JSON.stringify(String(text).length > 60 ? String(text).slice(0, 57) + '...' : String(text));

/// A registered scenario name, a URL of a scenario JSON, or inline JSON text.
/// Returns {value: {kind: 'name'|'url'|'inline', text}} or {error}.
export function parseScenarioRef(text) {
  const s = String(text ?? '').trim();
  if (!s) return { error: 'must name a registered scenario (e.g. "sticky-crash") or the URL of a scenario JSON (got "")' };
  if (s.startsWith('{')) return { value: { kind: 'inline', text: s } };
  if (/^[a-z0-9][a-z0-9_-]{0,79}$/i.test(s) && !s.endsWith('.json')) return { value: { kind: 'name', text: s } };
  if (s.length > 2000) return { error: `is too long for a URL (${s.length} characters)` };
  if (/^(javascript|data|blob|vbscript):/i.test(s)) return { error: `must be a registered name or an http(s) URL (got ${show(s)})` };
  return { value: { kind: 'url', text: s } };
}

/// `compare`: another scenario (name/URL), or architecture tokens (session modes and/or
/// balancer policies) applied to a copy of the main scenario.
/// Returns {value: null | {kind: 'variant', mode?, policy?, text} | {kind: 'scenario', ref, text}} or {error}.
export function parseCompare(text) {
  const s = String(text ?? '').trim();
  if (!s) return { value: null };
  const tokens = s.split(/[\s,+]+/).filter(Boolean);
  const known = tokens.every((t) => policies.includes(t) || sessionModes.includes(t));
  if (known) {
    const mode = tokens.filter((t) => sessionModes.includes(t));
    const policy = tokens.filter((t) => policies.includes(t));
    if (mode.length > 1 || policy.length > 1) {
      return { error: `names at most one session mode and one balancer policy (got ${show(s)})` };
    }
    return { value: { kind: 'variant', mode: mode[0], policy: policy[0], text: tokens.join(' ') } };
  }
  const looksLikeTokens = tokens.length > 1 || /_/.test(s) && !/[./]/.test(s);
  if (looksLikeTokens) {
    const bad = tokens.find((t) => !policies.includes(t) && !sessionModes.includes(t));
    return { error: `unknown architecture ${show(bad)}: expected session modes (${sessionModes.join(', ')}) or balancer policies (${policies.join(', ')}), or a scenario name or URL` };
  }
  const ref = parseScenarioRef(s);
  if (ref.error) return ref;
  return { value: { kind: 'scenario', ref: ref.value, text: s } };
}

/// Seed: an integer 0..2^53-1. Returns {value: number | undefined} or {error}.
export function parseSeed(text) {
  const s = String(text ?? '').trim();
  if (s === '') return { value: undefined };
  if (!/^\d{1,16}$/.test(s) || Number(s) > bounds.seedMax) {
    return { error: `must be a whole number from 0 to ${bounds.seedMax} (got ${show(s)})` };
  }
  return { value: Number(s) };
}

/// Speed: simulated seconds per wall second. Returns {value} or {error}.
export function parseSpeed(text) {
  const s = String(text ?? '').trim();
  if (s === '') return { value: undefined };
  const v = Number(s.replace(/x$/i, ''));
  if (!Number.isFinite(v) || v < bounds.speedMin || v > bounds.speedMax) {
    return { error: `must be a number from ${bounds.speedMin} to ${bounds.speedMax} (got ${show(s)})` };
  }
  return { value: v };
}

/// Time: simulated seconds from the start, >= 0. Returns {value} or {error}.
export function parseTime(text) {
  const s = String(text ?? '').trim();
  if (s === '') return { value: undefined };
  const v = Number(s);
  if (!Number.isFinite(v) || v < 0 || v > 1e6) {
    return { error: `must be simulated seconds from 0 (got ${show(s)})` };
  }
  return { value: roundTime(v) };
}

/// Times keep microsecond precision, as the simulation does.
export function roundTime(t) {
  return Math.round(t * 1e6) / 1e6;
}

/// `controls`: "all", "none" or groups. Returns {value: Set} or {error}.
export function parseControls(text) {
  if (text === null || text === undefined) return { value: new Set(controlGroups) };
  const s = String(text).trim().toLowerCase();
  if (s === '' || s === 'all' || s === 'true') return { value: new Set(controlGroups) };
  if (s === 'none' || s === 'false') return { value: new Set() };
  const tokens = s.split(/[\s,]+/).filter(Boolean);
  const bad = tokens.find((t) => !controlGroups.includes(t));
  if (bad) return { error: `unknown control group ${show(bad)}: use all, none, or any of ${controlGroups.join(', ')}` };
  return { value: new Set(tokens) };
}

/// One live action as an object, from `at:do[:arg]`. Returns {value} or {error}.
export function parseAction(item) {
  const parts = String(item).split(':');
  const at = Number(parts[0]);
  if (parts[0] === '' || !Number.isFinite(at) || at < 0) return { error: `time ${show(parts[0])} is not simulated seconds` };
  const name = parts[1];
  const arg = parts[2];
  const action = { at_s: roundTime(at), do: name };
  const needInt = (field, what) => {
    if (!/^\d{1,9}$/.test(arg ?? '')) return `${name} needs a ${what} number (got ${show(arg ?? '')})`;
    action[field] = Number(arg);
    return null;
  };
  let err = null;
  let most = 3;  // parts the action takes: at, do and one argument
  switch (name) {
    case 'kill_server': case 'restart_server': err = needInt('server', 'server'); break;
    case 'kill_worker': case 'restart_worker': err = needInt('worker', 'worker'); break;  // stream scenarios
    case 'remove_server':
      most = 4;
      err = needInt('server', 'server');
      if (!err && parts[3] !== undefined) {
        if (parts[3] !== 'nodrain') err = `remove_server's option must be "nodrain" (got ${show(parts[3])})`;
        else action.drain = false;
      }
      break;
    case 'revoke_user': err = needInt('user', 'user'); break;
    case 'set_rate': {
      const r = Number(arg);
      if (arg === undefined || arg === '' || !Number.isFinite(r) || r < 0) err = `set_rate needs requests per second (got ${show(arg ?? '')})`;
      else action.rate = r;
      break;
    }
    case 'set_policy':
      if (!policies.includes(arg)) err = `set_policy needs one of ${policies.join(', ')} (got ${show(arg ?? '')})`;
      else action.policy = arg;
      break;
    case 'set_session_mode':
      if (!sessionModes.includes(arg)) err = `set_session_mode needs one of ${sessionModes.join(', ')} (got ${show(arg ?? '')})`;
      else action.mode = arg;
      break;
    case 'rolling_restart': {
      // The gap between one server's restart and the next is optional (the core's default).
      if (arg === undefined) break;
      const g = Number(arg);
      if (arg === '' || !Number.isFinite(g) || g <= 0 || g > 3600) err = `rolling_restart's gap must be seconds from above 0 to 3600 (got ${show(arg)})`;
      else action.gap_s = g;
      break;
    }
    case 'add_server': case 'store_down': case 'store_up': most = 2; break;
    default:
      err = `unknown action ${show(name ?? '')} (expected one of ${[...actionNames, ...VOCABULARY.streamActions].join(', ')})`;
  }
  if (!err && parts.length > most) err = `has more parts than ${name} takes`;
  return err ? { error: err } : { value: action };
}

/// A list of live actions, `at:do[:arg]` joined by commas, in time order.
/// Returns {value: Action[]} or {error}.
export function parseActions(text) {
  const s = String(text ?? '').trim();
  if (!s) return { value: [] };
  const items = s.split(',');
  if (items.length > bounds.maxActions) return { error: `has ${items.length} actions; at most ${bounds.maxActions}` };
  const list = [];
  for (let i = 0; i < items.length; ++i) {
    const r = parseAction(items[i].trim());
    if (r.error) return { error: `item ${i + 1} (${show(items[i])}): ${r.error}` };
    if (list.length && r.value.at_s < list[list.length - 1].at_s) {
      return { error: `item ${i + 1} (${show(items[i])}): actions must be in time order` };
    }
    list.push(r.value);
  }
  return { value: list };
}

/// One action as `at:do[:arg]`.
export function formatAction(a) {
  const at = String(roundTime(a.at_s ?? 0));
  const arg = a.server ?? a.worker ?? a.user ?? a.rate ?? a.policy ?? a.mode ?? a.gap_s;
  let s = `${at}:${a.do}`;
  if (arg !== undefined) s += `:${arg}`;
  if (a.do === 'remove_server' && a.drain === false) s += ':nodrain';
  return s;
}

export function formatActions(list) {
  return list.map(formatAction).join(',');
}

/// Reads the state from named text fields. get(name) returns the text or null.
/// Returns {state, errors: [{field, message}]}; fields in error are left undefined.
export function readState(get) {
  const state = {};
  const errors = [];
  const take = (field, parse, key = field) => {
    const text = get(field);
    if (text === null || text === undefined) return;
    const r = parse(text);
    if (r.error) errors.push({ field, message: r.error });
    else if (r.value !== undefined) state[key] = r.value;
  };
  take('scenario', parseScenarioRef);
  take('compare', parseCompare);
  take('seed', parseSeed);
  take('speed', parseSpeed);
  take('t', parseTime, 'time');
  take('actions', parseActions);
  return { state, errors };
}

const keep = (s) => encodeURIComponent(s).replace(/%3A/gi, ':').replace(/%2C/gi, ',').replace(/%20/g, '+');

/// The state as a query string (without '?'), fields in a fixed order, empty ones left out.
export function formatQuery(state) {
  const out = [];
  if (state.scenario) out.push(`scenario=${keep(state.scenario)}`);
  if (state.compare) out.push(`compare=${keep(state.compare)}`);
  if (state.seed !== undefined && state.seed !== null) out.push(`seed=${state.seed}`);
  if (state.speed !== undefined && state.speed !== null) out.push(`speed=${roundTime(state.speed)}`);
  if (state.time) out.push(`t=${roundTime(state.time)}`);
  if (state.actions?.length) out.push(`actions=${keep(formatActions(state.actions))}`);
  return out.join('&');
}

/// The `moments` attribute: a JSON array of {at_s, caption} (at most 20, captions up to 200
/// characters). Returns {value} or {error}; nothing or '' is no moments.
export function parseMoments(text) {
  if (text === null || text === undefined || String(text).trim() === '') return { value: [] };
  let list;
  try { list = JSON.parse(text); } catch (e) { return { error: `is not JSON: ${e.message}` }; }
  if (!Array.isArray(list) || list.length > 20) return { error: 'must be a JSON array of at most 20 {"at_s", "caption"} objects' };
  const value = [];
  for (const [i, m] of list.entries()) {
    if (!m || typeof m !== 'object' || !Number.isFinite(m.at_s) || m.at_s < 0) return { error: `[${i}].at_s: must be simulated seconds >= 0` };
    if (typeof m.caption !== 'string' || !m.caption.trim() || m.caption.length > 200) return { error: `[${i}].caption: must be text of 1 to 200 characters` };
    value.push({ at_s: m.at_s, caption: m.caption.trim() });
  }
  return { value: value.sort((a, b) => a.at_s - b.at_s) };
}
