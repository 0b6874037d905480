// One defect, few requirements: a single-defect mutant, checked by the whole default suite, fails at most three
// requirements, all of them listed in its manifest entry. The same run, on the CI seed, is its kill verdict.
import { describe, expect, it } from 'vitest';
import { precise, type MutantEntry } from '../../mutants/index.js';
import { CASCADE_MUTANTS, checkMutant, MUTANT_SEED, notKilled, wholeSuiteSkip, type Outcome } from '../helpers/mutants.js';

const runs = new Map<MutantEntry, Promise<Outcome>>();
/** The whole suite against `m`, once per test run, read by both tests of the mutant. */
const wholeSuite = (m: MutantEntry): Promise<Outcome> => {
  if (!runs.has(m)) runs.set(m, checkMutant(m, [], MUTANT_SEED, undefined, wholeSuiteSkip(m)));
  return runs.get(m)!;
};

describe.concurrent('a single defect does not cascade', () => {
  for (const m of CASCADE_MUTANTS) {
    it(`${m.name} is rejected with an expected requirement ID (whole suite, seed ${MUTANT_SEED})`, async () => {
      const r = await wholeSuite(m);
      expect(notKilled(m, r), r.text).toBeNull();
    }, 300_000);

    it(`${m.name} fails only its manifest's requirements, at most three`, async () => {
      const r = await wholeSuite(m);
      const failed = r.failed;
      expect(r.rejected).toBe(true);
      expect(failed.filter((id) => !precise(m).includes(id)), `failed ${failed.join(', ')}`).toEqual([]);
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.length).toBeLessThanOrEqual(3);
    }, 300_000);
  }
});
