// One number formatter: a figure reads the same in the widget's numbers line, its charts, a
// comparison and a lesson's table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { count, quantity, withUnit, compact, compactRate, seconds } from '../../web/widget/number-format.mjs';
import { formatValue } from '../../web/lesson/metric.mjs';
import { fmtNumber } from '../../web/widget/compare-summary.mjs';

test('number-format writes a latency the same in the widget and in a lesson table', () => {
  for (const v of [0.3141, 3.14159, 14.83, 99.96, 100.4, 3579.93, 123456.7]) {
    assert.equal(formatValue(v, 'ms'), withUnit(v, 'ms'), `${v} ms`);
    assert.equal(fmtNumber(v, true), quantity(v), `${v} in a comparison`);
  }
});

test('number-format.quantity keeps about three significant figures and groups thousands', () => {
  assert.equal(quantity(3579.93), '3,580');
  assert.equal(quantity(35.799), '35.8');
  assert.equal(quantity(3.5799), '3.58');
  assert.equal(quantity(-1234.5), '-1,234');
  assert.equal(quantity(NaN), '–');
  assert.equal(withUnit(undefined, 'ms'), '–');
});

test('number-format.count rounds and groups; compact shortens for the diagram', () => {
  assert.equal(count(1234567.4), '1,234,567');
  assert.equal(count(null), '–');
  assert.equal(compact(9999), '9999');
  assert.equal(compact(12345), '12.3k');
  assert.equal(compact(123456), '123k');
  assert.equal(compact(4.56e6), '4.6M');
  assert.equal(compactRate(12.34), '12.3');
  assert.equal(compactRate(1500), '1500');
  assert.equal(seconds(3.04), '3.0 s');
  assert.equal(seconds(12.35), '12.4 s');
});
