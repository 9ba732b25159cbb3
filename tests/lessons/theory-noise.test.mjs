// The theory panel says "agrees" only within a stated tolerance that covers sampling noise:
// every guided experiment's theory rows are computed on five seeds, and each row with a
// tolerance must agree on all of them; a tolerance wide enough to call a 30% miss "agrees"
// is refused. The verdict words come from verdictText, checked here as well.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { marked } from 'marked';
import { index, readText, runScenario } from './lesson-files.mjs';
import { findLabBlocks, parseCompare, applyVariant } from '../../web/lesson/lab-block.mjs';
import { theoryRows, agrees, verdictText, toleranceText } from '../../web/lesson/theory.mjs';
import { loadLab } from '../../web/lab/stateless-lab.mjs';

const core = (await loadLab()).theory;
import { formatValue } from '../../web/lesson/metric.mjs';

const SEEDS = [1, 2, 3, 4, 5];
const MAX_REL = 0.15;   // a relative tolerance above this hides real disagreement
const MAX_ABS_SHARE = 0.05;  // nor an absolute one above 5 points on a share

test('verdictText states the tolerance, and how far off a differing row is', () => {
  const agreeing = { theory: 50, simulated: 52, format: 'ms', tolerance: { rel: 0.1 } };
  assert.equal(verdictText(agreeing, formatValue), 'agrees (within ±10%)');
  const off = { theory: 0.25, simulated: 0.4, format: 'percent', tolerance: { abs: 0.05 }, note: 'pinned users stay' };
  assert.equal(verdictText(off, formatValue), 'differs by 15 points (allowed ±5 points): pinned users stay');
  assert.equal(toleranceText({ tolerance: { abs: 1 }, format: 'number' }, formatValue), '±1');
  assert.equal(verdictText({ theory: null, simulated: 3, tolerance: null, note: 'a contrast' }, formatValue), 'a contrast');
  assert.ok(!agrees(off));
});

for (const { slug } of index().lessons) {
  test(`Lesson ${slug}: every theory row agrees on ${SEEDS.length} seeds within a tolerance that is not loose`, () => {
    const blocks = findLabBlocks(readText(`lessons/${slug}/lesson.md`), (md) => marked.lexer(md));
    for (const { config } of blocks) {
      if (!config?.theory?.length) continue;
      const base = runScenario(`lessons/${slug}/${config.scenario}`).scenario;
      const cmp = parseCompare(config.compare);
      const other = cmp?.kind === 'scenario' ? runScenario(`lessons/${slug}/${cmp.path}`).scenario
        : cmp?.kind === 'variant' ? applyVariant(base, cmp) : null;
      const labels = config.labels ?? [config.scenario, 'B'];
      for (const seed of SEEDS) {
        const runs = [{ label: labels[0], ...runScenario({ ...base, seed }) }];
        if (other) runs.push({ label: labels[1], ...runScenario({ ...other, seed }) });
        for (const t of config.theory) {
          for (const r of theoryRows(t.kind, runs, core)) {
            if (!r.tolerance) continue;
            const what = `${config.scenario}, seed ${seed}: ${t.kind}: "${r.label}" for ${r.run}`;
            assert.ok(agrees(r), `${what}: theory ${r.theory} vs simulated ${r.simulated}`);
            if (r.tolerance.rel !== undefined) assert.ok(r.tolerance.rel <= MAX_REL, `${what}: ±${r.tolerance.rel * 100}% is too loose`);
            if (r.tolerance.abs !== undefined && r.format === 'percent') {
              assert.ok(r.tolerance.abs <= MAX_ABS_SHARE, `${what}: ±${r.tolerance.abs * 100} points is too loose`);
            }
          }
        }
      }
    }
  });
}
