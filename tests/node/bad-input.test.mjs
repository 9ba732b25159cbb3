// Bad input through the JS API and the node CLI gives exactly the native CLI's error:
// `error: <json path>: <what is wrong> (got <value>)` on stderr and exit code 2.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { LabError, loadLab } from '../../web/lab/stateless-lab.mjs';
import { root, runNative, runNode, tempDir } from './support.mjs';

const lab = await loadLab();
const dir = tempDir();

/** Malformed scenarios of every kind the core refuses (text, expected path). */
const cases = [
  ['', '$'],
  ['{', '$'],
  ['{"seed": 1,}', '$'],
  ['not json at all', '$'],
  ['[]', '$'],
  ['"a string"', '$'],
  ['null', '$'],
  ['42', '$'],
  ['[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]', '$'],
  ['{"a":'.repeat(100) + '1' + '}'.repeat(100), '$'],
  ['{"seed": 1} trailing', '$'],
  ['{"kind": "quantum"}', '$.kind'],
  ['{"seed": "one"}', '$.seed'],
  ['{"seed": -1}', '$.seed'],
  ['{"seed": 1.5}', '$.seed'],
  ['{"seed": 9007199254740992}', '$.seed'],
  ['{"seed": 18446744073709551615}', '$.seed'],
  ['{"duration_s": 0}', '$.duration_s'],
  ['{"duration_s": -5}', '$.duration_s'],
  ['{"duration_s": 1e400}', '$'],
  ['{"duration_s": "NaN"}', '$.duration_s'],
  ['{"duration_s": null}', '$.duration_s'],
  ['{"duration_s": 1e300}', '$.duration_s'],
  ['{"duration_s": 10, "warmup_s": 10}', '$.warmup_s'],
  ['{"series_interval_s": 0}', '$.series_interval_s'],
  ['{"traffic": {"users": 0}}', '$.traffic.users'],
  ['{"traffic": {"users": 5000000}}', '$.traffic.users'],
  ['{"traffic": {"rate_per_s": -1}}', '$.traffic.rate_per_s'],
  ['{"traffic": {"rate_per_s": 1000000, "users": 10}, "duration_s": 1000}', '$.traffic.rate_per_s'],
  ['{"traffic": {"user_skew": 9}}', '$.traffic.user_skew'],
  ['{"traffic": [1]}', '$.traffic'],
  ['{"traffic": {"rate": 10}}', '$.traffic.rate'],
  ['{"balancer": {"policy": "fastest"}}', '$.balancer.policy'],
  ['{"balancer": {"policy": 3}}', '$.balancer.policy'],
  ['{"servers": {"count": 0}}', '$.servers.count'],
  ['{"servers": {"count": 100000}}', '$.servers.count'],
  ['{"servers": {"count": 2.5}}', '$.servers.count'],
  ['{"servers": {"workers": true}}', '$.servers.workers'],
  ['{"servers": {"service_ms": {"dist": "pareto", "mean": 10}}}', '$.servers.service_ms.dist'],
  ['{"servers": {"service_ms": {"dist": "exponential"}}}', '$.servers.service_ms'],
  ['{"servers": {"service_ms": {"mean": 0}}}', '$.servers.service_ms.mean'],
  ['{"servers": {"service_ms": {"mean": 10, "sigma": -1}}}', '$.servers.service_ms.sigma'],
  ['{"session": {"mode": "cookies"}}', '$.session.mode'],
  ['{"store": {"workers": 0}}', '$.store.workers'],
  ['{"token": {"ttl_s": 0}}', '$.token.ttl_s'],
  ['{"token": {"deny_list": "yes"}}', '$.token.deny_list'],
  ['{"autoscaler": {"min": 5, "max": 2}}', '$.autoscaler.min'],
  ['{"autoscaler": {"target_utilization": 1.5}}', '$.autoscaler.target_utilization'],
  ['{"timeline": {"at_s": 1}}', '$.timeline'],
  ['{"timeline": [42]}', '$.timeline[0]'],
  ['{"timeline": [{"at_s": 5, "do": "explode"}]}', '$.timeline[0].do'],
  ['{"timeline": [{"do": "store_down"}]}', '$.timeline[0]'],
  ['{"timeline": [{"at_s": 5}]}', '$.timeline[0]'],
  ['{"duration_s": 60, "timeline": [{"at_s": 61, "do": "store_down"}]}', '$.timeline[0].at_s'],
  ['{"timeline": [{"at_s": -1, "do": "store_down"}]}', '$.timeline[0].at_s'],
  ['{"timeline": [{"at_s": 5, "do": "kill_server"}]}', '$.timeline[0]'],
  ['{"timeline": [{"at_s": 1, "do": "store_up"}, {"at_s": 5, "do": "kill_server", "server": 4}]}', '$.timeline[1].server'],
  ['{"timeline": [{"at_s": 5, "do": "revoke_user", "user": 1000}]}', '$.timeline[0].user'],
  ['{"timeline": [{"at_s": 5, "do": "set_rate", "rate": -3}]}', '$.timeline[0].rate'],
  ['{"timeline": [{"at_s": 5, "do": "set_policy", "policy": "best"}]}', '$.timeline[0].policy'],
  ['{"timeline": [{"at_s": 5, "do": "set_session_mode", "mode": "magic"}]}', '$.timeline[0].mode'],
  ['{"colour": "blue"}', '$.colour'],
  ['{"name": "' + 'x'.repeat(300) + '"}', '$.name'],
  ['{"name": "caf\u00e9 \u2603 \ud83d\ude00", "servers": {"count": "\u2603"}}', '$.servers.count'],
];

/** The core's own table of malformed scenarios (tests/core/scenario_test.cpp), when present. */
function coreCases() {
  const file = join(root, 'tests/core/scenario_test.cpp');
  if (!existsSync(file)) return [];
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/\{R"\((.*?)\)",\s*"(\$[^"]*)"\}/gs)].map((m) => [m[1], m[2]]);
}

const all = [...new Map([...cases, ...coreCases()].map((c) => [c[0], c])).values()];

test('lab.validate and lab.create give the native CLI error for every malformed scenario', () => {
  assert.ok(all.length >= 60, `${all.length} cases`);
  all.forEach(([text, path], i) => {
    const file = join(dir, `bad-${i}.json`);
    writeFileSync(file, text);
    const native = runNative(['run', file]);
    const what = `case ${i}: ${text.slice(0, 60)}`;
    assert.equal(native.code, 2, what);
    assert.equal(native.stdout.length, 0, what);
    const stderr = native.stderr.toString();

    const v = lab.validate(text);
    assert.equal(v.ok, false, what);
    assert.equal(v.path, path, what);
    assert.equal(`error: ${v.text}\n`, stderr, what);

    assert.throws(() => lab.create(text), (e) => {
      assert.ok(e instanceof LabError, what);
      assert.deepEqual([e.path, e.message, e.got, e.text], [v.path, v.message, v.got, v.text], what);
      return true;
    });

    const cli = lab.runCli(['validate', 'scenario.json'], (p) => (p === 'scenario.json' ? text : null));
    assert.deepEqual(cli, { stdout: '', stderr, code: 2 }, what);
  });
});

test('stateless-lab (node) prints the native error bytes and exit code for malformed files', () => {
  // One process per case is slow-ish: every 4th case, plus the ones with non-ASCII text.
  all.forEach(([text], i) => {
    if (i % 4 !== 0 && !/[^\x00-\x7f]/.test(text)) return;
    const file = join(dir, `bad-cli-${i}.json`);
    writeFileSync(file, text);
    for (const cmd of ['run', 'validate']) {
      const native = runNative([cmd, file]);
      const node = runNode([cmd, file]);
      assert.equal(node.code, native.code, `case ${i}`);
      assert.ok(node.stdout.equals(native.stdout), `case ${i}`);
      assert.ok(node.stderr.equals(native.stderr), `case ${i}: ${native.stderr} vs ${node.stderr}`);
    }
  });
});

test('stateless-lab (node) reports invalid UTF-8 and NUL bytes exactly as natively', () => {
  const inputs = [
    Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),  // {"name":"\xff\xfe"}
    Buffer.from([0xc3, 0x28, 0x7b, 0x7d]),
    Buffer.from('{"seed": 1}\u0000{"seed": 2}'),
    Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('{"seed": 3}')]),  // byte order mark
  ];
  inputs.forEach((bytes, i) => {
    const file = join(dir, `bytes-${i}.json`);
    writeFileSync(file, bytes);
    const native = runNative(['run', file]);
    const node = runNode(['run', file]);
    assert.equal(node.code, native.code, `input ${i}`);
    assert.ok(node.stdout.equals(native.stdout), `input ${i}`);
    assert.ok(node.stderr.equals(native.stderr), `input ${i}: ${native.stderr} vs ${node.stderr}`);
  });
});

test('lab.validate reads lone surrogates as U+FFFD, exactly as the native CLI reads a file written from JS', () => {
  const texts = ['{"name": "\ud800"}', '{"servers": {"count": "a\udfff"}}', '{"\ud83d": 1}', '{"name": "\ud800'];
  texts.forEach((text, i) => {
    const file = join(dir, `surrogate-${i}.json`);
    writeFileSync(file, text);  // node writes U+FFFD for a lone surrogate
    const native = runNative(['validate', file]);
    const v = lab.validate(text);
    if (native.code === 0) assert.deepEqual(v, { ok: true }, `text ${i}`);
    else assert.equal(`error: ${v.text}\n`, native.stderr.toString(), `text ${i}`);
    assert.deepEqual(lab.runCli(['validate', 'x'], () => text),
                     { stdout: native.stdout.toString(), stderr: native.stderr.toString(), code: native.code });
  });
});
