// The verdict and its renderings: requirement statuses, expected failures, JUnit validity.
import { describe, expect, it } from 'vitest';
import { judge } from '../../conformance/gate.js';
import { parseExpectations, ExpectationsError } from '../../conformance/expectations.js';
import { renderJunit, xmlText } from '../../conformance/report/junit.js';
import { renderJson } from '../../conformance/report/json.js';
import { renderHuman } from '../../conformance/report/human.js';
import { replayCommand } from '../../conformance/report/replay.js';
import type { CheckResult } from '../../conformance/runner.js';
import { assertWellFormedXml } from '../helpers/xml.js';

const impl = { name: 'x', capabilities: { persistence: 'volatile' as const, sharing: 'isolate' as const } };
const opts = { seed: 7, runs: 10, timeoutMs: 5000, only: [] };
const pass = (id: string, requirement: string): CheckResult => ({ id, requirement, title: id, status: 'passed', durationMs: 1 });
const fail = (id: string, requirement: string, extra: Partial<CheckResult> = {}): CheckResult => ({ id, requirement, title: id, status: 'failed', message: 'ls.get("\0") returned "" <bad> & "worse"', counterexample: 'ls.get("\uD800")', seed: 7, path: '0:1', durationMs: 2, ...extra });

describe('gate', () => {
  it('a requirement fails when any of its checks fails; exit 1', () => {
    const v = judge([pass('LS-GET-MISSING/a', 'LS-GET-MISSING'), fail('LS-GET-MISSING/b', 'LS-GET-MISSING')], impl, opts);
    expect(v.requirements.find((r) => r.id === 'LS-GET-MISSING')!.status).toBe('failed');
    expect(v.exitCode).toBe(1);
  });

  it('all checks skipped means skipped; no checks means not-run; both exit 0', () => {
    const v = judge([{ id: 'PERSIST-DURABLE/x', requirement: 'PERSIST-DURABLE', title: 't', status: 'skipped', reason: 'volatile', durationMs: 0 }], impl, opts);
    expect(v.requirements.find((r) => r.id === 'PERSIST-DURABLE')!.status).toBe('skipped');
    expect(v.requirements.find((r) => r.id === 'LS-SET-GET')!.status).toBe('not-run');
    expect(v.exitCode).toBe(0);
  });

  it('an expected failure does not fail the gate; an expected failure that passes does', () => {
    const exp = parseExpectations({ expectedFailures: { 'LS-GET-MISSING': { reason: 'returns ""' }, 'LS-SET-GET': 'known' } });
    const failing = judge([fail('LS-GET-MISSING/a', 'LS-GET-MISSING'), fail('LS-SET-GET/a', 'LS-SET-GET')], impl, opts, exp);
    expect(failing.summary['expected-failure']).toBe(2);
    expect(failing.exitCode).toBe(0);
    const fixed = judge([fail('LS-GET-MISSING/a', 'LS-GET-MISSING'), pass('LS-SET-GET/a', 'LS-SET-GET')], impl, opts, exp);
    expect(fixed.requirements.find((r) => r.id === 'LS-SET-GET')!.status).toBe('unexpected-pass');
    expect(fixed.exitCode).toBe(1);
    expect(renderHuman(fixed, { module: 'm.ts' })).toContain('UNEXPECTED PASS LS-SET-GET');
  });

  it('expectations files name only known requirements and have the expected shape', () => {
    expect(() => parseExpectations({ expectedFailures: ['NOPE-1'] })).toThrow(ExpectationsError);
    expect(() => parseExpectations({ failures: [] })).toThrow(/expectedFailures/);
    expect(parseExpectations({ expectedFailures: ['SES-ISOLATION'] }).failures.has('SES-ISOLATION')).toBe(true);
  });
});

describe('reports', () => {
  const results = [pass('LS-SET-GET/a', 'LS-SET-GET'), fail('LS-GET-MISSING/a', 'LS-GET-MISSING', { replayPath: 'AAB' }), { id: 'PERSIST-DURABLE/x', requirement: 'PERSIST-DURABLE', title: 't', status: 'skipped' as const, reason: 'not applicable: <volatile>', durationMs: 0 }];
  const v = judge(results, impl, opts);

  it('JUnit is well-formed XML even with NUL, lone surrogates and markup in messages', () => {
    const xml = renderJunit(v, { module: 'my store.ts' });
    assertWellFormedXml(xml);
    expect(xml).toContain('classname="LS-GET-MISSING"');
    expect(xml).toContain('<skipped message="not applicable: &lt;volatile&gt;"/>');
    expect(xml).toMatch(/tests="3" failures="1" errors="0" skipped="1"/);
    expect(xml).toContain('\\ud800');
  });

  it('expected failures appear in JUnit as skipped with the reason, not as passes', () => {
    const ev = judge(results, impl, opts, parseExpectations({ expectedFailures: { 'LS-GET-MISSING': { reason: 'known bug' } } }));
    const xml = renderJunit(ev, {});
    assertWellFormedXml(xml);
    expect(xml).toMatch(/<skipped message="expected failure \(.*\): known bug/);
    expect(xml).toMatch(/failures="0"/);
  });

  it('xmlText escapes markup and makes forbidden characters visible', () => {
    expect(xmlText('<a & "b">\0\uDC00')).toBe('&lt;a &amp; &quot;b&quot;&gt;\\u0000\\udc00');
    expect(xmlText('\u{1F600}')).toBe('\u{1F600}');
  });

  it('JSON carries every requirement, the summary and replay commands', () => {
    const j = JSON.parse(renderJson(v, { module: 'm.ts' }, { name: 't', version: '0' }));
    expect(j.schema).toBe('titan-storage-report/3');
    expect(j.exitCode).toBe(1);
    const req = j.requirements.find((r: { id: string }) => r.id === 'LS-GET-MISSING');
    expect(req.status).toBe('failed');
    expect(req.section).toBe('2. Local storage');
    expect(req.text).toMatch(/MUST return `null`/);
    expect(req.rationale).toMatch(/null/);
    expect(req.checks[0].replay).toBe("npx titan-storage check m.ts --only LS-GET-MISSING/a --seed 7 --path 0:1 --replay-path AAB");
  });

  it('replay commands quote what the shell would split', () => {
    const r = fail("A/b", 'LS-GET-MISSING', { path: '0:1' });
    expect(replayCommand(r, { driver: "python3 it's.py" })).toBe(`npx titan-storage check --driver 'python3 it'\\''s.py' --only A/b --seed 7 --path 0:1`);
    expect(replayCommand(pass('a/b', 'LS-SET-GET'), { module: 'x' })).toBeUndefined();
  });
});
