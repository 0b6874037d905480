// One expectations file per implementation, with conditions per run mode, and --write-expect's update of it.
import { SPEC_VERSION } from '../../spec/requirements.js';
import { describe, expect, it } from 'vitest';
import { judge } from '../../conformance/gate.js';
import { parseExpectations } from '../../conformance/expectations.js';
import { updatedExpectations } from '../../conformance/write-expectations.js';
import type { CheckResult } from '../../conformance/runner.js';

const impl = { name: 'x', capabilities: { persistence: 'volatile' as const, sharing: 'isolate' as const } };
const opts = { seed: 7, runs: 10, timeoutMs: 5000, only: [] };
const pass = (requirement: string): CheckResult => ({ id: `${requirement}/c`, requirement, title: 't', status: 'passed', durationMs: 1 });
const fail = (requirement: string): CheckResult => ({ id: `${requirement}/c`, requirement, title: 't', status: 'failed', message: `${requirement} broke`, counterexample: 'ls.get("a")', seed: 7, durationMs: 1 });
const skip = (requirement: string): CheckResult => ({ id: `${requirement}/c`, requirement, title: 't', status: 'skipped', reason: 'n/a', durationMs: 0 });

const file = {
  expectedFailures: {
    'LS-GET-MISSING': { reason: 'returns ""' },
    'VAL-REJECT': { reason: 'no TypeError', when: { isolation: 'inline' } },
    'SHARE-VISIBLE': { reason: 'reads ""', when: { isolation: 'inline' } },
  },
};

describe('spec versions', () => {
  it('a failure of a requirement new or changed since the file\'s spec version says so; others do not', () => {
    const old = parseExpectations({ specVersion: 1, expectedFailures: ['LS-GET-MISSING'] }, 'old.json');
    const v = judge([fail('LS-MANY-ENTRIES'), fail('VAL-REJECT'), fail('LS-SET-GET'), fail('LS-GET-MISSING')], impl, opts, old);
    const by = (id: string) => v.requirements.find((r) => r.id === id)!;
    expect(by('LS-MANY-ENTRIES').upgrade).toBe('new in spec version 2 (old.json was written for version 1)');
    expect(by('VAL-REJECT').upgrade).toMatch(/^changed in spec version 2: .*toString throws/);
    expect(by('LS-SET-GET').upgrade).toBeUndefined();
    expect(by('LS-GET-MISSING')).toMatchObject({ status: 'expected-failure' });
    expect(v.exitCode).toBe(1);
    // A file for the current version, or one that does not say, labels nothing.
    const now = judge([fail('LS-MANY-ENTRIES')], impl, opts, parseExpectations({ specVersion: 2, expectedFailures: [] }));
    expect(now.requirements.find((r) => r.id === 'LS-MANY-ENTRIES')!.upgrade).toBeUndefined();
    expect(() => parseExpectations({ specVersion: 'two', expectedFailures: [] })).toThrow(/specVersion/);
  });

  it('--write-expect records the spec version the file is written for', () => {
    const v = judge([fail('LS-GET-MISSING')], impl, opts);
    expect(updatedExpectations({}, v, 'inline', { module: 'm.ts', isolation: 'inline' }).specVersion).toBe(SPEC_VERSION);
  });
});

describe('conditional expectations', () => {
  it('an entry with "when" applies only in that run mode', () => {
    expect([...parseExpectations(file, 'f', 'inline').failures.keys()].sort()).toEqual(['LS-GET-MISSING', 'SHARE-VISIBLE', 'VAL-REJECT']);
    expect([...parseExpectations(file, 'f', 'process').failures.keys()]).toEqual(['LS-GET-MISSING']);
    expect(() => parseExpectations({ expectedFailures: { 'LS-GET-MISSING': { when: { isolation: 'cloud' } } } })).toThrow(/when.isolation/);
  });

  it('--write-expect keeps the other mode, conditions what differs, and keeps reasons', () => {
    // A process run: LS-GET-MISSING and LS-SET-GET fail, VAL-REJECT passes, SHARE-VISIBLE is skipped.
    const v = judge([fail('LS-GET-MISSING'), fail('LS-SET-GET'), pass('VAL-REJECT'), skip('SHARE-VISIBLE'), pass('LS-REMOVE')], impl, opts);
    const next = updatedExpectations(file, v, 'process', { module: 'm.ts', isolation: 'process' }).expectedFailures as Record<string, { reason?: string; when?: unknown; replay?: string }>;
    expect(Object.keys(next).sort()).toEqual(['LS-GET-MISSING', 'LS-SET-GET', 'SHARE-VISIBLE', 'VAL-REJECT']);
    expect(next['LS-GET-MISSING']).toMatchObject({ reason: 'returns ""' });
    expect(next['LS-GET-MISSING']!.when).toBeUndefined();
    expect(next['LS-GET-MISSING']!.replay).toContain('--isolation process');
    expect(next['LS-SET-GET']).toMatchObject({ reason: 'LS-SET-GET broke', when: { isolation: 'process' } });
    expect(next['VAL-REJECT']).toMatchObject({ when: { isolation: 'inline' } });
    expect(next['SHARE-VISIBLE']).toMatchObject({ when: { isolation: 'inline' } });
  });

  it('an entry for every mode that passes in this mode becomes one for the other mode; one for this mode only is dropped', () => {
    const v = judge([pass('LS-GET-MISSING'), pass('VAL-REJECT')], impl, opts);
    const next = updatedExpectations(file, v, 'inline', { module: 'm.ts' }).expectedFailures as Record<string, { when?: unknown }>;
    expect(next['LS-GET-MISSING']).toMatchObject({ when: { isolation: 'process' } });
    expect(next['VAL-REJECT']).toBeUndefined();
  });

  it('a first run writes a file whose entries hold in every mode', () => {
    const v = judge([fail('LS-GET-MISSING')], impl, opts);
    const out = updatedExpectations({}, v, 'inline', { module: 'm.ts' });
    expect(out).toMatchObject({ implementation: 'x', seed: 7, expectedFailures: { 'LS-GET-MISSING': { reason: 'LS-GET-MISSING broke', check: 'LS-GET-MISSING/c' } } });
    expect(parseExpectations(out, 'f', 'process').failures.has('LS-GET-MISSING')).toBe(true);
  });
});
