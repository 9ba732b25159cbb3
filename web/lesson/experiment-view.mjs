// A guided experiment on the lesson page: the embedded simulator, a button that runs it to the
// end, a table of the numbers the lesson asks the reader to compare, and theory next to them.
// The simulator starts compact (the picture, its numbers, playback and the block's own
// controls); charts, narration and every live control open on demand.
import { parseCompare, applyVariant } from './lab-block.mjs';
import { metricValue, formatValue } from './metric.mjs';
import { theoryRows, agrees, verdictText } from './theory.mjs';
import { fetchScenario, runHeadless, runWidget, widgetShows, labElement } from './lab-runner.mjs';
import { h } from './dom.mjs';
import { SweepPanel } from '../widget/sweep-panel.mjs';
import { withValue } from '../lab/sweep.mjs';
import { loadLab } from '../lab/stateless-lab.mjs';

/// The core's theory (lab.theory): every formula the theory rows show is computed there.
const coreTheory = async () => (await loadLab()).theory;

/// What an experiment shows until the reader asks for more.
const COMPACT_CONTROLS = 'playback';

/// The runs an experiment compares: [{label, scenario}] with scenario objects.
async function experimentRuns(slug, config) {
  const primary = await fetchScenario(slug, config.scenario);
  const labels = config.labels ?? [primary.scenario.title ?? config.scenario];
  const runs = [{ label: labels[0], scenario: primary.scenario, url: primary.url }];
  const cmp = parseCompare(config.compare);
  if (cmp?.kind === 'scenario') {
    const other = await fetchScenario(slug, cmp.path);
    runs.push({ label: labels[1], scenario: other.scenario, url: other.url, compareAttr: other.url });
  } else if (cmp?.kind === 'variant') {
    runs.push({ label: labels[1], scenario: applyVariant(primary.scenario, cmp), compareAttr: config.compare });
  }
  return runs;
}

function resultsTable(config, runs) {
  const head = h('tr', {}, h('th', { scope: 'col', text: 'Measure' }), ...runs.map((r) => h('th', { scope: 'col', text: r.label })));
  const body = h('tbody');
  for (const m of config.metrics) {
    const cells = runs.map((r) => {
      const v = metricValue(r, m);
      return h('td', { text: v.error ? '–' : formatValue(v.value, m.format) });
    });
    body.append(h('tr', {}, h('th', { scope: 'row', text: m.label }), ...cells));
  }
  return h('table', { class: 'experiment-results' }, h('caption', { text: 'What the simulation produced' }), h('thead', {}, head), body);
}

function theoryTable(config, runs, core) {
  // A row shows both values; one the simulation does not measure is left out.
  const rows = (config.theory ?? []).flatMap((t) => theoryRows(t.kind, runs, core))
    .filter((r) => r.simulated !== null && r.simulated !== undefined);
  if (!rows.length) return null;
  const body = h('tbody');
  for (const r of rows) {
    const verdict = r.tolerance ? (agrees(r) ? 'agrees' : 'differs') : 'contrast';
    body.append(h('tr', { class: `theory-${verdict}` },
      h('td', { text: r.run }),
      h('th', { scope: 'row', text: r.label }),
      h('td', { text: r.theory === null || r.theory === undefined ? 'no formula' : formatValue(r.theory, r.format) }),
      h('td', { text: formatValue(r.simulated, r.format) }),
      h('td', { text: verdictText(r, formatValue) })));
  }
  const head = h('tr', {}, ...['Run', 'Theory says', 'Predicted', 'Simulated', ''].map((t) => h('th', { scope: 'col', text: t })));
  return h('table', { class: 'experiment-theory' }, h('caption', { text: 'Theory next to the simulation' }), h('thead', {}, head), body);
}

/**
 * Fills a lab slot with its experiment. lab: {config?, error?} from the Markdown; slug: the
 * lesson. Never throws: problems are shown in the slot.
 */
export async function mountExperiment(slot, lab, slug) {
  slot.classList.add('experiment');
  if (lab.error) {
    slot.append(h('p', { class: 'experiment-error', role: 'alert', text: `This experiment is misconfigured: ${lab.error}` }));
    return;
  }
  const { config } = lab;
  if (config.sweep) {
    await mountSweep(slot, config, slug);
    return;
  }
  const status = h('span', { class: 'status', role: 'status' });
  const button = h('button', { type: 'button', class: 'run-button', text: config.compare ? 'Run both to the end and compare' : 'Run to the end' });
  const out = h('div', { class: 'experiment-output' });
  let runs;
  try {
    runs = await experimentRuns(slug, config);
  } catch (e) {
    slot.append(h('p', { class: 'experiment-error', role: 'alert', text: `Could not load the scenario: ${e.message}` }));
    return;
  }
  const shown = widgetShows(runs[0].scenario);
  let el = null;
  // The stream view shows one run; a second one is then computed without a view.
  const sideBySide = runs[0].scenario.kind !== 'stream';
  if (shown) {
    const compact = config.controls ?? COMPACT_CONTROLS;
    el = labElement(runs[0].url, {
      compare: sideBySide ? runs[1]?.compareAttr : undefined,
      controls: compact,
      moments: config.moments,
    });
    const more = h('button', { type: 'button', class: 'more-button', 'aria-pressed': 'false', text: 'Show charts and all controls' });
    more.addEventListener('click', () => {
      const open = more.getAttribute('aria-pressed') !== 'true';
      more.setAttribute('aria-pressed', String(open));
      more.textContent = open ? 'Show fewer controls' : 'Show charts and all controls';
      el.setAttribute('controls', open ? 'all' : compact);
    });
    slot.append(el, h('div', { class: 'experiment-more' }, more));
  } else {
    slot.append(h('p', { class: 'experiment-note', text: 'This experiment runs in the simulation core without an animated view: press the button to compute it.' }));
  }
  slot.append(h('div', { class: 'experiment-run' }, button, status), out);

  button.addEventListener('click', async () => {
    button.disabled = true;
    status.textContent = 'Running…';
    try {
      if (el) {
        const { results, compareResults } = await runWidget(el);
        runs[0].results = results;
        if (runs[1]) runs[1].results = sideBySide ? compareResults : await runHeadless(runs[1].scenario);
      } else {
        for (const r of runs) r.results = await runHeadless(r.scenario);
      }
      out.replaceChildren(resultsTable(config, runs));
      const theory = config.theory?.length ? theoryTable(config, runs, await coreTheory()) : null;
      if (theory) out.append(theory);
      status.textContent = el?.state?.actions?.length
        ? 'Done. Your own actions in the simulator are included, so the theory may no longer apply.'
        : 'Done.';
    } catch (e) {
      status.textContent = `The simulation could not run: ${e.message}`;
    } finally {
      button.disabled = false;
    }
  });
}

/// A sweep experiment: the block's first metric against the swept field, over `seeds` seeds,
/// with the block's first theory kind drawn over it. The runs happen in workers.
async function mountSweep(slot, config, slug) {
  let primary;
  try {
    primary = await fetchScenario(slug, config.scenario);
  } catch (e) {
    slot.append(h('p', { class: 'experiment-error', role: 'alert', text: `Could not load the scenario: ${e.message}` }));
    return;
  }
  const { path, values, seeds = 3, label } = config.sweep;
  const metric = config.metrics[0];
  const kind = config.theory?.[0]?.kind;
  const base = primary.scenario;
  const firstSeed = base.seed ?? 1;
  const run = (value, point) => ({ label: '', scenario: withValue(base, path, value), results: point.results });
  const cs = getComputedStyle(slot);
  const box = h('div', { class: 'sweep' });
  slot.append(box);
  new SweepPanel(box, {
    scenario: base, path, values, seeds: Array.from({ length: seeds }, (_, i) => firstSeed + i),
    xLabel: label, yLabel: metric.label,
    measure: (p) => metricValue(run(p.value, p), metric).value,
    theory: kind ? async (value, point) => theoryRows(kind, [run(value, point)], await coreTheory())[0]?.theory ?? null : null,
    theoryLabel: 'theory',
    colors: { fg: cs.color, line: cs.getPropertyValue('--line').trim() || '#d0d7de' },
  });
}
