// Runs lesson scenarios for the page: in the embedded <stateless-lab> widget when it can show
// them, otherwise headless in the same simulation core through the lab API.

import { runInWorker } from '../lab/sweep.mjs';

const scenarioCache = new Map();

/// The scenario JSON of a lesson file, fetched once: {url, scenario}.
export async function fetchScenario(slug, path) {
  const url = `lessons/${slug}/${path}`;
  if (!scenarioCache.has(url)) {
    scenarioCache.set(url, fetch(url).then((r) => {
      if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
      return r.json();
    }));
  }
  return { url, scenario: await scenarioCache.get(url) };
}

/// Runs a scenario object to its end without a view, in a worker so that a long run never
/// blocks the page; resolves to its results.
export function runHeadless(scenario) {
  return runInWorker(scenario);
}

/// Whether the widget element can show this scenario (it draws both models).
export function widgetShows(scenario) {
  return !scenario.kind || scenario.kind === 'cluster' || scenario.kind === 'stream';
}

/**
 * Runs a widget's simulation(s) to the end: {results, compareResults}. Throws with the widget's
 * own message when it could not load the scenario.
 */
export async function runWidget(el) {
  await el.ready;
  if (el.error) throw new Error(el.error.message ?? 'the simulator could not start');
  const results = await el.runToEnd();
  if (!results) throw new Error(el.error?.message ?? 'the simulator produced no results');
  return { results, compareResults: el.compareResults };
}

/// A <stateless-lab> element for a scenario URL, with fallback text for readers without JS/WASM.
export function labElement(url, { compare, controls, moments } = {}) {
  const el = document.createElement('stateless-lab');
  el.setAttribute('scenario', url);
  if (compare) el.setAttribute('compare', compare);
  if (controls) el.setAttribute('controls', controls);
  if (moments?.length) el.setAttribute('moments', JSON.stringify(moments));
  const p = document.createElement('p');
  p.className = 'fallback';
  p.textContent = 'The interactive simulator needs JavaScript and WebAssembly.';
  el.append(p);
  return el;
}
