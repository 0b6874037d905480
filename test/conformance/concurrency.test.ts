import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Check } from '../../conformance/check.js';
import { checks } from '../../conformance/properties/concurrency.js';
import { runCheck, skipReason, type CheckResult } from '../../conformance/runner.js';
import type { Implementation } from '../../spec/contract.js';

const byRequirement = (id: string): Check => checks.find((c) => c.requirement === id)!;
const visible = byRequirement('SHARE-VISIBLE');
const linearizable = byRequirement('LIN-LINEARIZABLE');
const duringWrites = checks.find((c) => c.id === 'SHARE-VISIBLE/during-writes')!;

async function run(check: Check, modulePath: string, runs = 20, timeoutMs = 5000): Promise<CheckResult> {
  const path = resolve(modulePath);
  const impl = (await import(path)).default as Implementation;
  return runCheck(impl, check, { runs, seed: 42, timeoutMs }, path);
}

describe('a correct cross-isolate store passes', () => {
  it('reference/shared passes SHARE-VISIBLE and LIN-LINEARIZABLE', async () => {
    for (const check of [visible, duringWrites, linearizable]) {
      const r = await run(check, 'reference/shared.ts');
      expect(r, `${check.id}: ${r.message}\n${r.counterexample}`).toMatchObject({ status: 'passed' });
    }
  });
});

describe('broken stores fail with the right requirement', () => {
  it('reference/memory declared sharing "process" fails SHARE-VISIBLE and LIN-LINEARIZABLE', async () => {
    const v = await run(visible, 'test/fixtures/memory-as-process.ts');
    expect(v).toMatchObject({ status: 'failed', requirement: 'SHARE-VISIBLE' });
    expect(v.message).toMatch(/in isolate \d/);
    const l = await run(linearizable, 'test/fixtures/memory-as-process.ts');
    expect(l).toMatchObject({ status: 'failed', requirement: 'LIN-LINEARIZABLE' });
    // The report shows the witness as a timeline per isolate.
    expect(l.counterexample).toMatch(/isolate \d \|/);
    expect(l.counterexample).toContain('not linearizable');
  });

  // Each race mutant is failed by the check its header names in test/mutants/kill-processes.test.ts, from the same
  // CLI run that kills it (a process of its own, where the race window is not at the mercy of a loaded test worker).

  // A read during the write caches the old value under the new version: only reads that overlap the writes find it.
  it.each([1, 2, 3, 4, 5])('race mutant version-before-value fails SHARE-VISIBLE/during-writes (seed %i)', async (seed) => {
    const path = resolve('mutants/race/version-before-value.ts');
    const impl = (await import(path)).default as Implementation;
    const r = await runCheck(impl, duringWrites, { runs: 20, seed, timeoutMs: 5000 }, path);
    expect(r, r.message).toMatchObject({ status: 'failed', requirement: 'SHARE-VISIBLE' });
    expect(r.counterexample?.split('\n').filter((l) => /^\s+(ls|session)\./.test(l))).toHaveLength(1);
  });

  it('an isolate that hangs fails the check instead of hanging it', async () => {
    const r = await run(linearizable, 'test/fixtures/concurrency/hangs.ts', 20, 500);
    expect(r).toMatchObject({ status: 'failed', requirement: 'LIN-LINEARIZABLE' });
    expect(r.message).toMatch(/ls\.keys did not complete within 500 ms/);
  });
});

describe('skips', () => {
  it('skip without a module path; SHARE-CLUSTER needs a module to host or a driver', async () => {
    const impl = (await import('../../reference/shared.js')).default;
    expect(skipReason(linearizable, impl, undefined)).toMatch(/module path/);
    expect(skipReason(linearizable, impl, resolve('reference/shared.ts'))).toBeNull();
    const cluster = byRequirement('SHARE-CLUSTER');
    const asCluster = { ...impl, capabilities: { ...impl.capabilities, sharing: 'cluster' as const } };
    expect(skipReason(cluster, asCluster, undefined)).toMatch(/its own process/);
    expect(skipReason(cluster, asCluster, 'x.ts')).toBeNull();
    const memory = (await import('../../reference/memory.js')).default;
    expect(skipReason(visible, memory, 'x.ts')).toMatch(/isolate/);
  });
});
