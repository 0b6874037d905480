// Tolerated symptoms (conformance/avoid.ts): a removal that throws on an absent key, and a store whose opens share
// one state, let the other checks judge their own rules; the symptom's own rule still fails, and a throw the
// store's own get does not explain is never tolerated.
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../conformance/runner.js';
import { SUITE, selectChecks } from '../../conformance/suite.js';
import type { Implementation } from '../../spec/contract.js';
import removeMissingThrows from '../../mutants/remove-missing-throws.js';
import deleteMissingThrows from '../../mutants/session-delete-missing-throws.js';
import singleton from '../../mutants/singleton-store.js';
import memory from '../../reference/memory.js';
import keysDuplicates from '../../mutants/keys-duplicates.js';
import { driverImplementation } from '../../conformance/driver/client.js';
import { compiledHostCommand } from '../../conformance/host/compiled.js';
import { fileURLToPath } from 'node:url';

const only = (id: string) => selectChecks(SUITE, [id])[0]!;
const run = (impl: Implementation, id: string) => runCheck(impl, only(id), { runs: 30, seed: 11, timeoutMs: 2000 });
const avoidedKinds = (r: Awaited<ReturnType<typeof run>>) => (r.avoided ?? []).map((i) => i.avoid.kind);

describe('a removal that throws on an absent key', () => {
  it('is read as the no-op by another rule\'s check, which says so', async () => {
    const r = await run(removeMissingThrows, 'LS-REMOVE/exactly-that-key');
    expect(r, r.message).toMatchObject({ status: 'passed' });
    expect(avoidedKinds(r)).toContain('throws-when-missing');
    expect(r.note).toMatch(/ls\.remove throwing when its key is absent \(taken as the no-op\) \(see API-NO-THROW\)/);
    expect(r.ranInto?.[0]).toMatchObject({ status: 'failed', requirement: 'API-NO-THROW' });
  });

  it.each([
    [removeMissingThrows, 'LS-REMOVE-MISSING/no-op', 'LS-REMOVE-MISSING', /ls\.remove\(".*"\) threw .*, although the key is absent \(ls\.get read null\)/],
    [deleteMissingThrows, 'SES-DELETE/exactly-that-pair', 'SES-DELETE', /session\.delete\(".*", ".*"\) threw .*, although the pair is absent/],
  ] as const)('fails its own rule in that rule\'s check (%#)', async (impl, check, requirement, message) => {
    const r = await run(impl, check);
    expect(r, r.message).toMatchObject({ status: 'failed', requirement });
    expect(r.ranIntoFrom).toBeUndefined();
    expect(r.message).toMatch(message);
  });

  it('is not tolerated when the key is there: a removal that always throws stays in the way', async () => {
    const neverRemoves: Implementation = {
      ...memory,
      name: 'remove-always-throws',
      open: async (o) => {
        const s = await memory.open(o);
        return { ...s, ls: { ...s.ls, remove: () => { throw new Error('read-only'); } } };
      },
    };
    const r = await run(neverRemoves, 'LS-REMOVE/exactly-that-key');
    expect(r.status, r.message ?? r.reason).not.toBe('passed');
  });
});

describe('a store whose opens share one state', () => {
  it('is judged from an emptied store by another rule\'s check', async () => {
    const r = await run(singleton, 'STR-DISTINCT/confusable-keys');
    expect(r, r.message).toMatchObject({ status: 'passed' });
    expect(avoidedKinds(r)).toEqual(['leftovers']);
    expect(r.ranInto?.[0]).toMatchObject({ status: 'failed', requirement: 'OPEN-FRESH-EMPTY' });
  });

  it('still fails a restart that keeps the data', async () => {
    const r = await run(singleton, 'PERSIST-VOLATILE/empty-after-restart');
    expect(r, r.message).toMatchObject({ status: 'failed', requirement: 'PERSIST-VOLATILE' });
    expect(avoidedKinds(r)).toEqual(['leftovers']);
  });
});

describe('keys listed more than once', () => {
  it('are taken once by another rule\'s check, never by LS-KEYS-SET\'s', async () => {
    const other = await run(keysDuplicates, 'LS-REMOVE/exactly-that-key');
    expect(other, other.message).toMatchObject({ status: 'passed' });
    expect(avoidedKinds(other)).toEqual(['keys-duplicates']);
    const own = await run(keysDuplicates, 'LS-KEYS-SET/exactly-once');
    expect(own, own.message).toMatchObject({ status: 'failed', requirement: 'LS-KEYS-SET' });
  });
});

describe('concurrent clients of a driver', () => {
  it('read through missing keys that read as "", reported once under LS-GET-MISSING', async () => {
    const impl = await driverImplementation(await compiledHostCommand(fileURLToPath(new URL('../fixtures/missing-reads-empty-as-process.ts', import.meta.url))));
    try {
      const r = await runCheck(impl, only('SHARE-VISIBLE/clients'), { runs: 10, seed: 11, timeoutMs: 5000 });
      expect(r, r.message ?? r.reason).toMatchObject({ status: 'passed' });
      expect(avoidedKinds(r)).toEqual(['missing']);
      expect(r.ranInto?.[0]).toMatchObject({ status: 'failed', requirement: 'LS-GET-MISSING' });
      expect(r.ranInto?.[0]?.message).toMatch(/seen before the concurrent clients ran/);
    } finally {
      await impl.dispose();
    }
  }, 120_000);
});
