// Lesson scenarios: every one validates and runs in the native core, stays small enough to run
// in a browser, and every guided experiment's metrics exist in its runs and its theory agrees
// with the simulation wherever the lesson says it does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { marked } from 'marked';
import { cli, expectedSlugs, readText, readJson, runCli, runScenario, scenarioFiles } from './lesson-files.mjs';
import { findLabBlocks, parseCompare, applyVariant } from '../../web/lesson/lab-block.mjs';
import { metricValue } from '../../web/lesson/metric.mjs';
import { theoryRows, agrees } from '../../web/lesson/theory.mjs';
import { loadLab } from '../../web/lab/stateless-lab.mjs';

const core = (await loadLab()).theory;

/// Requests (or stream events) a scenario may generate: lessons run them in the browser.
const MAX_WORK = 200000;

test('Native CLI exists at SL_NATIVE_CLI (or build/native/stateless-lab)', () => {
  assert.ok(existsSync(cli), `no CLI at ${cli}: build with cmake --preset native && cmake --build --preset native`);
});

/// Requests a cluster scenario expects (rate changes included), or events of a stream scenario.
function expectedWork(s) {
  if (s.kind === 'stream') return s.source.rate_per_s * s.duration_s;
  let rate = s.traffic?.rate_per_s ?? 100, last = 0, total = 0;
  for (const a of [...(s.timeline ?? [])].sort((x, y) => x.at_s - y.at_s)) {
    total += rate * (a.at_s - last);
    last = a.at_s;
    if (a.do === 'set_rate') rate = a.rate;
  }
  return total + rate * ((s.duration_s ?? 60) - last);
}

for (const slug of expectedSlugs) {
  for (const file of scenarioFiles(slug)) {
    test(`Scenario ${file} validates, runs in the core and stays small`, () => {
      const v = runCli(['validate', file]);
      assert.equal(v.code, 0, `validate: ${v.stderr.trim()}`);
      assert.equal(v.stdout.trim(), 'ok');
      const s = readJson(file);
      assert.ok(typeof s.title === 'string' && s.title && typeof s.description === 'string' && s.description,
        'has a title and a description for the widget');
      assert.ok(expectedWork(s) <= MAX_WORK, `about ${Math.round(expectedWork(s))} requests; keep lesson scenarios under ${MAX_WORK}`);
      const { results } = runScenario(file);
      if (s.kind === 'stream') {
        assert.ok(results.events.in > 0, 'events flowed');
      } else {
        const q = results.requests;
        assert.ok(q.arrived > 0, 'requests arrived');
        assert.equal(q.arrived, q.completed + q.failed + q.rejected + q.denied + q.in_flight, 'every request is accounted for');
      }
    });
  }

  test(`Lesson ${slug} experiments: metrics exist in every run and theory agrees where it should`, () => {
    const blocks = findLabBlocks(readText(`lessons/${slug}/lesson.md`), (md) => marked.lexer(md));
    for (const { config } of blocks) {
      const primary = runScenario(`lessons/${slug}/${config.scenario}`);
      const labels = config.labels ?? [config.scenario];
      const runs = [{ label: labels[0], ...primary }];
      const cmp = parseCompare(config.compare);
      if (cmp?.kind === 'scenario') runs.push({ label: labels[1], ...runScenario(`lessons/${slug}/${cmp.path}`) });
      if (cmp?.kind === 'variant') runs.push({ label: labels[1], ...runScenario(applyVariant(primary.scenario, cmp)) });
      for (const m of config.metrics) {
        for (const run of runs) {
          const v = metricValue(run, m);
          assert.equal(v.error, undefined, `${config.scenario} / ${run.label}: ${m.label}: ${v.error}`);
          if (m.format === 'text') assert.equal(typeof v.value, 'string');
          else assert.ok(Number.isFinite(v.value), `${m.label}: ${v.value}`);
        }
      }
      let rows = 0;
      for (const t of config.theory ?? []) {
        for (const r of theoryRows(t.kind, runs, core)) {
          rows += 1;
          assert.ok(agrees(r), `${config.scenario}: ${t.kind}: "${r.label}" for ${r.run}: theory ${r.theory} vs simulated ${r.simulated}`);
        }
      }
      if (config.theory?.length) assert.ok(rows > 0, `${config.scenario}: theory ${config.theory.map((t) => t.kind)} gives no rows`);
    }
  });
}
