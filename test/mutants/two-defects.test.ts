// Two independent defects, one of which shows early: the suite judges past the first (conformance/avoid.ts) and
// reports both, each under its own requirements, and nothing outside the manifest (SEQ-MODEL aside).
import { describe, expect, it } from 'vitest';
import { MUTANTS, precise } from '../../mutants/index.js';
import { checkMutant } from '../helpers/mutants.js';

const TWO_DEFECTS = MUTANTS.filter((m) => m.defects);

describe.concurrent('a store with two defects gets both reported', () => {
  it('there are two-defect mutants', () => expect(TWO_DEFECTS.length).toBeGreaterThanOrEqual(3));
  for (const m of TWO_DEFECTS) {
    it(`${m.name}: every defect found, nothing outside its manifest`, async () => {
      const r = await checkMutant(m, [], 20261201);
      expect(r.rejected).toBe(true);
      for (const defect of m.defects!) expect(r.failed.some((id) => defect.includes(id)), `one of ${defect.join(', ')} fails (failed: ${r.failed.join(', ')})`).toBe(true);
      expect(r.failed.filter((id) => !precise(m).includes(id)), `failed ${r.failed.join(', ')}`).toEqual([]);
    }, 600_000);
  }
});
