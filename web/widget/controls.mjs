// The widget's controls as native form elements (keyboard, touch and screen readers work as
// the platform makes them): playback, the cluster's live actions and the server list. It only
// reports what the viewer asked for through `onInput(type, value)`; the element decides.
import { policies, sessionModes } from './url-state.mjs';
import { VOCABULARY } from '../lab/stateless-lab.mjs';
import { policyLabel } from './diagram.mjs';
import { compactRate } from './number-format.mjs';

const el = (tag, props = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k in e && !k.startsWith('aria') && k !== 'role') e[k] = v;
    else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
};

export const speedFromSlider = (v) => Math.round(10 ** Number(v) * 1000) / 1000;
export const sliderFromSpeed = (s) => Math.log10(s);
export const fmtSpeed = (s) => `${s >= 10 ? Math.round(s) : s >= 1 ? Math.round(s * 10) / 10 : s >= 0.1 ? Math.round(s * 100) / 100 : Math.round(s * 1000) / 1000}×`;

let uid = 0;
const MAX_MARKS = 12;
const fmtTime = (s) => `${Math.round(s * 10) / 10} s`;

/// A label and its control side by side (an explicit for/id pair: the accessible name is
/// exactly the label's words, whatever the control shows).
const field = (id, text, control, extra = null, grow = false) => {
  control.id = id;
  const lab = el('label', { htmlFor: id }, text);
  return el('span', { class: grow ? 'field grow' : 'field' }, lab, control, ...(extra ? [extra] : []));
};

export class Controls {
  /// root: container element; groups: Set of shown groups; onInput(type, value).
  /// schedule: the scenario's timeline as [{at_s, text}], marked on the time slider.
  constructor(root, groups, onInput, { compare = false, baseRate = 100, users = 1000, schedule = [] } = {}) {
    this.root = root;
    this.onInput = onInput;
    this.groups = groups;
    this.compare = compare;
    this.baseRate = Math.max(0.1, baseRate);
    this.id = `sl${++uid}`;
    this.scrubbing = false;
    this.serverCount = -1;
    this.schedule = schedule;
    root.replaceChildren();
    if (groups.has('playback')) this.buildPlayback();
    if (groups.has('cluster')) this.buildCluster(users);
  }

  buildPlayback() {
    const on = this.onInput;
    this.playBtn = el('button', { type: 'button', class: 'primary', 'aria-keyshortcuts': 'k' }, 'Play');
    this.playBtn.addEventListener('click', () => on(this.playing ? 'pause' : 'play'));
    const step = el('button', { type: 'button', title: 'Advance 0.1 simulated seconds', 'aria-keyshortcuts': '.' }, 'Step');
    step.addEventListener('click', () => on('step'));
    const reset = el('button', { type: 'button', title: 'Back to the start, without live actions' }, 'Reset');
    reset.addEventListener('click', () => on('reset'));
    this.speed = el('input', { type: 'range', min: '-2', max: '2', step: '0.05', value: '0', 'aria-valuetext': '1× speed' });
    this.speedOut = el('output', { htmlFor: `${this.id}-speed` }, '1×');
    this.speed.addEventListener('input', () => on('speed', speedFromSlider(this.speed.value)));
    this.time = el('input', { type: 'range', min: '0', max: '60', step: '0.1', value: '0' });
    this.timeOut = el('output', { htmlFor: `${this.id}-time` }, '0.0 s');
    const startScrub = () => { this.scrubbing = true; };
    const endScrub = () => { this.scrubbing = false; };
    this.time.addEventListener('pointerdown', startScrub);
    this.time.addEventListener('pointerup', endScrub);
    this.time.addEventListener('pointercancel', endScrub);
    this.time.addEventListener('blur', endScrub);
    this.time.addEventListener('input', () => on('seek', Number(this.time.value)));
    const fs = el('fieldset', { class: 'playback' }, el('legend', {}, 'Playback'),
      el('div', { class: 'row' }, this.playBtn, step, reset,
        field(`${this.id}-speed`, 'Speed', this.speed, this.speedOut, true)),
      el('div', { class: 'row' }, field(`${this.id}-time`, 'Time', this.time, this.timeOut, true)));
    this.time.parentElement.classList.add('timeline');
    if (this.schedule.length) fs.append(this.buildMarks());
    this.root.append(fs);
  }

  /// The scheduled actions: ticks on the time slider's track and a "jump to" button for each
  /// (the first MAX_MARKS of them), so the moment a lesson talks about is one click away.
  buildMarks() {
    const shown = this.schedule.slice(0, MAX_MARKS);
    this.ticks = el('div', { class: 'ticks', 'aria-hidden': 'true' }, ...shown.map(() => el('span', { class: 'tick' })));
    const track = el('span', { class: 'track' });
    this.time.replaceWith(track);
    track.append(this.time, this.ticks);
    this.markButtons = shown.map((m) => {
      const b = el('button', { type: 'button', class: 'mark', title: `Jump to just before ${fmtTime(m.at_s)} and play` },
        el('span', { class: 'mark-time' }, fmtTime(m.at_s)), ` ${m.text}`);
      b.addEventListener('click', () => this.onInput('jump', m.at_s));
      return b;
    });
    const more = this.schedule.length - shown.length;
    return el('div', { class: 'row marks', role: 'group', 'aria-label': 'Scheduled events: jump to one' },
      el('span', { class: 'marks-label' }, 'Scheduled:'), ...this.markButtons,
      ...(more > 0 ? [el('span', { class: 'marks-more' }, `and ${more} more`)] : []));
  }

  buildCluster(users) {
    const on = this.onInput;
    const suffix = this.compare ? ' (A)' : '';
    this.policy = el('select', {}, ...policies.map((p) => el('option', { value: p }, policyLabel(p))));
    this.policy.addEventListener('change', () => on('set_policy', this.policy.value));
    this.mode = el('select', {}, ...sessionModes.map((m) => el('option', { value: m }, m.replace(/_/g, ' '))));
    this.mode.addEventListener('change', () => on('set_session_mode', this.mode.value));
    this.rate = el('input', { type: 'range', min: '-1', max: '1', step: '0.05', value: '0' });
    this.rateOut = el('output', { htmlFor: `${this.id}-rate` }, '');
    const rateValue = () => Math.round(this.baseRate * 10 ** Number(this.rate.value) * 10) / 10;
    this.rate.addEventListener('input', () => {
      this.rateOut.textContent = `${compactRate(rateValue())} req/s`;
      this.rate.setAttribute('aria-valuetext', `${compactRate(rateValue())} requests per second`);
    });
    this.rate.addEventListener('change', () => on('set_rate', rateValue()));
    const add = el('button', { type: 'button' }, 'Add server');
    add.addEventListener('click', () => on('add_server'));
    this.removeBtn = el('button', { type: 'button', title: 'Take the last running server out of rotation (it drains first)' }, 'Remove server');
    this.removeBtn.addEventListener('click', () => on('remove_server'));
    const rolling = el('button', { type: 'button', title: 'Restart every server in turn, one every 10 simulated seconds' }, 'Rolling restart');
    rolling.addEventListener('click', () => on('rolling_restart'));
    this.storeBtn = el('button', { type: 'button' }, 'Store down');
    this.storeBtn.addEventListener('click', () => on(this.storeUp === false ? 'store_up' : 'store_down'));
    this.user = el('input', { type: 'number', min: '0', max: String(Math.max(0, users - 1)), step: '1', value: '0' });
    const revoke = el('button', { type: 'button' }, 'Revoke user');
    revoke.addEventListener('click', () => on('revoke_user', Math.trunc(Number(this.user.value))));
    this.user.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); revoke.click(); } });
    this.serverGrid = el('div', { class: 'servers', role: 'group', 'aria-label': 'Servers: kill or restart' });
    const fs = el('fieldset', { class: 'cluster' }, el('legend', {}, `Cluster${this.compare ? ' (actions go to A and B; selectors to A)' : ''}`),
      el('div', { class: 'row' },
        field(`${this.id}-policy`, `Balancer${suffix}`, this.policy),
        field(`${this.id}-mode`, `Sessions${suffix}`, this.mode)),
      el('div', { class: 'row' }, field(`${this.id}-rate`, 'Rate', this.rate, this.rateOut, true)),
      el('div', { class: 'row' }, add, this.removeBtn, rolling, this.storeBtn,
        field(`${this.id}-user`, 'User', this.user), revoke),
      this.serverGrid);
    this.root.append(fs);
  }

  /// Shows the current state. v: {playing, now, end, speed, policy, mode, rate, servers, store}.
  update(v) {
    this.playing = v.playing;
    if (this.playBtn) {
      const label = v.playing ? 'Pause' : v.finished ? 'Play again' : 'Play';
      if (this.playBtn.textContent !== label) this.playBtn.textContent = label;
      const t = v.now.toFixed(1);
      if (Number(this.time.max) !== v.end) this.time.max = String(v.end);
      if (this.ticks && this.tickEnd !== v.end) {
        this.tickEnd = v.end;
        this.ticks.childNodes.forEach((t, i) => { t.style.left = `${(100 * Math.min(this.schedule[i].at_s, v.end)) / Math.max(v.end, 1e-9)}%`; });
      }
      this.markButtons?.forEach((b, i) => {
        const past = this.schedule[i].at_s <= v.now + 1e-9;
        if (b.classList.contains('past') !== past) b.classList.toggle('past', past);
      });
      if (!this.scrubbing && this.root.getRootNode().activeElement !== this.time) this.time.value = String(v.now);
      const text = `${t} / ${Math.round(v.end * 10) / 10} s`;
      if (this.timeOut.textContent !== text) {
        this.timeOut.textContent = text;
        this.time.setAttribute('aria-valuetext', `${t} of ${v.end} simulated seconds`);
      }
      const sp = fmtSpeed(v.speed);
      if (this.speedOut.textContent !== sp) {
        this.speedOut.textContent = sp;
        this.speed.setAttribute('aria-valuetext', `${sp} speed`);
        if (this.root.getRootNode().activeElement !== this.speed) this.speed.value = String(sliderFromSpeed(v.speed));
      }
    }
    if (this.policy) {
      if (this.policy.value !== v.policy) this.policy.value = v.policy;
      if (this.mode.value !== v.mode) this.mode.value = v.mode;
      const active = this.root.getRootNode().activeElement;
      if (active !== this.rate) {
        this.rate.value = String(Math.log10(Math.max(1e-9, v.rate) / this.baseRate));
        const rt = `${compactRate(v.rate)} req/s`;
        if (this.rateOut.textContent !== rt) {
          this.rateOut.textContent = rt;
          this.rate.setAttribute('aria-valuetext', `${compactRate(v.rate)} requests per second`);
        }
      }
      this.storeUp = v.store?.up ?? true;
      const st = this.storeUp ? 'Store down' : 'Store up';
      if (this.storeBtn.textContent !== st) this.storeBtn.textContent = st;
      this.storeBtn.title = this.storeUp ? 'Take the session store down' : 'Bring the session store back up';
      this.updateServers(v.servers, v.mode);
    }
  }

  updateServers(servers, mode) {
    const grid = this.serverGrid;
    if (servers.length !== this.serverCount) {
      this.serverCount = servers.length;
      const focusedId = this.root.getRootNode().activeElement?.dataset?.server;
      grid.replaceChildren(...servers.map((s, i) => {
        const b = el('button', { type: 'button' });
        b.dataset.server = String(i);
        b.addEventListener('click', () => this.onInput(b.dataset.alive === '1' ? 'kill_server' : 'restart_server', i));
        return b;
      }));
      if (focusedId !== undefined) grid.querySelector(`[data-server="${focusedId}"]`)?.focus();
    }
    let anyRunning = false;
    servers.forEach((s, i) => {
      const b = grid.children[i];
      const state = !s.alive ? 'down' : s.draining ? 'draining' : !s.inRotation ? 'starting' : VOCABULARY.sessionModeTraits[mode]?.inServerMemory ? `${s.sessions} sess` : 'running';
      const key = `${s.alive ? 1 : 0}|${state}`;
      if (s.alive && s.inRotation && !s.draining) anyRunning = true;
      if (b.dataset.key === key) return;
      b.dataset.key = key;
      b.dataset.alive = s.alive ? '1' : '0';
      b.classList.toggle('down', !s.alive);
      const span = el('span', { class: 'state' }, state);
      b.replaceChildren(`${s.alive ? 'Kill' : 'Restart'} S${i}`, span);
    });
    if (this.removeBtn) this.removeBtn.disabled = !anyRunning;
  }
}

