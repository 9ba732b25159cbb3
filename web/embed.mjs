// embed.html: the widget alone, for an iframe on another site. The page's query holds the
// widget's state (scenario, compare, seed, speed, t, actions: see the widget's sync-url) plus
// `controls`, `autoplay` and `origin` (the framing page's origin). It talks to the framing
// page through EmbedChannel: out ready, resize, state, action, finished, error, quiz-answer;
// in play, pause, inject, seek, runToEnd.
// define.mjs upgrades the element while this module graph evaluates; the element builds in a
// microtask, after this module's body has set its attributes.
import './widget/define.mjs';
import { EmbedChannel } from './widget/embed-channel.mjs';
import { parseControls } from './widget/url-state.mjs';

const params = new URLSearchParams(location.search);
const lab = document.getElementById('lab');
const errorBox = document.getElementById('embed-error');
const channel = new EmbedChannel(window);

const problems = [];
const where = `this frame's address, ${location.pathname}`;
if (channel.error) problems.push(`URL parameter origin (${where}): ${channel.error}`);
const controls = params.get('controls');
if (controls !== null) {
  const c = parseControls(controls);
  if (c.error) problems.push(`URL parameter controls (${where}): ${c.error}`);
  else lab.setAttribute('controls', controls);
}
const autoplay = params.get('autoplay');
if (autoplay !== null && autoplay !== '0' && autoplay !== 'false') lab.setAttribute('autoplay', '');
if (!params.get('scenario')) {
  problems.push(`URL parameter scenario (${where}): is missing; e.g. embed.html?scenario=sticky-crash`);
}
if (problems.length) {
  errorBox.textContent = problems.join(' · ');
  errorBox.hidden = false;
}

const forward = (type) => lab.addEventListener(`stateless-lab:${type}`, (e) => channel.send(type, e.detail ?? {}));
for (const type of ['ready', 'state', 'action', 'finished', 'error']) forward(type);
channel.forwardQuizAnswers(document);

channel.reportHeight();

channel.onMessage(async (m) => {
  switch (m.type) {
    case 'play': lab.play(); break;
    case 'pause': lab.pause(); break;
    case 'seek': lab.seek(Number(m.time)); break;
    case 'inject': lab.inject(m.action); break;  // answered by the 'action' event
    case 'runToEnd': await lab.runToEnd(); break;  // answered by the 'finished' event
    default: channel.send('error', { what: `message ${JSON.stringify(m.type)}`, where: 'postMessage from the framing page', message: 'unknown type; expected play, pause, seek, inject or runToEnd' });
  }
});
