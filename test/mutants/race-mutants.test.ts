/**
 * The race mutants (mutants/race/) are broken the way they claim, and only under
 * concurrency: each passes the sequential model alone, and under a workload of 2–4 worker threads
 * (separate isolates) shows its direct symptom, while reference/shared.ts under the same workload
 * shows none. (The concurrency checks find them through the linearizability checker; this test needs
 * no checker.)
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import type { Implementation, Storage } from '../../spec/contract.js';
import { opArgs, emptyState, formatOp, outputsEqual, step, type Op, type State } from '../../spec/model.js';
import { callOp } from '../../conformance/harness.js';
import { runInWorkers, STORE_DIR, type Job } from '../fixtures/shared/pool.js';

const RACE = ['nonatomic-clear', 'lost-update', 'torn-write', 'stale-cache', 'version-before-value'] as const;
type Race = (typeof RACE)[number];

const modulePath = (m: Race | 'reference') =>
  fileURLToPath(new URL(m === 'reference' ? '../../reference/shared.ts' : `../../mutants/race/${m}.ts`, import.meta.url));
const load = async (m: Race | 'reference') => ((await import(modulePath(m))) as { default: Implementation }).default;

async function hammer(m: Race | 'reference', jobs: Job[]): Promise<{ results: unknown[]; main: Storage }> {
  const impl = await load(m);
  const shared = impl.createShared!();
  const results = await runInWorkers({ modulePath: modulePath(m), shared, jobs });
  return { results, main: await impl.open({ dir: STORE_DIR, shared }) };
}

/** Each workload and the symptom it reports (an empty list means no symptom). */
const workloads: Record<Race, { jobs: Job[]; symptoms(results: unknown[], main: Storage): Promise<string[]> }> = {
  'nonatomic-clear': {
    jobs: Array(3).fill({ scenario: 'clearRace', params: { rounds: 40, keys: 10 } }),
    symptoms: async (results) => (results.slice(1) as { half: number[] }[]).flatMap((r) => r.half.map((n) => `keys() during clear listed ${n} of 10 keys`)),
  },
  'lost-update': {
    jobs: Array(3).fill({ scenario: 'sessionWriters', params: { iterations: 150 } }),
    async symptoms(_results, main) {
      const lost: string[] = [];
      for (let w = 0; w < 3; w++) for (let i = 0; i < 150; i++) if ((await main.session.get('shared-session', `w${w}:${i}`)) !== `${i}`) lost.push(`w${w}:${i}`);
      return lost.map((k) => `session key ${k} lost after its set returned`);
    },
  },
  'torn-write': {
    jobs: Array(3).fill({ scenario: 'tornRead', params: { rounds: 150, len: 64 } }),
    symptoms: async (results) => (results.slice(1) as { torn: string[] }[]).flatMap((r) => r.torn.map((t) => `torn value ${t}`)),
  },
  'stale-cache': {
    jobs: Array(2).fill({ scenario: 'visibility', params: { rounds: 20 } }),
    symptoms: async (results) => (results.slice(1) as { stale: string[] }[]).flatMap((r) => r.stale),
  },
  'version-before-value': {
    jobs: Array(3).fill({ scenario: 'settledRead', params: { rounds: 50 } }),
    symptoms: async (results) => (results.slice(1) as { stale: string[] }[]).flatMap((r) => r.stale),
  },
};

const key = fc.constantFrom('', 'a', 'b', ':', 'a:b', '\0', '\ud800', '__proto__', 'x'.repeat(33));
const val = fc.oneof(key, fc.string({ maxLength: 80 }));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  key.map((k) => ({ op: 'ls.get', key: k }) as const),
  fc.record({ key, value: val }).map((r) => ({ op: 'ls.set', ...r }) as const),
  key.map((k) => ({ op: 'ls.remove', key: k }) as const),
  fc.constant({ op: 'ls.clear' } as const),
  fc.constant({ op: 'ls.keys' } as const),
  fc.record({ id: key, key }).map((r) => ({ op: 'session.get', ...r }) as const),
  fc.record({ id: key, key, value: val }).map((r) => ({ op: 'session.set', ...r }) as const),
  fc.record({ id: key, key }).map((r) => ({ op: 'session.delete', ...r }) as const),
  key.map((id) => ({ op: 'session.clear', id }) as const),
);

/** Apply a model operation to a store, unchecked. */
function apply(s: Storage, o: Op): unknown {
  return callOp(s, o.op, opArgs(o));
}

const ATTEMPTS = 6;

describe.each(RACE)('race mutant %s', (name) => {
  it('declares process sharing and follows the sequential model alone', async () => {
    const impl = await load(name);
    expect(impl.name).toBe(`mutant/race/${name}`);
    expect(impl.capabilities.sharing).toBe('process');
    const opened = await Promise.all([impl.open({ dir: '/unused' }), impl.open({ dir: '/unused', shared: impl.createShared!() })]);
    for (const s of opened) {
      fc.assert(
        fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
          void s.ls.clear();
          for (const id of ['', 'a', 'b', ':', 'a:b', '\0', '\ud800', '__proto__', 'x'.repeat(33)]) void s.session.clear(id);
          let state: State = emptyState;
          for (const o of ops) {
            const r = step(state, o);
            state = r.state;
            const got = apply(s, o);
            if (!outputsEqual(r.output, got)) throw new Error(`${formatOp(o)} gave ${JSON.stringify(got)}, the model ${JSON.stringify(r.output)}`);
          }
        }),
        { numRuns: 60 },
      );
    }
  });

  it('shows its symptom under concurrent workers, and the reference store does not', async () => {
    const w = workloads[name];
    // A race shows only when a read lands in the writer's window: a few tries, each with its own fresh store.
    let shown = 0;
    for (let attempt = 0; attempt < ATTEMPTS && shown === 0; attempt++) {
      const mutant = await hammer(name, w.jobs);
      shown = (await w.symptoms(mutant.results, mutant.main)).length;
    }
    expect(shown, `${name} should show its race symptom within ${ATTEMPTS} tries`).toBeGreaterThan(0);
    const reference = await hammer('reference', w.jobs);
    expect(await w.symptoms(reference.results, reference.main)).toEqual([]);
  });
});
