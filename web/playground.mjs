// The playground page: a scenario picker and a compare picker around one <stateless-lab>
// whose whole view is kept in the address bar (sync-url).
import { loadLabOnce } from './widget/stateless-lab-element.mjs';

const lab = document.getElementById('lab');
const scenarioSelect = document.getElementById('scenario');
const compareSelect = document.getElementById('compare');
const status = document.getElementById('status');

async function fillScenarios() {
  let list = [];
  try {
    const core = await loadLabOnce();
    // The widget draws cluster scenarios; stream scenarios belong to the stream lesson.
    list = core.scenarios().filter((s) => {
      const kind = JSON.parse(core.scenarioText(s.name)).kind;
      return !kind || kind === 'cluster';
    });
  } catch {
    status.textContent = 'The simulation core could not be loaded.';
    return;
  }
  for (const s of list) {
    const o = document.createElement('option');
    o.value = s.name;
    o.textContent = s.title ? `${s.title}` : s.name;
    scenarioSelect.append(o);
  }
  await lab.ready;
  syncPickers();
}

function syncPickers() {
  const st = lab.state;
  if (st.scenario && [...scenarioSelect.options].some((o) => o.value === st.scenario)) scenarioSelect.value = st.scenario;
  const cmp = st.compare ?? '';
  if (![...compareSelect.options].some((o) => o.value === cmp)) {
    const o = document.createElement('option');
    o.value = cmp;
    o.textContent = cmp;
    compareSelect.append(o);
  }
  compareSelect.value = cmp;
}

scenarioSelect.addEventListener('change', () => {
  lab.removeAttribute('time');
  lab.removeAttribute('actions');
  lab.setAttribute('scenario', scenarioSelect.value);
  lab.removeAttribute('seed');
});
compareSelect.addEventListener('change', () => {
  if (compareSelect.value) lab.setAttribute('compare', compareSelect.value);
  else lab.removeAttribute('compare');
});
document.getElementById('copy').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(location.href);
    status.textContent = 'Link copied.';
  } catch {
    status.textContent = `Copy this link: ${location.href}`;
  }
});
lab.addEventListener('stateless-lab:ready', syncPickers);

const esc = (v) => String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
let lastSnippet = '';
/// The element and iframe that reproduce the current view on another page.
function updateSnippets() {
  const st = lab.state;
  if (!st.scenario) return;
  const base = new URL('.', location.href).href;
  const attrs = [`scenario="${esc(st.scenario)}"`];
  if (st.compare) attrs.push(`compare="${esc(st.compare)}"`);
  attrs.push(`seed="${st.seed}"`);
  if (st.speed !== 1) attrs.push(`speed="${st.speed}"`);
  if (st.time) attrs.push(`time="${st.time}"`);
  if (st.actions.length) attrs.push(`actions="${esc(new URLSearchParams(lab.stateQuery).get('actions'))}"`);
  const element = `<script type="module" src="${base}widget/define.mjs"></script>\n<stateless-lab ${attrs.join(' ')}>\n  <p>This simulator needs JavaScript and WebAssembly.</p>\n</stateless-lab>`;
  const iframe = `<iframe src="${base}embed.html?${lab.stateQuery}&origin=https://your.site"\n        title="${esc(document.querySelector('#scenario option:checked')?.textContent ?? 'Stateless Lab simulator')}"\n        width="100%" height="900" style="border:0"></iframe>`;
  const key = element + iframe;
  if (key === lastSnippet) return;
  lastSnippet = key;
  document.getElementById('snippet-element').textContent = element;
  document.getElementById('snippet-iframe').textContent = iframe;
}
let snippetTimer = 0;
lab.addEventListener('stateless-lab:state', () => {
  if (!snippetTimer) snippetTimer = setTimeout(() => { snippetTimer = 0; updateSnippets(); }, 500);
});
for (const button of document.querySelectorAll('[data-copy]')) {
  button.addEventListener('click', async () => {
    const text = document.getElementById(button.dataset.copy).textContent;
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = 'Copied.';
    } catch {
      status.textContent = 'Select the text and copy it.';
    }
  });
}
fillScenarios();
