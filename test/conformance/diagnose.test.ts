// Blame on the operation that first diverged (conformance/diagnose.ts): a check that runs into another
// rule's defect names that rule; a check that finds its own keeps its requirement; a correct store never
// shows a divergence.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstDivergence } from '../../conformance/diagnose.js';
import { Harness } from '../../conformance/harness.js';
import { runCheck } from '../../conformance/runner.js';
import { SUITE, selectChecks } from '../../conformance/suite.js';
import type { Implementation } from '../../spec/contract.js';
import type { Op } from '../../spec/model.js';
import memory from '../../reference/memory.js';
import emptyForMissing from '../../mutants/empty-string-for-missing.js';
import prefixSessionClear from '../../mutants/prefix-session-clear.js';
import removesPrefix from '../../mutants/remove-removes-prefix.js';
import keysDuplicates from '../../mutants/keys-duplicates.js';
import singleton from '../../mutants/singleton-store.js';
import caseInsensitive from '../../mutants/case-insensitive.js';
import emptyValueIsAbsent from '../../mutants/empty-value-is-absent.js';

const only = (id: string) => selectChecks(SUITE, [id])[0]!;
const run = (impl: Implementation, id: string) => runCheck(impl, only(id), { runs: 30, seed: 11, timeoutMs: 2000 });

describe('a check that runs into another rule names that rule', () => {
  it.each([
    [emptyForMissing, 'LS-REMOVE/exactly-that-key', 'LS-GET-MISSING', /^a key that was never written reads as "": on a freshly opened store, ls\.get\("titan-storage:never-written"\) returned it/],
    [emptyForMissing, 'PERSIST-VOLATILE/empty-after-restart', 'LS-GET-MISSING', /never written reads as ""/],
    [prefixSessionClear, 'LS-CLEAR/local-only', 'SES-CLEAR', /^at step \d+, session\.clear\("\w+"\): then session\.get/],
    [keysDuplicates, 'SES-DELETE/exactly-that-pair', 'LS-KEYS-SET', /then ls\.keys\(\) returned \["(\w)", "\1"\]/],
    [singleton, 'STR-DISTINCT/confusable-keys', 'OPEN-FRESH-EMPTY', /freshly opened store/],
    [removesPrefix, 'SES-CLEAR/exactly-that-session', 'LS-REMOVE-MISSING', /ls\.remove\("a"\): then ls\.get\("aa"\)/],
    [caseInsensitive, 'STR-PROTO-NAMES/mixed-with-others', 'STR-ROUNDTRIP', /ls\.keys\(\) returned/],
    // The key is unusual, but a plain key loses "" too: the empty value is the defect.
    [emptyValueIsAbsent, 'STR-ROUNDTRIP/any-string', 'VAL-EMPTY-STRING', /, ""\): then (ls|session)\.get\(.*\) returned null, the model says ""/],
  ] as const)('%#: %s', async (impl, check, requirement, message) => {
    // The first attempt's finding; the check then ran again without that defect (conformance/avoid.ts).
    const whole = await run(impl, check);
    const r = whole.ranInto?.[0] ?? whole;
    expect(r, r.message).toMatchObject({ status: 'failed', requirement, id: check });
    expect(r.message).toMatch(message);
    // The check's own observation stays in the message, after the diagnosis.
    expect(r.message).toContain(`this ${only(check).requirement} check's failing run`);
  });
});

describe('a check that finds its own defect keeps its requirement', () => {
  it.each([
    [emptyForMissing, 'LS-GET-MISSING/property', 'LS-GET-MISSING'],
    [prefixSessionClear, 'SES-CLEAR/exactly-that-session', 'SES-CLEAR'],
    [removesPrefix, 'LS-REMOVE/exactly-that-key', 'LS-REMOVE'],
    [keysDuplicates, 'LS-KEYS-SET/exactly-once', 'LS-KEYS-SET'],
    [singleton, 'OPEN-FRESH-EMPTY/initial', 'OPEN-FRESH-EMPTY'],
  ] as const)('%#: %s', async (impl, check, requirement) => {
    const r = await run(impl, check);
    expect(r, r.message).toMatchObject({ status: 'failed', requirement });
    expect(r.message).not.toContain('found by replaying');
  });

  it('a replay reads through a missing-key defect and finds the defect after it', async () => {
    // Missing keys read as "" and NUL truncates: STR-ROUNDTRIP's check keeps its own failure.
    const both: Implementation = { ...emptyForMissing, name: 'empty-for-missing+nul', open: async (o) => {
      const s = await emptyForMissing.open(o);
      return { ...s, ls: { ...s.ls, set: (k: unknown, v: unknown) => s.ls.set(k as string, String(v).split('\0')[0]!) } };
    } };
    const h = new Harness(await both.open({ dir: 'unused' }), 'unused', 2000);
    const ops: Op[] = [{ op: 'ls.set', key: 'a', value: 'x' }, { op: 'ls.remove', key: 'a' }, { op: 'ls.set', key: 'b', value: 'p\0q' }];
    expect(await firstDivergence(h, ops)).toMatchObject({ step: 3, requirement: 'STR-ROUNDTRIP' });
    const h2 = new Harness(await both.open({ dir: 'unused' }), 'unused', 2000);
    expect(await firstDivergence(h2, ops.slice(0, 2))).toMatchObject({ step: 0, requirement: 'LS-GET-MISSING' });
  });

  it('the catch-all is never moved', async () => {
    const r = await runCheck(emptyForMissing, only('SEQ-MODEL/commands'), { runs: 30, seed: 11, timeoutMs: 2000 });
    expect(r).toMatchObject({ status: 'failed', requirement: 'SEQ-MODEL' });
  });
});

const key = fc.constantFrom('a', 'b', '', '__proto__', 'a:b');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('ls.set' as const), key, value: fc.string({ maxLength: 4 }) }),
  fc.record({ op: fc.constant('ls.get' as const), key }),
  fc.record({ op: fc.constant('ls.remove' as const), key }),
  fc.constant({ op: 'ls.clear' as const }),
  fc.constant({ op: 'ls.keys' as const }),
  fc.record({ op: fc.constant('session.set' as const), id: key, key, value: fc.string({ maxLength: 4 }) }),
  fc.record({ op: fc.constant('session.delete' as const), id: key, key }),
  fc.record({ op: fc.constant('session.clear' as const), id: key }),
);

describe('the replay', () => {
  it('finds no divergence on a correct store', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 30 }), async (ops) => {
        const h = new Harness(await memory.open({ dir: 'unused' }), 'unused', 2000);
        expect(await firstDivergence(h, ops)).toBeNull();
      }),
      { numRuns: 100, seed: 5 },
    );
  });

  it('names the first operation whose effect is wrong, with the step', async () => {
    const h = new Harness(await prefixSessionClear.open({ dir: 'unused' }), 'unused', 2000);
    const ops: Op[] = [{ op: 'session.set', id: 'ab', key: 'k', value: 'v' }, { op: 'ls.set', key: 'x', value: 'y' }, { op: 'session.clear', id: 'a' }, { op: 'ls.remove', key: 'x' }];
    expect(await firstDivergence(h, ops)).toMatchObject({ step: 3, requirement: 'SES-CLEAR', op: ops[2] });
  });
});

describe("a check that ran into another rule's defect", () => {
  it('runs again reading through it and judges its own rule, saying what it was judged without', async () => {
    const { judge } = await import('../../conformance/gate.js');
    const r = await run(emptyForMissing, 'LS-REMOVE/exactly-that-key');
    expect(r.status).toBe('passed');
    expect(r.note).toMatch(/judged without missing ls entries reading as "" .*see LS-GET-MISSING/);
    expect(r.ranInto?.map((x) => x.requirement)).toEqual(['LS-GET-MISSING']);
    const v = judge([r], { name: 'x', capabilities: emptyForMissing.capabilities }, { seed: 11, runs: 30, timeoutMs: 2000, only: [] });
    expect(v.requirements.find((q) => q.id === 'LS-REMOVE')!.status).toBe('passed');
    expect(v.requirements.find((q) => q.id === 'LS-GET-MISSING')!.status).toBe('failed');
  });
});

describe('a requirement whose checks all ran into another one', () => {
  it('is not judged (counted apart from skipped, naming the defect in the way, failing the gate unless listed), and --write-expect lists it and keeps the failure entry only for the other run mode', async () => {
    const { judge } = await import('../../conformance/gate.js');
    const { updatedExpectations } = await import('../../conformance/write-expectations.js');
    const { parseExpectations } = await import('../../conformance/expectations.js');
    const blamed = { id: 'LS-REMOVE/exactly-that-key', requirement: 'LS-GET-MISSING', ranIntoFrom: 'LS-REMOVE', title: 't', status: 'failed' as const, message: 'a key that was never written reads as ""', durationMs: 0 };
    const v = judge([blamed], { name: 'x', capabilities: emptyForMissing.capabilities }, { seed: 11, runs: 30, timeoutMs: 2000, only: [] });
    const own = v.requirements.find((q) => q.id === 'LS-REMOVE')!;
    expect(own.status).toBe('not-judged');
    expect(own.notJudgedBecause).toEqual(['LS-GET-MISSING']);
    expect(own.checks[0]!.reason).toBe('not judged: it ran into a failure of LS-GET-MISSING first (reported there)');
    expect(v.summary['not-judged']).toBe(1);
    expect(v.summary.skipped).toBe(0);
    expect(v.requirements.find((q) => q.id === 'LS-GET-MISSING')!.status).toBe('failed');
    const listed = parseExpectations({ expectedFailures: { 'LS-GET-MISSING': {} }, notJudged: { 'LS-REMOVE': { reason: 'LS-GET-MISSING in the way' } } });
    const gated = judge([blamed], { name: 'x', capabilities: emptyForMissing.capabilities }, { seed: 11, runs: 30, timeoutMs: 2000, only: [] }, listed);
    expect(gated.requirements.find((q) => q.id === 'LS-REMOVE')!.status).toBe('expected-not-judged');
    expect(gated.exitCode).toBe(0);
    const unlisted = judge([blamed], { name: 'x', capabilities: emptyForMissing.capabilities }, { seed: 11, runs: 30, timeoutMs: 2000, only: [] }, parseExpectations({ expectedFailures: { 'LS-GET-MISSING': {} } }));
    expect(unlisted.exitCode).toBe(1);
    const previous = { expectedFailures: { 'LS-REMOVE': { reason: 'old' }, 'LS-GET-MISSING': { reason: 'D1' } } };
    const next = updatedExpectations(previous, v, 'inline', { module: 'm.ts' } as never) as { expectedFailures: Record<string, unknown> };
    expect(Object.keys(next.expectedFailures)).toContain('LS-GET-MISSING');
    expect(next.expectedFailures['LS-REMOVE']).toEqual({ reason: 'old', when: { isolation: 'process' } });
    expect((next as unknown as { notJudged: Record<string, unknown> }).notJudged['LS-REMOVE']).toEqual({ reason: 'LS-GET-MISSING in the way', when: { isolation: 'inline' } });
  });
});
